// SPDX-License-Identifier: AGPL-3.0-or-later
// Cross-check for docs/PERFORMANCE.md ("Time zones: our TZif reader or date/tz"): our TZif
// reader and date/tz (Debian's libdate-tz, USE_OS_TZDB) on the UTC offset of every zone of
// date::get_tzdb(), one instant every 3 days and 1 hour in [from, to) (Unix seconds; default
// 1970-01-01 to 2037-01-01). Not part of the CMake build; built like tz_compare.cpp without
// -lbenchmark. `tz_agree 2114380800 4102444800` checks 2037-2100.

#include <date/tz.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "core/time_zone.hpp"

int main(int argc, char** argv) {
  const std::int64_t from = argc > 1 ? std::atoll(argv[1]) : 0;
  const std::int64_t to = argc > 2 ? std::atoll(argv[2]) : 2'114'380'800;
  long checked = 0, differ = 0, zones = 0, unreadable = 0;
  for (const auto& z : date::get_tzdb().zones) {
    std::ifstream in("/usr/share/zoneinfo/" + std::string(z.name()), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto ours = cm::TimeZone::from_tzif(z.name(), bytes);
    if (!ours) {
      ++unreadable;
      continue;
    }
    ++zones;
    for (std::int64_t t = from; t < to; t += 86'400 * 3 + 3'600) {
      const auto theirs = z.get_info(date::sys_seconds(std::chrono::seconds(t))).offset.count();
      ++checked;
      if (ours->offset_at(t) != theirs && ++differ <= 5)
        std::cout << z.name() << " at " << t << ": ours " << ours->offset_at(t) << ", date/tz "
                  << theirs << "\n";
    }
  }
  std::cout << zones << " zones (" << unreadable << " unreadable by ours), " << checked
            << " instants, " << differ << " differ\n";
  return differ == 0 ? 0 : 1;
}
