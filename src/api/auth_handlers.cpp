// SPDX-License-Identifier: AGPL-3.0-or-later
// Login, token refresh with rotation and reuse detection, logout, and the caller's own account.
//
// Two ways to hold a session. API clients get the refresh token in the JSON body. The web app
// logs in with "session": "cookie": its refresh token then lives in an HttpOnly, SameSite=Strict
// cookie scoped to /api/v1/auth, which scripts cannot read, and the access token only in the
// app's memory. The cookie-authenticated routes (refresh, logout) also need the X-CSRF-Token
// header: an HMAC of the session id under the JWT secret, sent to the app at login and in a
// script-readable cookie, so a page elsewhere cannot make the browser spend the session even
// where SameSite is not enforced.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "http/cookies.hpp"
#include "store/credential_repository.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"

namespace cm::api {

namespace {

constexpr std::int64_t kAccessTtlSeconds = std::int64_t{15} * 60;
constexpr std::int64_t kRefreshTtlMs = 30LL * 24 * 3600 * 1000;
constexpr std::string_view kRefreshPrefix = "rt_";
constexpr std::string_view kRefreshCookie = "cm_refresh";
constexpr std::string_view kCsrfCookie = "cm_csrf";
constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
constexpr std::string_view kAuthPath = "/api/v1/auth";

Error bad_credentials() {
  return {ErrorKind::unauthenticated, "Invalid email or password."};
}

class AuthHandlers {
 public:
  explicit AuthHandlers(const ApiDependencies& deps)
      : db_(deps.db),
        secret_(deps.jwt_secret),
        auth_cache_(deps.auth_cache),
        secure_cookies_(deps.secure_cookies) {}

  http::Response login(http::Request& req) {
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    auto email = r.string("email", {.min = 3, .max = 254, .required = true});
    auto password = r.string(
        "password", {.min = 1, .max = auth::kMaxPasswordLength, .required = true, .trim = false});
    const auto session = r.string("session", {.min = 1, .max = 10});
    if (session && *session != "token" && *session != "cookie")
      r.error("session", "must be token or cookie");
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    const bool cookie_session = session == "cookie";

    std::optional<User> user;
    {
      auto lease = db_.acquire();
      user = store::UserRepository(*lease).find_by_email(normalize_email(*email));
    }
    const auto now = now_unix_ms();
    if (!user) {
      auth::verify_password(*password, auth::dummy_password_hash());  // same cost as a real check
      throw bad_credentials();
    }
    if (user->locked_until > now) throw locked(user->locked_until - now);
    const bool password_ok = auth::verify_password(*password, user->password_hash);
    if (!password_ok || !user->active) {
      if (!password_ok) {
        in_write_transaction(db_, [&](store::Connection& c) {
          const int failures =
              store::UserRepository(c).record_failed_login(user->id, now + kLockoutMs);
          audit_as(c, req, user->org_id, user->id, "user.login_failed", "user", user->id,
                   bj::object{{"failedAttempts", failures}});
        });
      }
      throw bad_credentials();
    }
    bj::object tokens;
    const std::string family = new_id();
    in_write_transaction(db_, [&](store::Connection& c) {
      store::UserRepository(c).reset_failed_logins(user->id);
      tokens = issue_tokens(c, *user, family, now);
      audit_as(c, req, user->org_id, user->id, "user.login", "user", user->id);
    });
    return cookie_session ? cookie_session_response(std::move(tokens), family)
                          : json_response(200, tokens);
  }

  http::Response refresh(http::Request& req) {
    // The body's token when it has one (API clients); else the session cookie (the web app).
    const auto cookie = session_cookie(req);
    auto token = req.body.empty() && cookie ? std::nullopt : read_refresh_token(req, !cookie);
    const bool from_cookie = !token;  // without a cookie, read_refresh_token threw instead
    if (from_cookie) token = cookie;
    const auto now = now_unix_ms();
    bj::object tokens;
    std::string family;
    std::optional<Error> failure;
    in_write_transaction(db_, [&](store::Connection& c) {
      store::CredentialRepository creds(c);
      const auto stored = creds.find_refresh_token(crypto::sha256_hex(*token));
      if (!stored || stored->revoked_at || stored->expires_at <= now) {
        failure =
            Error(ErrorKind::unauthenticated, "The refresh token is not valid; log in again.");
        return;
      }
      // Before the reuse check: a forged request must not be able to end the session either.
      if (from_cookie && !csrf_header_matches(req, stored->family_id)) {
        failure = forbidden("The X-CSRF-Token header is missing or does not match the session.");
        return;
      }
      if (stored->used_at || !creds.mark_refresh_token_used(stored->id, now)) {
        // A rotated token came back: someone holds a copy. End the whole session for safety.
        creds.revoke_family(stored->family_id, now);
        audit_as(c, req, stored->org_id, stored->user_id, "user.refresh_reused", "user",
                 stored->user_id);
        failure =
            Error(ErrorKind::unauthenticated,
                  "The refresh token was already used; the session has been ended. Log in again.");
        return;
      }
      const auto user = store::UserRepository(c).find(stored->org_id, stored->user_id);
      if (!user || !user->active) {
        failure = Error(ErrorKind::unauthenticated, "The user is deactivated.");
        return;
      }
      tokens = issue_tokens(c, *user, stored->family_id, now);
      family = stored->family_id;
    });
    if (failure) {
      auth_cache_.invalidate_all();  // a session may just have been ended
      throw *failure;
    }
    return from_cookie ? cookie_session_response(std::move(tokens), family)
                       : json_response(200, tokens);
  }

