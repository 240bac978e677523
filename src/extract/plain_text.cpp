// SPDX-License-Identifier: AGPL-3.0-or-later
// Plain text and Markdown: UTF-8 (with or without a byte order mark) or UTF-16 with a byte
// order mark; invalid UTF-8 is replaced, not rejected.

#include "extract/formats.hpp"

namespace cm::extract::detail {
namespace {

void append_utf16(std::string_view bytes, bool little_endian, TextBuilder& out) {
  const auto unit = [&](std::size_t i) -> char32_t {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    return little_endian ? (b0 | (b1 << 8)) : ((b0 << 8) | b1);
  };
  std::size_t i = 0;
  while (i + 1 < bytes.size() && !out.full()) {
    char32_t c = unit(i);
    i += 2;
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < bytes.size()) {
      const char32_t low = unit(i);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    out.append(c);  // a lone surrogate becomes U+FFFD
  }
}

}  // namespace

Extraction extract_plain_text(std::string_view bytes, bool input_cut, const ExtractLimits& limits) {
  TextBuilder out(limits.max_output_chars);
  if (bytes.substr(0, 2) == "\xFF\xFE") {
    append_utf16(bytes.substr(2), true, out);
  } else if (bytes.substr(0, 2) == "\xFE\xFF") {
    append_utf16(bytes.substr(2), false, out);
  } else {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    // A cut through the middle of a UTF-8 sequence is not an encoding error.
    if (input_cut) {
      std::size_t lead = bytes.size();
      while (lead > 0 && bytes.size() - lead < 4 &&
             (static_cast<unsigned char>(bytes[lead - 1]) & 0xC0) == 0x80) {
        --lead;
      }
      if (lead > 0) {
        const auto c = static_cast<unsigned char>(bytes[lead - 1]);
        const std::size_t needed = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (bytes.size() - (lead - 1) < needed) bytes = bytes.substr(0, lead - 1);
      }
    }
    out.append(bytes);
  }
  Extraction result = out.finish(0);
  result.truncated = result.truncated || input_cut;
  return result;
}

}  // namespace cm::extract::detail
