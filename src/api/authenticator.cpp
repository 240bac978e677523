#include "api/authenticator.hpp"

#include "auth/jwt.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "store/credential_repository.hpp"
#include "store/user_repository.hpp"

namespace cm::api {

namespace {

Error unauthenticated(std::string detail) {
  return {ErrorKind::unauthenticated, std::move(detail)};
}

constexpr std::int64_t kTouchIntervalMs = 60'000;

}  // namespace

Principal Authenticator::authenticate(const http::Request& request) const {
  const auto header = request.header("Authorization");
  if (!header) throw unauthenticated("Send Authorization: Bearer <token>.");
  std::string_view value = *header;
  if (value.size() < 7 || !http::iequals(value.substr(0, 7), "Bearer "))
    throw unauthenticated("The Authorization header must use the Bearer scheme.");
  value.remove_prefix(7);
  if (value.starts_with(kApiKeyPrefix)) return from_api_key(value);
  return from_jwt(value);
}

Principal Authenticator::from_jwt(std::string_view token) const {
  auto claims = auth::verify_jwt(token, jwt_secret_, now_unix_ms() / 1000);
  if (!claims) throw claims.error();
  const std::string cache_key =
      "u:" + claims->subject + ":" + claims->org_id + ":" + claims->session_id;
  if (auto cached = cache_.find(cache_key)) return *cached;
  const auto generation = cache_.generation();
  auto lease = db_.acquire();
  // One round trip: the user, and whether the login session was ended.
  auto r = lease->query(
      "SELECT u.role, u.active, EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = $3 AND "
      "t.revoked_at IS NOT NULL) FROM users u WHERE u.id = $1 AND u.org_id = $2",
      {claims->subject, claims->org_id, claims->session_id});
  if (r.empty()) throw unauthenticated("The access token's user no longer exists.");
  const auto& row = r.rows.front();
  if (!row.boolean(1)) throw unauthenticated("The user is deactivated.");
  if (row.boolean(2)) throw unauthenticated("The session has ended; log in again.");
  Principal p;
  p.org_id = claims->org_id;
  p.actor_id = claims->subject;
  p.user_id = claims->subject;
  p.actor_type = ActorType::user;
  p.role = parse_role(row.text(0)).value_or(Role::viewer);
  cache_.store(cache_key, p, generation);
  return p;
}

Principal Authenticator::from_api_key(std::string_view token) const {
  if (token.size() > 200) throw unauthenticated("The API key is not valid.");
  const std::string secret_hash = crypto::sha256_hex(token);
  const std::string cache_key = "k:" + secret_hash;
  if (auto cached = cache_.find(cache_key)) return *cached;
  const auto generation = cache_.generation();
  auto lease = db_.acquire();
  store::CredentialRepository creds(*lease);
  const auto key = creds.find_api_key_by_hash(secret_hash);
  if (!key || key->revoked_at) throw unauthenticated("The API key is not valid or was revoked.");
  auto creator = lease->query("SELECT active FROM users WHERE id = $1", {key->created_by});
  if (creator.empty() || !creator.rows.front().boolean(0))
    throw unauthenticated("The API key's creator is deactivated.");
  const auto now = now_unix_ms();
  if (!key->last_used_at || now - *key->last_used_at > kTouchIntervalMs)
    creds.touch_api_key(key->id, now);
  Principal p;
  p.org_id = key->org_id;
  p.actor_id = key->id;
  p.user_id = key->created_by;
  p.actor_type = ActorType::api_key;
  p.role = key->role;
  cache_.store(cache_key, p, generation);
  return p;
}

}  // namespace cm::api
