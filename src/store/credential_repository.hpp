// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Refresh tokens and API keys. Only SHA-256 hashes of the secrets are stored: both are long
// random strings, so a fast hash is enough to make a stolen table useless.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/user.hpp"
#include "store/database.hpp"

namespace cm::store {

struct RefreshToken {
  std::string id;
  std::string org_id;
  std::string user_id;
  std::string family_id;
  std::string token_hash;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
  std::optional<std::int64_t> revoked_at;
};

// What authentication re-reads about the user of an access token on every request: the user's
// role and whether it is active, and whether the login session (refresh-token family) was ended.
struct UserSession {
  std::string role;
  bool active = false;
  bool session_ended = false;
};

class CredentialRepository {
 public:
  explicit CredentialRepository(Connection& conn) : conn_(conn) {}

  void insert_refresh_token(const RefreshToken& token);
  std::optional<RefreshToken> find_refresh_token(std::string_view token_hash);
  // Marks the token used if it was not already; false when someone else used it first.
  bool mark_refresh_token_used(std::string_view id, std::int64_t at);
  void revoke_family(std::string_view family_id, std::int64_t at);
  void revoke_all_for_user(std::string_view user_id, std::int64_t at);
  // True while the family (login session) has no revoked token.
  bool family_active(std::string_view family_id);

  // The user `user_id` of `org_id` and the state of session `family_id`, in one round trip;
  // nullopt when the user does not exist (in that organization).
  std::optional<UserSession> user_session(std::string_view user_id, std::string_view org_id,
                                          std::string_view family_id);
  // user_session() split in two for AsyncDatabase: the statement (parameters: user id, org id,
  // family id) and the reading of its result.
  static const std::string& user_session_sql();
  static std::optional<UserSession> user_session_found(const QueryResult& result);

  void insert_api_key(const ApiKey& key, std::string_view secret_hash);
  std::optional<ApiKey> find_api_key_by_hash(std::string_view secret_hash);
  std::vector<ApiKey> list_api_keys(std::string_view org_id);
  bool revoke_api_key(std::string_view org_id, std::string_view id, std::int64_t at);
  void touch_api_key(std::string_view id, std::int64_t at);
  // Whether the user who created an API key is still active (false when the user is gone).
  bool key_creator_active(const ApiKey& key);

 private:
  Connection& conn_;
};

}  // namespace cm::store
