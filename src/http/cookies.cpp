// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/cookies.hpp"

#include <algorithm>
#include <stdexcept>

namespace cm::http {

namespace {

// RFC 6265 cookie-octet, minus what we never write: base64url, '.', '~'.
bool is_token(std::string_view s) noexcept {
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~';
    if (!ok) return false;
  }
  return !s.empty();
}

// An absolute path of token characters and slashes (no ';' that would end the attribute).
bool is_path(std::string_view s) noexcept {
  if (s.empty() || s.front() != '/') return false;
  for (std::size_t start = 1; start < s.size();) {
    const auto slash = std::min(s.find('/', start), s.size());
    if (slash == start || !is_token(s.substr(start, slash - start))) return false;
    start = slash + 1;
  }
  return true;
}

std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string_view> cookie_value(const Headers& headers, std::string_view name) {
  for (const auto& [field, value] : headers) {
    if (!iequals(field, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      const auto pair = trim_spaces(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
      const auto equals = pair.find('=');
      if (equals == std::string_view::npos || trim_spaces(pair.substr(0, equals)) != name)
        continue;
      auto cookie = trim_spaces(pair.substr(equals + 1));
      if (cookie.size() >= 2 && cookie.front() == '"' && cookie.back() == '"')
        cookie = cookie.substr(1, cookie.size() - 2);
      return cookie;
    }
  }
  return std::nullopt;
}

std::string set_cookie(std::string_view name, std::string_view value,
                       const CookieAttributes& attributes) {
  if (!is_token(name) || (!value.empty() && !is_token(value)) || !is_path(attributes.path))
    throw std::invalid_argument("cookie name, value or path is not a token");
  std::string out;
  out.reserve(name.size() + value.size() + 96);
  out.append(name).append("=").append(value);
  out.append("; Path=").append(attributes.path);
  out.append("; Max-Age=").append(std::to_string(attributes.max_age_seconds));
  if (attributes.http_only) out.append("; HttpOnly");
  if (attributes.secure) out.append("; Secure");
  out.append("; SameSite=Strict");
  return out;
}

}  // namespace cm::http
