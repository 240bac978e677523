// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Calendar-date arithmetic for the contract workflow: day offsets, recurring obligations and the
// reminders a daily job sends before a deadline. Builds on CivilDate (core/time.hpp), which
// already parses/formats `YYYY-MM-DD`, knows leap years and adds months with end-of-month
// clamping. Every date here is a calendar date of the organization's time zone; turning an
// instant into such a date is core/time_zone.hpp's job. Pure: no clock, no I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace cm {

// `date` moved by `days` (negative goes back).
CivilDate add_days(const CivilDate& date, std::int64_t days) noexcept;
// Signed number of days from `from` to `to` (positive when `to` is later).
std::int64_t days_between(const CivilDate& from, const CivilDate& to) noexcept;
// Adds whole years; Feb 29 becomes Feb 28 in a common year.
CivilDate add_years(const CivilDate& date, int years) noexcept;

enum class Frequency { monthly, quarterly, yearly };

std::string_view to_string(Frequency frequency) noexcept;
std::optional<Frequency> parse_frequency(std::string_view text) noexcept;
// 1, 3 or 12.
int months_per_period(Frequency frequency) noexcept;

struct Recurrence {
  Frequency frequency = Frequency::monthly;
  std::optional<CivilDate> until;  // last allowed occurrence date, inclusive; nullopt = no end
  bool operator==(const Recurrence&) const = default;
};

// The k-th occurrence (k >= 0) of a series anchored at `anchor`: anchor + k periods, always
// counted from the anchor so the anchor's day of month is kept (Jan 31 monthly: Feb 28/29,
// Mar 31, Apr 30, ...), never drifting to the 28th. Ignores `until`.
CivilDate nth_occurrence(const CivilDate& anchor, Frequency frequency, std::int64_t k) noexcept;

// The first occurrence strictly after `after` (the anchor itself counts when it is later), or
// nullopt once the series has ended. Completing an occurrence due on D schedules
// next_occurrence(anchor, recurrence, D).
std::optional<CivilDate> next_occurrence(const CivilDate& anchor, const Recurrence& recurrence,
                                         const CivilDate& after) noexcept;

// Occurrences in [from, to], at most `limit` of them (bounded for calendars and reports).
std::vector<CivilDate> occurrences_between(const CivilDate& anchor, const Recurrence& recurrence,
                                           const CivilDate& from, const CivilDate& to,
                                           std::size_t limit);

// Reminder offsets before a contract's notice deadline when the organization configured none.
inline constexpr int kDefaultNoticeReminderOffsets[] = {90, 60, 30, 7};
// Offsets before an obligation's due date.
inline constexpr int kDefaultObligationReminderOffsets[] = {14, 7, 1};

struct DueReminder {
  int offset_days = 0;  // days before the deadline
  CivilDate due_date;   // deadline - offset_days
  bool operator==(const DueReminder&) const = default;
};

// The reminders a daily job should have sent by `today` for a deadline: every offset whose due
// date is on or before `today`, not before `not_before` (e.g. the day the contract became active,
// so a contract signed 20 days before its deadline does not get its 90- and 60-day reminders
// late), and only while the deadline has not passed. Ordered by due date (largest offset first),
// without duplicate or negative offsets.
//
// The function is idempotent by design: it returns every reminder that is due, not only "new"
// ones, so a job that missed days catches up. The caller makes sending exactly-once by recording
// (contract id, deadline, offset) under a unique key before sending; the deadline belongs in the
// key because a renewal moves the deadline and starts a new round of reminders.
std::vector<DueReminder> due_reminders(const CivilDate& deadline, std::span<const int> offsets,
                                       const CivilDate& today,
                                       std::optional<CivilDate> not_before = std::nullopt);

}  // namespace cm
