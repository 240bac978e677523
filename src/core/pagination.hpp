// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Keyset pagination: a cursor carries the sort key and id of the last item of a page, so the
// next page starts strictly after it whatever was inserted meanwhile (no OFFSET).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace cm {

inline constexpr int kDefaultLimit = 50;
inline constexpr int kMaxLimit = 200;

using SortKey = std::variant<std::int64_t, std::string>;

struct Cursor {
  std::string sort;  // the sort it was made for, e.g. "-createdAt"
  SortKey key;
  std::string id;
};

// Opaque text (base64url JSON). Decoding validates shape and rejects a cursor made for a
// different sort.
std::string encode_cursor(const Cursor& cursor);
Result<Cursor> decode_cursor(std::string_view text, std::string_view expected_sort);

// `limit` from the query string: default 50, 1..200.
Result<int> parse_limit(std::optional<std::string_view> text);

struct SortSpec {
  std::string field;  // API name, e.g. "createdAt"
  bool descending = false;
  std::string text() const { return (descending ? "-" : "") + field; }
};

// Parses `sort=field` / `sort=-field` against the allowed fields.
Result<SortSpec> parse_sort(std::optional<std::string_view> text,
                            const std::vector<std::string>& allowed, SortSpec fallback);

}  // namespace cm
