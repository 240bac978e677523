// SPDX-License-Identifier: AGPL-3.0-or-later
// Range headers (src/http/range): the first 8 input bytes are the representation size (mostly
// small, so ranges hit its end), the rest the header value. Properties: a partial range lies
// inside the representation and is never empty; the outcome equals a straightforward model of
// RFC 9110 14.1.2 single byte ranges.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "http/range.hpp"

using namespace cm;
using namespace cm::http;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Digits only, at most 19 of them (so any value fits).
std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

// The model: `bytes=first-last`, `bytes=first-`, `bytes=-suffix`, one range only.
RangeRequest model(std::string_view header, std::uint64_t size) {
  auto spec = trim(header);
  if (!spec.starts_with("bytes=")) return {};
  spec = trim(spec.substr(6));
  if (spec.find(',') != std::string_view::npos) return {};
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const auto first = number(spec.substr(0, dash));
  const auto last = number(spec.substr(dash + 1));
  if (dash == 0) {
    if (!last) return {};
    if (*last == 0 || size == 0) return {RangeOutcome::unsatisfiable, {}};
    const auto n = std::min(*last, size);
    return {RangeOutcome::partial, {size - n, n}};
  }
  if (!first) return {};
  if (dash + 1 < spec.size() && (!last || *last < *first)) return {};
  if (*first >= size) return {RangeOutcome::unsatisfiable, {}};
  const auto end = last ? std::min(*last, size - 1) : size - 1;
  return {RangeOutcome::partial, {*first, end - *first + 1}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint64_t raw = 0;
  std::memcpy(&raw, data, 8);
  // Top bit set: any 63-bit size; otherwise a small one.
  const std::uint64_t length = (raw >> 63) != 0 ? (raw & 0x7fffffffffffffffull) : raw % 4096;
  const auto header = fuzz::as_text(data + 8, size - 8);

  CM_FUZZ_CHECK(parse_range(std::nullopt, length).outcome == RangeOutcome::whole);
  const auto got = parse_range(header, length);
  if (got.outcome == RangeOutcome::partial) {
    CM_FUZZ_CHECK(got.span.length >= 1);
    CM_FUZZ_CHECK(got.span.offset < length && got.span.length <= length - got.span.offset);
  }
  const auto want = model(header, length);
  CM_FUZZ_CHECK(got.outcome == want.outcome);
  if (got.outcome == RangeOutcome::partial)
    CM_FUZZ_CHECK(got.span.offset == want.span.offset && got.span.length == want.span.length);
  return 0;
}
