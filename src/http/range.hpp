// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Single byte ranges (RFC 9110 14.1): `bytes=0-99`, `bytes=100-`, `bytes=-100`. Multiple
// ranges are answered with the whole representation (allowed by the RFC), as is anything that
// is not a bytes range.

#include <cstdint>
#include <optional>
#include <string_view>

namespace cm::http {

struct ByteSpan {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

enum class RangeOutcome { whole, partial, unsatisfiable };

struct RangeRequest {
  RangeOutcome outcome = RangeOutcome::whole;
  ByteSpan span;  // for `partial`
};

RangeRequest parse_range(std::optional<std::string_view> header, std::uint64_t size);

}  // namespace cm::http
