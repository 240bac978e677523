// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Signature requests and their signers. Every query is scoped by organization except the lookup
// of a signer by link token hash: the token is the credential, and it names one signer of one
// organization (token_hash is unique).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signature.hpp"
#include "store/database.hpp"

namespace cm::store {

class SignatureRepository {
 public:
  explicit SignatureRepository(Connection& conn) : conn_(conn) {}

  void insert(const SignatureRequest& request);
  void insert_signer(const Signer& signer);
  // Status, end, completion and certificate fields (everything that changes after creation).
  void update(const SignatureRequest& request);
  // Status, token and evidence fields of a signer.
  void update_signer(const Signer& signer);

  // `for_update`: locked until the transaction ends (PostgreSQL; SQLite writers are serialized
  // already), so two signers finishing at once see each other's signature.
  std::optional<SignatureRequest> find(std::string_view org_id, std::string_view request_id,
                                       bool for_update = false);
  // The contract's pending request, if any.
  std::optional<SignatureRequest> pending_for_contract(std::string_view org_id,
                                                       std::string_view contract_id,
                                                       bool for_update = false);
  // Newest first.
  std::vector<SignatureRequest> list_for_contract(std::string_view org_id,
                                                  std::string_view contract_id);
  // In signing order.
  std::vector<Signer> signers(std::string_view org_id, std::string_view request_id);
  std::optional<Signer> signer_by_token_hash(std::string_view token_hash);

 private:
  Connection& conn_;
};

}  // namespace cm::store
