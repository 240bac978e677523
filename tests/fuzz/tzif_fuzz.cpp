// SPDX-License-Identifier: AGPL-3.0-or-later
// The TZif reader (src/core/time_zone) on the input as a zone file, and its POSIX TZ rule
// parser on the input as a rule. Properties: never throws; a loaded zone gives offsets within
// 26 hours at every instant of years -100000..100000 (including its own transitions there) and
// dates for them; a rule's offset is always its standard or its daylight offset.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/time_zone.hpp"
#include "fuzz_support.hpp"

using namespace cm;

namespace {

constexpr std::int64_t kSpan = 3'155'760'000'000;  // 100000 years of seconds
constexpr int kMaxOffset = 26 * 3600;

std::int64_t be64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return static_cast<std::int64_t>(v);
}

void check_instant(const TimeZone& zone, std::int64_t t) {
  t = std::clamp(t, -kSpan, kSpan);
  const int offset = zone.offset_at(t);
  CM_FUZZ_CHECK(offset > -kMaxOffset && offset < kMaxOffset);
  const auto date = date_in(zone, t * 1000);
  CM_FUZZ_CHECK(date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= 31);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  fuzz::only_cm_errors([&] {
    if (const auto zone = TimeZone::from_tzif("Fuzz/Zone", input)) {
      for (const std::int64_t t : {std::int64_t{0}, std::int64_t{1'800'000'000}, -kSpan, kSpan,
                                   std::int64_t{-2'208'988'800}, std::int64_t{4'102'444'800}})
        check_instant(*zone, t);
      // Instants named by the input: every aligned 8 bytes, as a TZif v2 transition would be.
      for (std::size_t at = 0; at + 8 <= size && at < 4096; at += 8) {
        const auto t = std::clamp(be64(data + at), -kSpan, kSpan);
        check_instant(*zone, t);
        check_instant(*zone, t - 1);
      }
    }
    if (input.size() <= 128) {
      if (const auto rule = PosixTzRule::parse(input)) {
        for (std::int64_t t = -kSpan; t <= kSpan; t += kSpan / 50) {
          const int offset = rule->offset_at(t);
          CM_FUZZ_CHECK(offset == rule->std_offset ||
                        (rule->dst_offset && offset == *rule->dst_offset));
        }
        const auto zone = TimeZone::from_posix(input);
        CM_FUZZ_CHECK(zone.ok());
        check_instant(*zone, 1'800'000'000);
      }
    }
  });
  return 0;
}
