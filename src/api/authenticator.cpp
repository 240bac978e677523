// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/authenticator.hpp"

#include "auth/jwt.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "store/credential_repository.hpp"

namespace cm::api {

namespace {

Error unauthenticated(std::string detail) {
  return {ErrorKind::unauthenticated, std::move(detail)};
}

constexpr std::int64_t kTouchIntervalMs = 60'000;

std::optional<std::string_view> bearer_token(const http::Request& request) {
  const auto header = request.header("Authorization");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  if (value.size() < 7 || !http::iequals(value.substr(0, 7), "Bearer ")) return std::nullopt;
  return value.substr(7);
}

std::string jwt_cache_key(const auth::AccessClaims& claims) {
  return "u:" + claims.subject + ":" + claims.org_id + ":" + claims.session_id;
}

// The same principal, keyed by the token's exact bytes, so that a hit also skips the signature
// check and claims parsing (base64, HMAC, JSON: several microseconds per request). Those bytes
// were verified when the entry was stored.
std::string token_cache_key(std::string_view token) {
  std::string key;
  key.reserve(2 + token.size());
  key.append("t:").append(token);
  return key;
}

// Stored by token only while the token stays valid for longer than the cache keeps it, so a
// hit never outlives the token's expiry.
void store_by_token(AuthCache& cache, std::string_view token, const auth::AccessClaims& claims,
                    const Principal& p, std::uint64_t generation) {
  if (claims.expires_at * 1000 > now_unix_ms() + cache.ttl().count())
    cache.store(token_cache_key(token), p, generation);
}

Principal user_principal(const auth::AccessClaims& claims,
                         const std::optional<store::UserSession>& session) {
  if (!session) throw unauthenticated("The access token's user no longer exists.");
  if (!session->active) throw unauthenticated("The user is deactivated.");
  if (session->session_ended) throw unauthenticated("The session has ended; log in again.");
  Principal p;
  p.org_id = claims.org_id;
  p.actor_id = claims.subject;
  p.user_id = claims.subject;
  p.actor_type = ActorType::user;
  p.role = parse_role(session->role).value_or(Role::viewer);
  return p;
}

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
  if (!cache_.enabled()) {
    // Skip the by-token lookup below (its key costs a copy of the token).
  } else if (auto cached = cache_.find(token_cache_key(token))) {
    return *cached;
  }
  auto claims = auth::verify_jwt(token, jwt_secret_, now_unix_ms() / 1000);
  if (!claims) throw claims.error();
  const std::string cache_key = jwt_cache_key(*claims);
  const auto generation = cache_.generation();
  // Not stored by token on this hit: that would trust the row past its TTL.
  if (auto cached = cache_.find(cache_key)) return *cached;
  auto lease = db_.acquire();
  auto p = user_principal(*claims, store::CredentialRepository(*lease).user_session(
                                       claims->subject, claims->org_id, claims->session_id));
  cache_.store(cache_key, p, generation);
  store_by_token(cache_, token, *claims, p, generation);
  return p;
}

bool Authenticator::can_authenticate_async(const http::Request& request) const {
  if (async_db_ == nullptr) return false;
  // A missing or malformed header fails at once, without a query: fine on either path.
  const auto token = bearer_token(request);
  return !token || !token->starts_with(kApiKeyPrefix);
}

void Authenticator::authenticate_async(const http::Request& request, PrincipalCallback done) const {
  std::optional<auth::AccessClaims> claims;
  std::string token_text;
  std::string cache_key;
  std::uint64_t generation = 0;
  try {
    const auto token = bearer_token(request);
    if (!token || token->starts_with(kApiKeyPrefix)) {
      // No token, a bad header, or an API key: the blocking path's answer (errors only here,
      // since can_authenticate_async() sent API keys to the blocking path).
      return done(nullptr, authenticate(request));
    }
    if (cache_.enabled()) {
      if (auto cached = cache_.find(token_cache_key(*token))) return done(nullptr, *cached);
    }
    auto verified = auth::verify_jwt(*token, jwt_secret_, now_unix_ms() / 1000);
    if (!verified) throw verified.error();
    claims = std::move(*verified);
    cache_key = jwt_cache_key(*claims);
    generation = cache_.generation();
    if (auto cached = cache_.find(cache_key)) return done(nullptr, *cached);
    token_text = std::string(*token);
  } catch (const std::exception&) {
    return done(std::current_exception(), {});
  }
  std::vector<store::Param> params{claims->subject, claims->org_id, claims->session_id};
  async_db_->query(
      store::CredentialRepository::user_session_sql(), std::move(params),
      [this, claims = std::move(*claims), token_text = std::move(token_text),
       cache_key = std::move(cache_key), generation,
       done = std::move(done)](const std::exception_ptr& error, const store::QueryResult& result) {
        if (error) return done(error, {});
        Principal p;
        try {
          p = user_principal(claims, store::CredentialRepository::user_session_found(result));
          cache_.store(cache_key, p, generation);
          store_by_token(cache_, token_text, claims, p, generation);
        } catch (const std::exception&) {
          return done(std::current_exception(), {});
        }
        done(nullptr, std::move(p));
      });
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
  if (!creds.key_creator_active(*key))
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
