#pragma once
// Turns `Authorization: Bearer ...` into a Principal: a JWT for people, `cm_...` for API keys.
// Every request re-reads the user (or key) so that deactivation, role changes, logout and key
// revocation take effect at once rather than when a token expires.

#include <string>

#include "api/auth_cache.hpp"
#include "core/principal.hpp"
#include "http/request.hpp"
#include "store/database.hpp"

namespace cm::api {

class Authenticator {
 public:
  Authenticator(store::Database& db, std::string jwt_secret, AuthCache& cache)
      : db_(db), jwt_secret_(std::move(jwt_secret)), cache_(cache) {}
  // Throws Error(unauthenticated) with a reason the client may see.
  Principal authenticate(const http::Request& request) const;

 private:
  Principal from_jwt(std::string_view token) const;
  Principal from_api_key(std::string_view token) const;
  store::Database& db_;
  std::string jwt_secret_;
  AuthCache& cache_;
};

inline constexpr std::string_view kApiKeyPrefix = "cm_";

}  // namespace cm::api
