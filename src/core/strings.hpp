// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The small string helpers the whole tree shares. ASCII only, on purpose: they are for protocol
// tokens (header names, media types, configuration words, SQL keywords), never for people's text.

#include <string>
#include <string_view>

namespace cm {

inline constexpr std::string_view kWhitespace = " \t\r\n";

// `s` without leading and trailing characters of `chars` (white space by default).
constexpr std::string_view trim(std::string_view s, std::string_view chars = kWhitespace) noexcept {
  const auto first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

// 0-15 for a hexadecimal digit of either case, -1 for anything else.
constexpr int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char to_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

// Equal but for the case of ASCII letters.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

}  // namespace cm
