// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/range.hpp"

#include <charconv>

#include "core/strings.hpp"

namespace cm::http {

namespace {

// RFC 9110 5.6.3 OWS: spaces and tabs only (the fuzz target's model found \r trimmed as well).
constexpr std::string_view kOptionalWhitespace = " \t";

std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

RangeRequest parse_range(std::optional<std::string_view> header, std::uint64_t size) {
  RangeRequest whole;
  if (!header) return whole;
  auto spec = trim(*header, kOptionalWhitespace);
  if (spec.substr(0, 6) != "bytes=") return whole;
  spec.remove_prefix(6);
  if (spec.find(',') != std::string_view::npos) return whole;
  spec = trim(spec, kOptionalWhitespace);
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const auto first = spec.substr(0, dash);
  const auto last = spec.substr(dash + 1);
  if (first.empty()) {  // suffix: the last N bytes
    const auto n = parse_number(last);
    if (!n) return whole;
    if (*n == 0 || size == 0) return {RangeOutcome::unsatisfiable, {}};
    const auto length = std::min(*n, size);
    return {RangeOutcome::partial, {size - length, length}};
  }
  const auto start = parse_number(first);
  if (!start) return whole;
  std::uint64_t end = size == 0 ? 0 : size - 1;
  if (!last.empty()) {
    const auto e = parse_number(last);
    if (!e || *e < *start) return whole;  // syntactically invalid: ignore the header
    end = std::min(*e, end);
  }
  if (*start >= size) return {RangeOutcome::unsatisfiable, {}};
  return {RangeOutcome::partial, {*start, end - *start + 1}};
}

}  // namespace cm::http
