// SPDX-License-Identifier: AGPL-3.0-or-later
// Our TZif reader (src/core/time_zone) against Howard Hinnant's date/tz as Debian packages it
// (libhowardhinnant-date-dev: a compiled libdate-tz built with USE_OS_TZDB=1, reading
// /usr/share/zoneinfo): the by-id read's hot path (a UTC instant to the organization's local
// date) and the first-load cost. Not part of the CMake build (the project does not depend on
// libdate-tz); docs/PERFORMANCE.md ("Time zones: ours or date/tz") has the command and figures.

#include <benchmark/benchmark.h>
#include <date/tz.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include "core/time_zone.hpp"

namespace {

constexpr const char* kZone = "Europe/Berlin";
constexpr std::int64_t kNowMs = 1'795'000'000'000;  // 2026-11-18, after the last DST change

cm::TimeZone load_ours(const char* name) {
  std::ifstream in(std::string("/usr/share/zoneinfo/") + name, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return *cm::TimeZone::from_tzif(name, bytes);
}

cm::CivilDate date_with_date_tz(const date::time_zone* zone, std::int64_t unix_ms) {
  const auto local =
      zone->to_local(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(unix_ms)));
  const date::year_month_day ymd(date::floor<date::days>(local));
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day())};
}

void BM_OursDateIn(benchmark::State& state) {
  const auto zone = load_ours(kZone);
  std::int64_t t = kNowMs;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cm::date_in(zone, t));
    t += 997;
  }
}
BENCHMARK(BM_OursDateIn);

void BM_DateTzToLocal(benchmark::State& state) {
  const auto* zone = date::locate_zone(kZone);
  std::int64_t t = kNowMs;
  for (auto _ : state) {
    benchmark::DoNotOptimize(date_with_date_tz(zone, t));
    t += 997;
  }
}
BENCHMARK(BM_DateTzToLocal);

// As a caller would without its own cache: the zone looked up by name each time.
void BM_DateTzLocateAndToLocal(benchmark::State& state) {
  std::int64_t t = kNowMs;
  for (auto _ : state) {
    benchmark::DoNotOptimize(date_with_date_tz(date::locate_zone(kZone), t));
    t += 997;
  }
}
BENCHMARK(BM_DateTzLocateAndToLocal);

void BM_OursLoadZone(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(load_ours(kZone));
}
BENCHMARK(BM_OursLoadZone);

}  // namespace

// `tz_compare --first-load` (one fresh process per measurement): the cost of the first date in a
// zone, file reads and parsing included. Otherwise the Google Benchmark runner.
int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--first-load") {
    using clock = std::chrono::steady_clock;
    const bool date_tz = argc > 2 && std::string(argv[2]) == "date";
    const auto start = clock::now();
    cm::CivilDate d;
    if (date_tz) {
      d = date_with_date_tz(date::locate_zone(kZone), kNowMs);
    } else {
      d = cm::date_in(load_ours(kZone), kNowMs);
    }
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - start).count();
    std::cout << (date_tz ? "date/tz" : "ours") << " first date " << d.year << "-" << d.month << "-"
              << d.day << " in " << us << " us\n";
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
