// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// "Today" in an organization's time zone. Deadlines, expirations and reminders are calendar
// dates of the organization's zone, so a daily job must know which date it is there.
//
// g++ 12's libstdc++ has no std::chrono::tzdb/current_zone, and setting TZ for localtime_r is
// process-global and not thread-safe, so zones are parsed here from TZif data (RFC 8536,
// versions 1-4): the transitions in the file, then the POSIX TZ rule of its footer for instants
// after the last transition (e.g. "CET-1CEST,M3.5.0,M10.5.0/3"). Pure: the caller reads
// `/usr/share/zoneinfo/<name>` (validate the name with is_valid_zone_name first) and passes the
// bytes; a loaded TimeZone is immutable and safe to share between threads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace cm {

// A POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0", "<+14>-14"), as found in TZif footers.
struct PosixTzRule {
  int std_offset = 0;  // seconds east of UTC
  std::optional<int> dst_offset;
  struct When {
    enum Kind { julian_no_leap, zero_based, month_week_day } kind = month_week_day;
    int day = 0;  // Jn: 1-365; n: 0-365; M: day of week 0-6 (Sunday = 0)
    int month = 0;
    int week = 0;         // 1-5 (5 = last)
    int time = 2 * 3600;  // seconds after local midnight, may be negative or > 24 h
  };
  When dst_start;
  When dst_end;

  static std::optional<PosixTzRule> parse(std::string_view text) noexcept;
  int offset_at(std::int64_t unix_seconds) const noexcept;
};

class TimeZone {
 public:
  static TimeZone utc();
  // A fixed offset east of UTC, in minutes (-14 h .. +14 h), for organizations configured that
  // way or when no zone data is installed.
  static Result<TimeZone> fixed(int offset_minutes);
  // The bytes of a TZif file; `name` is only recorded. Rejects truncated or inconsistent data
  // and files with leap seconds ("right/" zones).
  static Result<TimeZone> from_tzif(std::string_view name, std::string_view bytes);
  // A POSIX TZ string alone, e.g. "CET-1CEST,M3.5.0,M10.5.0/3".
  static Result<TimeZone> from_posix(std::string_view rule);

  const std::string& name() const noexcept { return name_; }
  // Seconds east of UTC in effect at the instant.
  int offset_at(std::int64_t unix_seconds) const noexcept;

 private:
  TimeZone() = default;
  std::string name_;
  std::vector<std::int64_t> transitions_;  // ascending instants (Unix seconds)
  std::vector<int> offsets_after_;         // offset in effect from transitions_[i]
  int initial_offset_ = 0;                 // before the first transition
  std::optional<PosixTzRule> rule_;        // after the last transition
};

// The calendar date in `zone` at the instant `unix_ms`.
CivilDate date_in(const TimeZone& zone, std::int64_t unix_ms) noexcept;

// An IANA name that is safe to append to the zoneinfo directory: "Europe/Berlin", "UTC",
// "America/Argentina/Buenos_Aires", "Etc/GMT+5". No "..", no leading '/', at most 64 bytes.
bool is_valid_zone_name(std::string_view name) noexcept;

}  // namespace cm