  http::Response logout(http::Request& req) {
    const auto& p = principal_of(req);
    const auto body = req.body.empty() ? LogoutBody{} : read_logout_body(req);
    const auto& token = body.refresh_token;
    const auto cookie = session_cookie(req);
    const auto now = now_unix_ms();
    in_write_transaction(db_, [&](store::Connection& c) {
      store::CredentialRepository creds(c);
      if (body.everywhere && p.actor_type == ActorType::user) {
        // Every session of the account on every device, this one included.
        creds.revoke_all_for_user(p.user_id, now);
        audit(c, req, "user.logout_everywhere", "user", p.user_id);
      }
      if (token) {
        const auto stored = creds.find_refresh_token(crypto::sha256_hex(*token));
        if (stored && stored->user_id == p.user_id) creds.revoke_family(stored->family_id, now);
      }
      if (cookie) {
        const auto stored = creds.find_refresh_token(crypto::sha256_hex(*cookie));
        if (stored && stored->user_id == p.user_id) {
          if (!csrf_header_matches(req, stored->family_id))
            throw forbidden("The X-CSRF-Token header is missing or does not match the session.");
          creds.revoke_family(stored->family_id, now);
        }
      }
      if (p.actor_type == ActorType::user) {
        // The access token names its session; ending it makes that token stop working too.
        const auto header = req.header("Authorization");
        if (header && header->size() > 7) {
          auto claims = auth::verify_jwt(header->substr(7), secret_, now / 1000);
          if (claims) creds.revoke_family(claims->session_id, now);
        }
      }
      audit(c, req, "user.logout", "user", p.user_id);
    });
    auth_cache_.invalidate_all();
    auto response = http::Response::empty(204);
    if (cookie) clear_session_cookies(response);
    return response;
  }

  http::Response me(http::Request& req) {
    const auto& p = principal_of(req);
    auto lease = db_.acquire();
    const auto user = store::UserRepository(*lease).find(p.org_id, p.user_id);
    const auto org = store::OrganizationRepository(*lease).find_by_id(p.org_id);
    if (!user || !org) throw not_found("user");
    auto body = to_json(*user);
    body["organization"] = to_json(*org);
    body["actorType"] = p.actor_type == ActorType::api_key ? "api_key" : "user";
    return json_response(200, body);
  }

  http::Response change_password(http::Request& req) {
    const auto& p = principal_of(req);
    if (p.actor_type != ActorType::user) throw forbidden("API keys cannot change passwords.");
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    auto current =
        r.string("currentPassword",
                 {.min = 1, .max = auth::kMaxPasswordLength, .required = true, .trim = false});
    auto next = r.string("newPassword", {.min = 1, .max = 1000, .required = true, .trim = false});
    if (next) {
      if (auto problem = auth::password_problem(*next); !problem.empty())
        r.error("newPassword", problem);
    }
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    std::optional<User> user;
    {
      auto lease = db_.acquire();
      user = store::UserRepository(*lease).find(p.org_id, p.user_id);
    }
    if (!user) throw not_found("user");
    if (!auth::verify_password(*current, user->password_hash))
      throw Error(ErrorKind::validation, "The current password is wrong.",
                  {{"currentPassword", "is wrong"}});
    const auto version = user->version;
    user->password_hash = auth::hash_password(*next);
    user->updated_at = now_unix_ms();
    in_write_transaction(db_, [&](store::Connection& c) {
      if (!store::UserRepository(c).update(*user, version))
        throw Error(ErrorKind::conflict, "The account changed meanwhile; try again.");
      // Other sessions end: whoever knew the old password keeps no refresh token.
      store::CredentialRepository(c).revoke_all_for_user(user->id, user->updated_at);
      audit(c, req, "user.password_changed", "user", user->id);
    });
    auth_cache_.invalidate_all();
    return http::Response::empty(204);
  }

 private:
  static Error locked(std::int64_t remaining_ms) {
    const int seconds = static_cast<int>((remaining_ms + 999) / 1000);
    return Error(ErrorKind::rate_limited, "Too many failed logins; this account is locked for " +
                                              std::to_string((seconds + 59) / 60) +
                                              " more minute(s).")
        .with_retry_after(seconds);
  }

  struct LogoutBody {
    std::optional<std::string> refresh_token;
    bool everywhere = false;
  };

