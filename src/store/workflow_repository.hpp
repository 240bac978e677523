// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Workflow storage: the transition history of contracts, each organization's approval policy,
// approvals (the core Approval kept as a JSON snapshot) and approvers' delegations. Every query
// is scoped by organization.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/approval.hpp"
#include "core/approval_policy.hpp"
#include "store/database.hpp"

namespace cm::store {

struct TransitionRecord {
  std::string id;
  std::string org_id;
  std::string contract_id;
  std::string from_status;
  std::string to_status;
  std::optional<std::string> actor_id;  // null: the system
  std::optional<std::string> comment;
  std::int64_t at = 0;
};

class TransitionRepository {
 public:
  explicit TransitionRepository(Connection& conn) : conn_(conn) {}
  void insert(const TransitionRecord& t);
  // Oldest first.
  std::vector<TransitionRecord> list(std::string_view org_id, std::string_view contract_id);

 private:
  Connection& conn_;
};

struct StoredPolicy {
  ApprovalPolicy policy;
  std::int64_t version = 0;
  std::string updated_by;
  std::int64_t updated_at = 0;
};

class ApprovalPolicyRepository {
 public:
  explicit ApprovalPolicyRepository(Connection& conn) : conn_(conn) {}
  std::optional<StoredPolicy> find(std::string_view org_id);
  // Inserts version 1 or replaces the policy, bumping its version; returns the new version.
  std::int64_t save(std::string_view org_id, const ApprovalPolicy& policy,
                    std::string_view updated_by, std::int64_t now);

 private:
  Connection& conn_;
};

struct StoredApproval {
  std::string id;
  std::string org_id;
  Approval approval;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

class ApprovalRepository {
 public:
  explicit ApprovalRepository(Connection& conn) : conn_(conn) {}
  void insert(const StoredApproval& a);
  void update(const StoredApproval& a);
  // The contract's most recent approval. `for_update`: locked until the transaction ends
  // (PostgreSQL; SQLite writers are serialized already), so concurrent decisions on one approval
  // apply one after the other instead of overwriting each other's snapshot.
  std::optional<StoredApproval> latest(std::string_view org_id, std::string_view contract_id,
                                       bool for_update = false);
  std::vector<StoredApproval> pending(std::string_view org_id);

 private:
  Connection& conn_;
};

class DelegationRepository {
 public:
  explicit DelegationRepository(Connection& conn) : conn_(conn) {}
  // Replaces the user's delegations.
  void replace(std::string_view org_id, std::string_view user_id,
               const std::vector<Delegation>& delegations, std::int64_t now);
  std::vector<Delegation> of_user(std::string_view org_id, std::string_view user_id);
  std::vector<Delegation> all(std::string_view org_id);

 private:
  Connection& conn_;
};

// The organization's users as start_approval needs them.
std::vector<OrgUser> org_users(Connection& conn, std::string_view org_id);
// Countries of a contract's parties (for policy matching).
std::vector<std::string> party_countries(Connection& conn, std::string_view org_id,
                                         std::string_view contract_id);

// Reads back core to_json(Approval); throws std::runtime_error on a malformed snapshot.
Approval approval_from_json(const boost::json::object& o);

}  // namespace cm::store
