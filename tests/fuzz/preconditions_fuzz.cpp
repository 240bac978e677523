// SPDX-License-Identifier: AGPL-3.0-or-later
// If-Match versions, If-None-Match lists and Idempotency-Key values (src/http/headers, used by
// src/api/support.cpp, src/api/document_handlers.cpp and src/http/static_files.cpp).
// Properties: every version's ETag parses back to it, weak or not; a parsed If-Match names the
// version whose ETag it is (modulo weak prefix, quotes and leading zeros); If-None-Match agrees
// with a model of the weak comparison of RFC 9110 13.1.2; key validity agrees with its rule.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "http/headers.hpp"

using namespace cm;
using namespace cm::http;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view strip_weak(std::string_view t) {
  return t.starts_with("W/") ? t.substr(2) : t;
}

bool model_matches(std::string_view header, std::string_view etag) {
  std::vector<std::string_view> items;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= header.size(); ++i)
    if (i == header.size() || header[i] == ',') {
      items.push_back(trim(header.substr(start, i - start)));
      start = i + 1;
    }
  for (const auto item : items)
    if (!item.empty() && (item == "*" || strip_weak(item) == strip_weak(etag))) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);

  if (size >= 8) {
    std::int64_t version = 0;
    std::memcpy(&version, data, 8);
    const auto etag = version_etag(version);
    CM_FUZZ_CHECK(parse_version_etag(etag) == version);
    CM_FUZZ_CHECK(parse_version_etag("W/" + etag) == version);
    CM_FUZZ_CHECK(etag_matches(etag, etag) && etag_matches("W/" + etag, etag));
    CM_FUZZ_CHECK(etag_matches(std::string(input.substr(8)) + "," + etag, etag));
  }

  if (const auto version = parse_version_etag(input)) {
    // Whatever was accepted is the version's ETag, up to the weak prefix, the quotes and
    // leading zeros or a minus sign on zero.
    auto v = strip_weak(input);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    CM_FUZZ_CHECK(!v.empty() && v.find_first_not_of("-0123456789") == std::string_view::npos);
    CM_FUZZ_CHECK(parse_version_etag(version_etag(*version)) == *version);
  }

  // If-None-Match: the input split at its first NUL into header and entity tag.
  const auto nul = input.find('\0');
  const auto header = input.substr(0, nul);
  const auto etag = nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1);
  if (!strip_weak(etag).empty())  // ours never are
    CM_FUZZ_CHECK(etag_matches(header, etag) == model_matches(header, etag));

  bool visible = !input.empty() && input.size() <= 200;
  for (const char c : input) visible = visible && c > ' ' && c < 127;
  CM_FUZZ_CHECK(is_valid_idempotency_key(input) == visible);
  return 0;
}
