// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/calendar.hpp"

#include <algorithm>

namespace cm {

CivilDate add_days(const CivilDate& date, std::int64_t days) noexcept {
  return civil_from_days(days_from_civil(date) + days);
}

std::int64_t days_between(const CivilDate& from, const CivilDate& to) noexcept {
  return days_from_civil(to) - days_from_civil(from);
}

CivilDate add_years(const CivilDate& date, int years) noexcept {
  return add_months(date, years * 12);
}

std::string_view to_string(Frequency frequency) noexcept {
  switch (frequency) {
    case Frequency::monthly:
      return "monthly";
    case Frequency::quarterly:
      return "quarterly";
    case Frequency::yearly:
      return "yearly";
  }
  return "monthly";
}

std::optional<Frequency> parse_frequency(std::string_view text) noexcept {
  for (auto f : {Frequency::monthly, Frequency::quarterly, Frequency::yearly})
    if (text == to_string(f)) return f;
  return std::nullopt;
}

int months_per_period(Frequency frequency) noexcept {
  switch (frequency) {
    case Frequency::monthly:
      return 1;
    case Frequency::quarterly:
      return 3;
    case Frequency::yearly:
      return 12;
  }
  return 1;
}

CivilDate nth_occurrence(const CivilDate& anchor, Frequency frequency, std::int64_t k) noexcept {
  return add_months(anchor, static_cast<int>(k * months_per_period(frequency)));
}

namespace {

// A month number that orders dates by year and month only.
std::int64_t month_index(const CivilDate& d) noexcept {
  return std::int64_t{d.year} * 12 + d.month - 1;
}

}  // namespace

std::optional<CivilDate> next_occurrence(const CivilDate& anchor, const Recurrence& recurrence,
                                         const CivilDate& after) noexcept {
  const int step = months_per_period(recurrence.frequency);
  // Jump close to `after` instead of walking from the anchor, then step forward; the clamped
  // occurrence is within the same month index, so at most two steps remain.
  std::int64_t k = 0;
  if (after >= anchor)
    k = std::max<std::int64_t>(0, (month_index(after) - month_index(anchor)) / step);
  CivilDate next = nth_occurrence(anchor, recurrence.frequency, k);
  while (next <= after) next = nth_occurrence(anchor, recurrence.frequency, ++k);
  if (recurrence.until && next > *recurrence.until) return std::nullopt;
  return next;
}

std::vector<CivilDate> occurrences_between(const CivilDate& anchor, const Recurrence& recurrence,
                                           const CivilDate& from, const CivilDate& to,
                                           std::size_t limit) {
  std::vector<CivilDate> out;
  if (to < from) return out;
  auto next = next_occurrence(anchor, recurrence, add_days(from, -1));
  while (next && *next <= to && out.size() < limit) {
    out.push_back(*next);
    next = next_occurrence(anchor, recurrence, *next);
  }
  return out;
}

std::vector<DueReminder> due_reminders(const CivilDate& deadline, std::span<const int> offsets,
                                       const CivilDate& today,
                                       std::optional<CivilDate> not_before) {
  std::vector<DueReminder> out;
  if (today > deadline) return out;
  std::vector<int> sorted(offsets.begin(), offsets.end());
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (int offset : sorted) {
    if (offset < 0) continue;
    const CivilDate due = add_days(deadline, -offset);
    if (due > today) continue;
    if (not_before && due < *not_before) continue;
    out.push_back({offset, due});
  }
  return out;
}

}  // namespace cm