  LogoutBody read_logout_body(const http::Request& req) {
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    LogoutBody out;
    out.refresh_token = refresh_token_field(r, false);
    out.everywhere = r.boolean("everywhere").value_or(false);
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    require_refresh_prefix(out.refresh_token);
    return out;
  }

  static std::optional<std::string> refresh_token_field(json::ObjectReader& r, bool required) {
    return r.string("refreshToken", {.min = 1, .max = 200, .required = required, .trim = false});
  }

  static void require_refresh_prefix(const std::optional<std::string>& token) {
    if (token && !token->starts_with(kRefreshPrefix))
      throw Error(ErrorKind::unauthenticated, "The refresh token is not valid; log in again.");
  }

  std::optional<std::string> read_refresh_token(const http::Request& req, bool required) {
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    auto token = refresh_token_field(r, required);
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    require_refresh_prefix(token);
    return token;
  }

  // The refresh token of the session cookie, when the request carries a well-formed one.
  static std::optional<std::string> session_cookie(const http::Request& req) {
    const auto value = http::cookie_value(req.headers, kRefreshCookie);
    if (!value || !value->starts_with(kRefreshPrefix) || value->size() > 200) return std::nullopt;
    return std::string(*value);
  }

  std::string csrf_token(std::string_view family) const {
    return crypto::base64url_encode(crypto::hmac_sha256(secret_, "csrf\n" + std::string(family)));
  }

  bool csrf_header_matches(const http::Request& req, std::string_view family) const {
    const auto header = req.header(kCsrfHeader);
    return header && crypto::constant_time_equals(*header, csrf_token(family));
  }

  // The token pair of a cookie session: the refresh token moves from the body into the
  // HttpOnly cookie; the CSRF token goes into the body and a cookie scripts can read (so the
  // app finds it again after a reload).
  http::Response cookie_session_response(bj::object tokens, std::string_view family) const {
    const std::string refresh(tokens.at("refreshToken").as_string());
    tokens.erase("refreshToken");
    const auto csrf = csrf_token(family);
    tokens["csrfToken"] = csrf;
    auto response = json_response(200, tokens);
    const std::int64_t max_age = kRefreshTtlMs / 1000;
    response.headers.add("Set-Cookie", http::set_cookie(kRefreshCookie, refresh,
                                                        {.path = kAuthPath,
                                                         .max_age_seconds = max_age,
                                                         .http_only = true,
                                                         .secure = secure_cookies_}));
    response.headers.add("Set-Cookie", http::set_cookie(kCsrfCookie, csrf,
                                                        {.path = "/",
                                                         .max_age_seconds = max_age,
                                                         .http_only = false,
                                                         .secure = secure_cookies_}));
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  void clear_session_cookies(http::Response& response) const {
    response.headers.add("Set-Cookie", http::set_cookie(kRefreshCookie, "",
                                                        {.path = kAuthPath,
                                                         .max_age_seconds = 0,
                                                         .http_only = true,
                                                         .secure = secure_cookies_}));
    response.headers.add(
        "Set-Cookie",
        http::set_cookie(
            kCsrfCookie, "",
            {.path = "/", .max_age_seconds = 0, .http_only = false, .secure = secure_cookies_}));
  }

  bj::object issue_tokens(store::Connection& c, const User& user, const std::string& family,
                          std::int64_t now) {
    const std::string refresh = std::string(kRefreshPrefix) + crypto::random_token(32);
    store::RefreshToken stored{
        new_id(), user.org_id,         user.id,      family,      crypto::sha256_hex(refresh),
        now,      now + kRefreshTtlMs, std::nullopt, std::nullopt};
    store::CredentialRepository(c).insert_refresh_token(stored);
    const auth::AccessClaims claims{user.id, user.org_id, std::string(to_string(user.role)),
                                    family,  now / 1000,  now / 1000 + kAccessTtlSeconds};
    return bj::object{{"accessToken", auth::sign_jwt(claims, secret_)},
                      {"refreshToken", refresh},
                      {"tokenType", "Bearer"},
                      {"expiresIn", kAccessTtlSeconds}};
  }

  store::Database& db_;
  std::string secret_;
  AuthCache& auth_cache_;
  bool secure_cookies_;
};

}  // namespace

void add_auth_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<AuthHandlers>(deps);
  using http::Access;
  router.add(
      "POST", "/api/v1/auth/login", [h](http::Request& r) { return h->login(r); },
      Access::public_route);
  router.add(
      "POST", "/api/v1/auth/refresh", [h](http::Request& r) { return h->refresh(r); },
      Access::public_route);
  router.add("POST", "/api/v1/auth/logout", [h](http::Request& r) { return h->logout(r); });
  router.add("GET", "/api/v1/me", [h](http::Request& r) { return h->me(r); });
  router.add("POST", "/api/v1/me/password",
             [h](http::Request& r) { return h->change_password(r); });
}

}  // namespace cm::api
