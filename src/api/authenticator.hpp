// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Turns `Authorization: Bearer ...` into a Principal: a JWT for people, `cm_...` for API keys.
// Every request re-reads the user (or key) so that deactivation, role changes, logout and key
// revocation take effect at once rather than when a token expires.

#include <exception>
#include <functional>
#include <string>

#include "api/auth_cache.hpp"
#include "core/principal.hpp"
#include "http/request.hpp"
#include "store/async_database.hpp"
#include "store/database.hpp"

namespace cm::api {

class Authenticator {
 public:
  // `async_db` (optional) lets JWT requests authenticate without blocking on a cache miss.
  Authenticator(store::Database& db, std::string jwt_secret, AuthCache& cache,
                store::AsyncDatabase* async_db = nullptr)
      : db_(db), jwt_secret_(std::move(jwt_secret)), cache_(cache), async_db_(async_db) {}
  // Throws Error(unauthenticated) with a reason the client may see.
  Principal authenticate(const http::Request& request) const;

  // Whether authenticate_async() can serve this request: a Bearer JWT with an AsyncDatabase, or
  // a principal already cached. API keys (rare, and they may write last_used_at) stay blocking.
  bool can_authenticate_async(const http::Request& request) const;
  // Calls `done` exactly once: inline on a cache hit or a bad token, else from an I/O thread.
  using PrincipalCallback = std::function<void(std::exception_ptr error, Principal principal)>;
  void authenticate_async(const http::Request& request, PrincipalCallback done) const;

 private:
  Principal from_jwt(std::string_view token) const;
  Principal from_api_key(std::string_view token) const;
  store::Database& db_;
  std::string jwt_secret_;
  AuthCache& cache_;
  store::AsyncDatabase* async_db_;
};

inline constexpr std::string_view kApiKeyPrefix = "cm_";

}  // namespace cm::api
