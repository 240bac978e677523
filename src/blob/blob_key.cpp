// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/blob_key.hpp"

namespace cm::blob {
namespace {

bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '/';
}

}  // namespace

std::optional<std::string> key_problem(std::string_view key) {
  if (key.empty()) return "is empty";
  if (key.size() > kMaxKeyBytes) return "is longer than 1024 bytes";
  for (const char c : key) {
    if (!is_key_char(c)) return "may only contain A-Z a-z 0-9 - _ . /";
  }
  if (key.front() == '/') return "must be relative (no leading '/')";
  if (key.back() == '/') return "must not end with '/'";
  std::string_view rest = key;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty()) return "must not contain '//'";
    if (segment.front() == '.') return "has a segment starting with '.' (such as '..')";
    if (segment.size() > kMaxSegmentBytes) return "has a segment longer than 255 bytes";
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return std::nullopt;
}

Result<bool> check_key(std::string_view key) {
  if (auto problem = key_problem(key)) {
    return Error(ErrorKind::bad_request,
                 "invalid blob key \"" + printable_key(key) + "\": " + *problem);
  }
  return true;
}

std::string printable_key(std::string_view key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : key.substr(0, 200)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F && c != '"' && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  if (key.size() > 200) out += "...";
  return out;
}

}  // namespace cm::blob
