// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/calendar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/literals.hpp"

namespace cm {
namespace {

std::vector<std::string> formatted(const std::vector<CivilDate>& dates) {
  std::vector<std::string> out;
  for (const auto& date : dates) out.push_back(format_date(date));
  return out;
}

using Dates = std::vector<std::string>;

TEST(Calendar, AddDaysAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(format_date(add_days(test::civil_date("2026-01-31"), 1)), "2026-02-01");
  EXPECT_EQ(format_date(add_days(test::civil_date("2026-12-31"), 1)), "2027-01-01");
  EXPECT_EQ(format_date(add_days(test::civil_date("2024-02-28"), 1)), "2024-02-29");
  EXPECT_EQ(format_date(add_days(test::civil_date("2025-02-28"), 1)), "2025-03-01");
  EXPECT_EQ(format_date(add_days(test::civil_date("2000-02-28"), 1)),
            "2000-02-29");  // divisible by 400
  EXPECT_EQ(format_date(add_days(test::civil_date("2100-02-28"), 1)),
            "2100-03-01");  // divisible by 100
  EXPECT_EQ(format_date(add_days(test::civil_date("2026-03-01"), -1)), "2026-02-28");
  EXPECT_EQ(format_date(add_days(test::civil_date("2026-06-15"), 0)), "2026-06-15");
  EXPECT_EQ(format_date(add_days(test::civil_date("2024-01-01"), 366)), "2025-01-01");
}

TEST(Calendar, DaysBetweenIsSigned) {
  EXPECT_EQ(days_between(test::civil_date("2026-01-01"), test::civil_date("2026-01-01")), 0);
  EXPECT_EQ(days_between(test::civil_date("2026-01-01"), test::civil_date("2027-01-01")), 365);
  EXPECT_EQ(days_between(test::civil_date("2024-01-01"), test::civil_date("2025-01-01")), 366);
  EXPECT_EQ(days_between(test::civil_date("2024-03-01"), test::civil_date("2024-02-28")), -2);
  for (std::int64_t n : {-1000, -1, 0, 1, 59, 1461}) {
    EXPECT_EQ(
        days_between(test::civil_date("2023-05-17"), add_days(test::civil_date("2023-05-17"), n)),
        n);
  }
}

TEST(Calendar, AddYearsFromALeapDay) {
  EXPECT_EQ(format_date(add_years(test::civil_date("2024-02-29"), 1)), "2025-02-28");
  EXPECT_EQ(format_date(add_years(test::civil_date("2024-02-29"), 4)), "2028-02-29");
  EXPECT_EQ(format_date(add_years(test::civil_date("2024-02-29"), -1)), "2023-02-28");
  EXPECT_EQ(format_date(add_years(test::civil_date("2026-07-04"), 3)), "2029-07-04");
}

TEST(Calendar, AddMonthsClampsToMonthEnds) {
  EXPECT_EQ(format_date(add_months(test::civil_date("2026-01-31"), 1)), "2026-02-28");
  EXPECT_EQ(format_date(add_months(test::civil_date("2028-01-31"), 1)), "2028-02-29");
  EXPECT_EQ(format_date(add_months(test::civil_date("2026-03-31"), 1)), "2026-04-30");
  EXPECT_EQ(format_date(add_months(test::civil_date("2026-08-31"), 1)), "2026-09-30");
  EXPECT_EQ(format_date(add_months(test::civil_date("2026-12-31"), 2)), "2027-02-28");
}

TEST(Calendar, FrequencyNames) {
  for (auto f : {Frequency::monthly, Frequency::quarterly, Frequency::yearly})
    EXPECT_EQ(parse_frequency(to_string(f)), f);
  EXPECT_EQ(to_string(Frequency::quarterly), "quarterly");
  EXPECT_FALSE(parse_frequency("weekly"));
  EXPECT_FALSE(parse_frequency("Monthly"));
  EXPECT_EQ(months_per_period(Frequency::monthly), 1);
  EXPECT_EQ(months_per_period(Frequency::quarterly), 3);
  EXPECT_EQ(months_per_period(Frequency::yearly), 12);
}

// Walks the series by completing each occurrence on its due date.
Dates series(std::string_view anchor, Recurrence r, std::size_t count) {
  Dates out;
  auto next = next_occurrence(test::civil_date(anchor), r, add_days(test::civil_date(anchor), -1));
  while (next && out.size() < count) {
    out.push_back(format_date(*next));
    next = next_occurrence(test::civil_date(anchor), r, *next);
  }
  return out;
}

TEST(Recurrence, MonthlyFromTheThirtyFirstKeepsTheAnchorDay) {
  EXPECT_EQ(series("2026-01-31", {Frequency::monthly}, 7),
            (Dates{"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31",
                   "2026-06-30", "2026-07-31"}));
  EXPECT_EQ(series("2028-01-31", {Frequency::monthly}, 3),
            (Dates{"2028-01-31", "2028-02-29", "2028-03-31"}));
  EXPECT_EQ(series("2026-01-30", {Frequency::monthly}, 3),
            (Dates{"2026-01-30", "2026-02-28", "2026-03-30"}));
}

TEST(Recurrence, QuarterlyAndYearly) {
  EXPECT_EQ(series("2026-11-30", {Frequency::quarterly}, 5),
            (Dates{"2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30", "2027-11-30"}));
  EXPECT_EQ(series("2024-02-29", {Frequency::yearly}, 5),
            (Dates{"2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"}));
}

TEST(Recurrence, EndsOnItsUntilDateInclusive) {
  EXPECT_EQ(series("2026-01-15", {Frequency::monthly, test::civil_date("2026-04-15")}, 100),
            (Dates{"2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15"}));
  EXPECT_EQ(series("2026-01-15", {Frequency::monthly, test::civil_date("2026-04-14")}, 100),
            (Dates{"2026-01-15", "2026-02-15", "2026-03-15"}));
  // An until before the anchor: no occurrence at all.
  EXPECT_FALSE(next_occurrence(test::civil_date("2026-01-15"),
                               {Frequency::monthly, test::civil_date("2026-01-14")},
                               test::civil_date("2025-12-31")));
}

TEST(Recurrence, NextAfterAnArbitraryDate) {
  const Recurrence monthly{Frequency::monthly};
  const auto next = [&](std::string_view anchor, std::string_view after) {
    auto r = next_occurrence(test::civil_date(anchor), monthly, test::civil_date(after));
    return r ? format_date(*r) : std::string("none");
  };
  EXPECT_EQ(next("2026-01-31", "2026-02-27"), "2026-02-28");
  EXPECT_EQ(next("2026-01-31", "2026-02-28"), "2026-03-31");  // strictly after
  EXPECT_EQ(next("2026-01-31", "2026-03-01"), "2026-03-31");
  EXPECT_EQ(next("2026-01-31", "2025-06-01"), "2026-01-31");  // before the anchor: the anchor
  EXPECT_EQ(next("2026-01-31", "2030-12-31"), "2031-01-31");  // far ahead, no drift
  EXPECT_EQ(next("2026-01-05", "2026-01-05"), "2026-02-05");
  auto q = next_occurrence(test::civil_date("2026-01-31"), {Frequency::quarterly},
                           test::civil_date("2026-05-15"));
  ASSERT_TRUE(q);
  EXPECT_EQ(format_date(*q), "2026-07-31");
  EXPECT_EQ(format_date(nth_occurrence(test::civil_date("2026-01-31"), Frequency::monthly, 13)),
            "2027-02-28");
}

TEST(Recurrence, OccurrencesInAWindowAreBounded) {
  const Recurrence monthly{Frequency::monthly, test::civil_date("2026-12-31")};
  EXPECT_EQ(formatted(occurrences_between(test::civil_date("2026-01-31"), monthly,
                                          test::civil_date("2026-02-01"),
                                          test::civil_date("2026-05-30"), 100)),
            (Dates{"2026-02-28", "2026-03-31", "2026-04-30"}));
  EXPECT_EQ(formatted(occurrences_between(test::civil_date("2026-01-31"), monthly,
                                          test::civil_date("2026-01-31"),
                                          test::civil_date("2026-01-31"), 100)),
            (Dates{"2026-01-31"}));
  EXPECT_EQ(occurrences_between(test::civil_date("2026-01-31"), monthly,
                                test::civil_date("2020-01-01"), test::civil_date("2030-01-01"), 100)
                .size(),
            12u);  // stops at until
  EXPECT_EQ(occurrences_between(test::civil_date("2026-01-31"), {Frequency::monthly},
                                test::civil_date("2020-01-01"), test::civil_date("2099-01-01"), 5)
                .size(),
            5u);
  EXPECT_TRUE(occurrences_between(test::civil_date("2026-01-31"), monthly,
                                  test::civil_date("2026-03-01"), test::civil_date("2026-02-01"),
                                  100)
                  .empty());
}

std::vector<std::pair<int, std::string>> due(std::string_view deadline, std::vector<int> offsets,
                                             std::string_view today,
                                             std::optional<std::string_view> not_before = {}) {
  std::optional<CivilDate> start;
  if (not_before) start = test::civil_date(*not_before);
  std::vector<std::pair<int, std::string>> out;
  for (const auto& r :
       due_reminders(test::civil_date(deadline), offsets, test::civil_date(today), start))
    out.emplace_back(r.offset_days, format_date(r.due_date));
  return out;
}

using Due = std::vector<std::pair<int, std::string>>;

TEST(Reminders, DueOnOrAfterTheirDate) {
  const std::vector<int> offsets(std::begin(kDefaultNoticeReminderOffsets),
                                 std::end(kDefaultNoticeReminderOffsets));
  // Deadline 2026-12-31: due 10-02 (90), 11-01 (60), 12-01 (30), 12-24 (7).
  EXPECT_EQ(due("2026-12-31", offsets, "2026-10-01"), Due{});
  EXPECT_EQ(due("2026-12-31", offsets, "2026-10-02"), (Due{{90, "2026-10-02"}}));
  EXPECT_EQ(due("2026-12-31", offsets, "2026-11-15"),
            (Due{{90, "2026-10-02"}, {60, "2026-11-01"}}));
  EXPECT_EQ(due("2026-12-31", offsets, "2026-12-31"),
            (Due{{90, "2026-10-02"}, {60, "2026-11-01"}, {30, "2026-12-01"}, {7, "2026-12-24"}}));
  // Once the deadline has passed, nothing is due any more.
  EXPECT_EQ(due("2026-12-31", offsets, "2027-01-01"), Due{});
}

TEST(Reminders, RepeatedRunsReturnTheSameSet) {
  // Idempotent: the same day gives the same answer, so the caller's unique key dedupes.
  const std::vector<int> offsets = {90, 60, 30, 7};
  EXPECT_EQ(due("2026-12-31", offsets, "2026-12-05"), due("2026-12-31", offsets, "2026-12-05"));
}

TEST(Reminders, NotBeforeSkipsRemindersThatWereDueEarlier) {
  const std::vector<int> offsets = {90, 60, 30, 7};
  // Activated on 2026-11-20: the 90- and 60-day reminders belong to the past.
  EXPECT_EQ(due("2026-12-31", offsets, "2026-12-01", "2026-11-20"), (Due{{30, "2026-12-01"}}));
  EXPECT_EQ(due("2026-12-31", offsets, "2026-12-01", "2026-12-01"), (Due{{30, "2026-12-01"}}));
  EXPECT_EQ(due("2026-12-31", offsets, "2026-12-01", "2026-12-02"), Due{});
}

TEST(Reminders, OffsetsAreSortedDedupedAndNonNegative) {
  EXPECT_EQ(due("2026-03-01", {1, 7, 7, -3, 0}, "2026-03-01"),
            (Due{{7, "2026-02-22"}, {1, "2026-02-28"}, {0, "2026-03-01"}}));
  EXPECT_EQ(due("2024-03-01", {1}, "2024-02-29"), (Due{{1, "2024-02-29"}}));  // leap day
  EXPECT_EQ(due("2026-03-01", {}, "2026-03-01"), Due{});
}

TEST(Reminders, ObligationOffsets) {
  const std::vector<int> offsets(std::begin(kDefaultObligationReminderOffsets),
                                 std::end(kDefaultObligationReminderOffsets));
  EXPECT_EQ(due("2026-01-10", offsets, "2026-01-09"),
            (Due{{14, "2025-12-27"}, {7, "2026-01-03"}, {1, "2026-01-09"}}));
}

}  // namespace
}  // namespace cm
