// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/idempotency_repository.hpp"

namespace cm::store {

std::optional<StoredResponse> IdempotencyRepository::find(std::string_view org_id,
                                                          std::string_view actor_id,
                                                          std::string_view key) {
  auto r = conn_.query(
      "SELECT request_hash, status, response FROM idempotency_keys WHERE org_id = $1 AND "
      "actor_id = $2 AND idem_key = $3",
      {std::string(org_id), std::string(actor_id), std::string(key)});
  if (r.empty()) return std::nullopt;
  const Row& row = r.rows.front();
  return StoredResponse{row.text(0), static_cast<int>(row.int64(1)), row.text(2)};
}

bool IdempotencyRepository::claim(std::string_view org_id, std::string_view actor_id,
                                  std::string_view key, std::string_view request_hash,
                                  std::int64_t now) {
  return conn_
             .query(
                 "INSERT INTO idempotency_keys (org_id, actor_id, idem_key, request_hash, status, "
                 "response, created_at) VALUES ($1, $2, $3, $4, 0, '', $5) ON CONFLICT DO NOTHING",
                 {std::string(org_id), std::string(actor_id), std::string(key),
                  std::string(request_hash), now})
             .affected == 1;
}

void IdempotencyRepository::store_response(std::string_view org_id, std::string_view actor_id,
                                           std::string_view key, int status,
                                           std::string_view body) {
  conn_.query(
      "UPDATE idempotency_keys SET status = $4, response = $5 WHERE org_id = $1 AND actor_id = $2 "
      "AND idem_key = $3",
      {std::string(org_id), std::string(actor_id), std::string(key), std::int64_t{status},
       std::string(body)});
}

std::int64_t IdempotencyRepository::purge_older_than(std::int64_t cutoff) {
  return conn_.query("DELETE FROM idempotency_keys WHERE created_at < $1", {cutoff}).affected;
}

}  // namespace cm::store
