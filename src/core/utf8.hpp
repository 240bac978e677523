// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// UTF-8: decoding one sequence, shared by everything that walks text code point by code point
// (text extraction, the word diff), and the validity check and length of client strings. Invalid
// input never throws: it decodes as U+FFFD over one byte, so the caller resynchronizes on the
// next.

#include <cstddef>
#include <string_view>

namespace cm::utf8 {

struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;  // bytes consumed
  bool valid = true;
};

// The code point starting at `s[i]` (i < s.size()). Overlong forms, surrogates, values past
// U+10FFFF and truncated sequences are invalid.
constexpr CodePoint decode(std::string_view s, std::size_t i) noexcept {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return {0xFFFD, 1, false};
  }
  if (i + length > s.size()) return {0xFFFD, 1, false};
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return {0xFFFD, 1, false};
    value = (value << 6) | (c & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
    return {0xFFFD, 1, false};
  return {value, length, true};
}

// Whether `s` is entirely valid UTF-8 (strings from clients end up in logs, PDFs and other
// people's screens).
constexpr bool is_valid(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto cp = decode(s, i);
    if (!cp.valid) return false;
    i += cp.length;
  }
  return true;
}

// The number of code points in valid UTF-8 (bytes that are not continuation bytes).
constexpr std::size_t length(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace cm::utf8
