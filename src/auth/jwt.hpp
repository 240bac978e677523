// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// HS256 JSON Web Tokens for access tokens. Only HS256 is accepted: a token that names another
// algorithm (including "none") is rejected before any signature check.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cm::auth {

struct AccessClaims {
  std::string subject;  // user id
  std::string org_id;
  std::string role;
  std::string session_id;       // refresh-token family, so logout can end access early
  std::int64_t issued_at = 0;   // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
};

std::string sign_jwt(const AccessClaims& claims, std::string_view secret);
// Verifies signature, algorithm, expiry and that the token is already valid (`iat` and, when
// present, `nbf` not in the future) (`now` in unix seconds, 30 s leeway).
Result<AccessClaims> verify_jwt(std::string_view token, std::string_view secret, std::int64_t now);

}  // namespace cm::auth
