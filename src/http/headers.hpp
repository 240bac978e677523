// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Case-insensitive HTTP header list, independent of the transport library so that handlers and
// middleware never include Beast.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/strings.hpp"

namespace cm::http {

// ASCII case-insensitive equality (core/strings.hpp), as header names compare.
using cm::iequals;

// Precondition and retry headers, parsed here so that they can be fuzzed without the API layer.
// The ETag of a resource version: `"7"`.
std::string version_etag(std::int64_t version);
// The version an If-Match value names: `"7"`, `W/"7"` or a bare `7`; nullopt when it names none.
std::optional<std::int64_t> parse_version_etag(std::string_view if_match) noexcept;
// If-None-Match: a comma-separated list of entity tags or `*`, compared weakly (RFC 9110 13.1.2).
bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept;
// An Idempotency-Key value: 1-200 visible ASCII characters.
bool is_valid_idempotency_key(std::string_view key) noexcept;

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  std::optional<std::string_view> get(std::string_view name) const noexcept;
  bool has(std::string_view name) const noexcept { return get(name).has_value(); }
  // Replaces every field of that name.
  void set(std::string_view name, std::string value);
  // Keeps existing fields of that name (for Set-Cookie, Vary, ...).
  void add(std::string_view name, std::string value);
  void erase(std::string_view name);

  const std::vector<Field>& fields() const noexcept { return fields_; }
  auto begin() const noexcept { return fields_.begin(); }
  auto end() const noexcept { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace cm::http
