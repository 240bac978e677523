// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Time as the API speaks it: instants are Unix milliseconds internally and RFC 3339 UTC with
// milliseconds on the wire (`2026-11-26T04:12:26.123Z`); calendar dates are `YYYY-MM-DD`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cm {

std::int64_t now_unix_ms() noexcept;

// 2026-11-26T04:12:26.123Z
std::string format_rfc3339(std::int64_t unix_ms);
// Accepts RFC 3339 with `Z` or a numeric offset, optional fraction (any digits, truncated to ms).
std::optional<std::int64_t> parse_rfc3339(std::string_view text) noexcept;

struct CivilDate {
  int year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;    // 1-31

  auto operator<=>(const CivilDate&) const = default;  // NOLINT(modernize-use-nullptr): tidy 14 bug
};

// Strict `YYYY-MM-DD`, a real calendar day (leap years checked), years 1900-9999.
std::optional<CivilDate> parse_date(std::string_view text) noexcept;
std::string format_date(const CivilDate& date);
namespace json {
class ObjectReader;
}
// The optional member `key` of a JSON object as a date; a value that is not one is recorded on
// the reader as "must be a date in the form YYYY-MM-DD".
std::optional<CivilDate> read_date(json::ObjectReader& reader, std::string_view key);

// Days since 1970-01-01 (proleptic Gregorian), and back.
std::int64_t days_from_civil(const CivilDate& date) noexcept;
CivilDate civil_from_days(std::int64_t days) noexcept;
// The UTC calendar date of an instant.
CivilDate date_of(std::int64_t unix_ms) noexcept;
bool is_leap_year(int year) noexcept;
unsigned days_in_month(int year, unsigned month) noexcept;
// Adds months, clamping the day to the end of the target month (Jan 31 + 1 month = Feb 28/29).
CivilDate add_months(const CivilDate& date, int months) noexcept;

}  // namespace cm
