// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Remembers the response to a POST sent with an Idempotency-Key, so a retry returns the first
// result instead of creating twice. The key is claimed inside the same transaction that creates
// the resource: a concurrent duplicate waits on the claim and then sees the stored response.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace cm::store {

struct StoredResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
};

class IdempotencyRepository {
 public:
  explicit IdempotencyRepository(Connection& conn) : conn_(conn) {}

  std::optional<StoredResponse> find(std::string_view org_id, std::string_view actor_id,
                                     std::string_view key);
  // False when another request holds the key already.
  bool claim(std::string_view org_id, std::string_view actor_id, std::string_view key,
             std::string_view request_hash, std::int64_t now);
  void store_response(std::string_view org_id, std::string_view actor_id, std::string_view key,
                      int status, std::string_view body);
  std::int64_t purge_older_than(std::int64_t cutoff);

 private:
  Connection& conn_;
};

}  // namespace cm::store
