// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/credential_repository.hpp"

namespace cm::store {

namespace {

const std::string kTokenSelect =
    "SELECT id, org_id, user_id, family_id, token_hash, created_at, expires_at, used_at, "
    "revoked_at FROM refresh_tokens ";
const std::string kKeySelect =
    "SELECT id, org_id, name, prefix, role, created_by, created_at, last_used_at, revoked_at "
    "FROM api_keys ";

ApiKey key_from_row(const Row& r) {
  ApiKey k;
  k.id = r.text(0);
  k.org_id = r.text(1);
  k.name = r.text(2);
  k.prefix = r.text(3);
  k.role = parse_role(r.text(4)).value_or(Role::viewer);
  k.created_by = r.text(5);
  k.created_at = r.int64(6);
  k.last_used_at = r.opt_int64(7);
  k.revoked_at = r.opt_int64(8);
  return k;
}

}  // namespace

const std::string& CredentialRepository::user_session_sql() {
  // One round trip: the user, and whether the login session was ended.
  static const std::string sql =
      "SELECT u.role, u.active, EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = $3 AND "
      "t.revoked_at IS NOT NULL) FROM users u WHERE u.id = $1 AND u.org_id = $2";
  return sql;
}

std::optional<UserSession> CredentialRepository::user_session_found(const QueryResult& result) {
  if (result.empty()) return std::nullopt;
  const auto& row = result.rows.front();
  return UserSession{row.text(0), row.boolean(1), row.boolean(2)};
}

std::optional<UserSession> CredentialRepository::user_session(std::string_view user_id,
                                                              std::string_view org_id,
                                                              std::string_view family_id) {
  return user_session_found(conn_.query(
      user_session_sql(), {std::string(user_id), std::string(org_id), std::string(family_id)}));
}

bool CredentialRepository::key_creator_active(const ApiKey& key) {
  const auto r = conn_.query("SELECT active FROM users WHERE id = $1", {key.created_by});
  return !r.empty() && r.rows.front().boolean(0);
}

void CredentialRepository::insert_refresh_token(const RefreshToken& t) {
  conn_.query(
      "INSERT INTO refresh_tokens (id, org_id, user_id, family_id, token_hash, created_at, "
      "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {t.id, t.org_id, t.user_id, t.family_id, t.token_hash, t.created_at, t.expires_at});
}

std::optional<RefreshToken> CredentialRepository::find_refresh_token(std::string_view token_hash) {
  auto r = conn_.query(kTokenSelect + "WHERE token_hash = $1", {std::string(token_hash)});
  if (r.empty()) return std::nullopt;
  const Row& row = r.rows.front();
  return RefreshToken{row.text(0),  row.text(1),  row.text(2),      row.text(3),     row.text(4),
                      row.int64(5), row.int64(6), row.opt_int64(7), row.opt_int64(8)};
}

bool CredentialRepository::mark_refresh_token_used(std::string_view id, std::int64_t at) {
  return conn_
             .query("UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
                    {std::string(id), at})
             .affected == 1;
}

void CredentialRepository::revoke_family(std::string_view family_id, std::int64_t at) {
  conn_.query(
      "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
      {std::string(family_id), at});
}

void CredentialRepository::revoke_all_for_user(std::string_view user_id, std::int64_t at) {
  conn_.query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
              {std::string(user_id), at});
}

bool CredentialRepository::family_active(std::string_view family_id) {
  return conn_
      .query("SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NOT NULL LIMIT 1",
             {std::string(family_id)})
      .empty();
}

void CredentialRepository::insert_api_key(const ApiKey& k, std::string_view secret_hash) {
  conn_.query(
      "INSERT INTO api_keys (id, org_id, name, prefix, secret_hash, role, created_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {k.id, k.org_id, k.name, k.prefix, std::string(secret_hash), std::string(to_string(k.role)),
       k.created_by, k.created_at});
}

std::optional<ApiKey> CredentialRepository::find_api_key_by_hash(std::string_view secret_hash) {
  auto r = conn_.query(kKeySelect + "WHERE secret_hash = $1", {std::string(secret_hash)});
  if (r.empty()) return std::nullopt;
  return key_from_row(r.rows.front());
}

std::vector<ApiKey> CredentialRepository::list_api_keys(std::string_view org_id) {
  std::vector<ApiKey> out;
  for (const auto& row :
       conn_
           .query(kKeySelect + "WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1000",
                  {std::string(org_id)})
           .rows)
    out.push_back(key_from_row(row));
  return out;
}

bool CredentialRepository::revoke_api_key(std::string_view org_id, std::string_view id,
                                          std::int64_t at) {
  return conn_
             .query(
                 "UPDATE api_keys SET revoked_at = $3 WHERE org_id = $1 AND id = $2 AND revoked_at "
                 "IS NULL",
                 {std::string(org_id), std::string(id), at})
             .affected == 1;
}

void CredentialRepository::touch_api_key(std::string_view id, std::int64_t at) {
  conn_.query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", {std::string(id), at});
}

}  // namespace cm::store
