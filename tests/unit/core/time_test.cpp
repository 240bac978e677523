// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/time.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace cm {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

TEST(Time, FormatsEpochAndKnownInstants) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_rfc3339(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(253'402'300'799'999), "9999-12-31T23:59:59.999Z");
}

TEST(Time, FormatsInstantsBeforeTheEpoch) {
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(-kMsPerDay), "1969-12-31T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(-2'208'988'800'000), "1900-01-01T00:00:00.000Z");
}

TEST(Time, ParsesUtcWithAndWithoutFraction) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), std::optional<std::int64_t>(0));
  EXPECT_EQ(parse_rfc3339("2023-11-14T22:13:20Z"), std::optional<std::int64_t>(1'700'000'000'000));
  EXPECT_EQ(parse_rfc3339("2023-11-14T22:13:20.123Z"),
            std::optional<std::int64_t>(1'700'000'000'123));
  EXPECT_EQ(parse_rfc3339("2023-11-14t22:13:20.123z"),
            std::optional<std::int64_t>(1'700'000'000'123));
}

TEST(Time, FractionsArePaddedOrTruncatedToMilliseconds) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.1Z"), std::optional<std::int64_t>(100));
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.12Z"), std::optional<std::int64_t>(120));
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.123456789Z"), std::optional<std::int64_t>(123));
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.999999Z"), std::optional<std::int64_t>(999));
}

TEST(Time, ParsesNumericOffsets) {
  const auto utc = parse_rfc3339("2024-03-10T12:00:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(parse_rfc3339("2024-03-10T14:00:00+02:00"), utc);
  EXPECT_EQ(parse_rfc3339("2024-03-10T06:30:00-05:30"), utc);
  EXPECT_EQ(parse_rfc3339("2024-03-10T12:00:00+00:00"), utc);
  EXPECT_EQ(parse_rfc3339("2024-03-10T12:00:00-00:00"), utc);
  // Offset crossing midnight into the previous day.
  EXPECT_EQ(parse_rfc3339("2024-03-11T01:00:00+13:00"), utc);
  EXPECT_EQ(parse_rfc3339("2024-03-10T12:00:00.250+01:00"), *utc - 3'600'000 + 250);
}

TEST(Time, RoundTripsFormattedInstants) {
  for (std::int64_t ms :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{999}, std::int64_t{1'700'000'000'123},
        std::int64_t{-1}, std::int64_t{-2'208'988'800'000}, std::int64_t{4'102'444'799'999}}) {
    const auto text = format_rfc3339(ms);
    EXPECT_EQ(parse_rfc3339(text), std::optional<std::int64_t>(ms)) << text;
  }
}

TEST(Time, RejectsInvalidRfc3339) {
  for (const char* bad : {
           "",
           "2024-03-10",
           "2024-03-10T12:00:00",         // no offset
           "2024-03-10T12:00Z",           // no seconds
           "2024-03-10X12:00:00Z",        // bad separator
           "2024-03-10T24:00:00Z",        // hour out of range
           "2024-03-10T12:60:00Z",        // minute out of range
           "2024-03-10T12:00:61Z",        // second out of range
           "2024-02-30T12:00:00Z",        // no such day
           "2024-13-01T12:00:00Z",        // no such month
           "2024-03-10T12:00:00.Z",       // empty fraction
           "2024-03-10T12:00:00+0200",    // offset without colon
           "2024-03-10T12:00:00+02",      // truncated offset
           "2024-03-10T12:00:00+24:00",   // offset hour out of range
           "2024-03-10T12:00:00+02:60",   // offset minute out of range
           "2024-03-10T12:00:00Zjunk",    // trailing garbage
           "2024-03-10T12:00:00+02:00 ",  // trailing space
           "2024-3-10T12:00:00Z",         // unpadded month
           "2024-03-10T1a:00:00Z",        // non-digit
           "1899-12-31T23:59:59Z",        // year out of range
       }) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(Time, LeapSecondIsClampedToTheLastSecondOfTheMinute) {
  EXPECT_EQ(parse_rfc3339("2016-12-31T23:59:60Z"), parse_rfc3339("2016-12-31T23:59:59Z"));
}

TEST(Time, LeapYears) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_TRUE(is_leap_year(2400));
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2100));
}

TEST(Time, DaysInMonth) {
  EXPECT_EQ(days_in_month(2023, 1), 31u);
  EXPECT_EQ(days_in_month(2023, 2), 28u);
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2100, 2), 28u);
  EXPECT_EQ(days_in_month(2000, 2), 29u);
  EXPECT_EQ(days_in_month(2023, 4), 30u);
  EXPECT_EQ(days_in_month(2023, 6), 30u);
  EXPECT_EQ(days_in_month(2023, 9), 30u);
  EXPECT_EQ(days_in_month(2023, 11), 30u);
  EXPECT_EQ(days_in_month(2023, 12), 31u);
}

