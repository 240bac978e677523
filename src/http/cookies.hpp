// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// HTTP cookies (RFC 6265): reading one from a request's Cookie header and writing Set-Cookie.
// Used only by the browser session (the refresh token in an HttpOnly cookie); API clients send
// bearer tokens and never need a cookie.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/headers.hpp"

namespace cm::http {

// The value of the first cookie called `name` in every Cookie field; nullopt when absent.
std::optional<std::string_view> cookie_value(const Headers& headers, std::string_view name);

struct CookieAttributes {
  std::string_view path = "/";
  std::int64_t max_age_seconds = 0;  // 0 deletes the cookie
  bool http_only = true;             // false only for values scripts must read (CSRF token)
  bool secure = true;                // false only in development over plain http
};

// A Set-Cookie value; always SameSite=Strict. `name` and `value` must be cookie tokens
// (base64url here); anything else throws std::invalid_argument.
std::string set_cookie(std::string_view name, std::string_view value,
                       const CookieAttributes& attributes);

}  // namespace cm::http