TEST(Time, ParseDateAcceptsRealCalendarDays) {
  EXPECT_EQ(parse_date("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(parse_date("2000-02-29"), (CivilDate{2000, 2, 29}));
  EXPECT_EQ(parse_date("1900-01-01"), (CivilDate{1900, 1, 1}));
  EXPECT_EQ(parse_date("9999-12-31"), (CivilDate{9999, 12, 31}));
  EXPECT_EQ(parse_date("2023-04-30"), (CivilDate{2023, 4, 30}));
  EXPECT_EQ(parse_date("2023-01-31"), (CivilDate{2023, 1, 31}));
}

TEST(Time, ParseDateRejectsInvalidDays) {
  for (const char* bad : {
           "2023-02-29",  // not a leap year
           "2100-02-29",  // century, not a leap year
           "2024-02-30", "2023-04-31",  "2023-06-31",  "2023-00-10", "2023-13-01", "2023-01-00",
           "2023-01-32", "1899-12-31",  "0000-01-01",  "2023-1-01",  "2023-01-1",  "20230101",
           "2023/01/01", "2023-01-01T", " 2023-01-01", "2023-0a-01", "-023-01-01", "",
       }) {
    EXPECT_FALSE(parse_date(bad).has_value()) << bad;
  }
}

TEST(Time, FormatDate) {
  EXPECT_EQ(format_date({2024, 2, 29}), "2024-02-29");
  EXPECT_EQ(format_date({1905, 1, 3}), "1905-01-03");
}

TEST(Time, AddMonthsClampsToTheEndOfTheMonth) {
  EXPECT_EQ(add_months({2023, 1, 31}, 1), (CivilDate{2023, 2, 28}));
  EXPECT_EQ(add_months({2024, 1, 31}, 1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(add_months({2024, 3, 31}, 1), (CivilDate{2024, 4, 30}));
  EXPECT_EQ(add_months({2024, 2, 29}, 12), (CivilDate{2025, 2, 28}));
  EXPECT_EQ(add_months({2024, 2, 29}, 48), (CivilDate{2028, 2, 29}));
}

TEST(Time, AddMonthsCrossesYearsInBothDirections) {
  EXPECT_EQ(add_months({2023, 11, 15}, 3), (CivilDate{2024, 2, 15}));
  EXPECT_EQ(add_months({2023, 12, 31}, 1), (CivilDate{2024, 1, 31}));
  EXPECT_EQ(add_months({2024, 1, 15}, -1), (CivilDate{2023, 12, 15}));
  EXPECT_EQ(add_months({2024, 3, 31}, -1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(add_months({2024, 5, 10}, 0), (CivilDate{2024, 5, 10}));
  EXPECT_EQ(add_months({2024, 5, 10}, 120), (CivilDate{2034, 5, 10}));
  EXPECT_EQ(add_months({2024, 5, 10}, -29), (CivilDate{2021, 12, 10}));
}

TEST(Time, DaysFromCivilKnownValues) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1970, 1, 2}), 1);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11'017);
  EXPECT_EQ(days_from_civil({1900, 1, 1}), -25'567);
  EXPECT_EQ(days_from_civil({9999, 12, 31}), 2'932'896);
}

TEST(Time, DaysFromCivilRoundTripsOverAWideRange) {
  // Every day from 1600-01-01 to 2600-12-31 maps back to itself and the day numbers are dense.
  const std::int64_t first = days_from_civil({1600, 1, 1});
  const std::int64_t last = days_from_civil({2600, 12, 31});
  CivilDate previous = civil_from_days(first - 1);
  for (std::int64_t d = first; d <= last; ++d) {
    const CivilDate c = civil_from_days(d);
    ASSERT_GE(c.month, 1u) << d;
    ASSERT_LE(c.month, 12u) << d;
    ASSERT_GE(c.day, 1u) << d;
    ASSERT_LE(c.day, days_in_month(c.year, c.month)) << d;
    ASSERT_EQ(days_from_civil(c), d) << format_date(c);
    ASSERT_LT(previous, c) << d;
    previous = c;
  }
  EXPECT_EQ(civil_from_days(first), (CivilDate{1600, 1, 1}));
  EXPECT_EQ(civil_from_days(last), (CivilDate{2600, 12, 31}));
  // 1001 years: 366 days per leap year.
  int leap = 0;
  for (int y = 1600; y <= 2600; ++y) leap += is_leap_year(y) ? 1 : 0;
  EXPECT_EQ(last - first + 1, 1001 * 365 + leap);
}

TEST(Time, DateOfInstant) {
  EXPECT_EQ(date_of(0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(date_of(kMsPerDay - 1), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(date_of(kMsPerDay), (CivilDate{1970, 1, 2}));
  EXPECT_EQ(date_of(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(date_of(-kMsPerDay), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(date_of(-kMsPerDay - 1), (CivilDate{1969, 12, 30}));
  EXPECT_EQ(date_of(1'700'000'000'123), (CivilDate{2023, 11, 14}));
}

TEST(Time, NowIsPlausible) {
  const auto now = now_unix_ms();
  EXPECT_GT(now, *parse_rfc3339("2024-01-01T00:00:00Z"));
  EXPECT_LT(now, *parse_rfc3339("2200-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace cm
