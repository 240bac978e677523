// SPDX-License-Identifier: AGPL-3.0-or-later
// OrgCalendar: an organization's "today" from its time zone, cached with bounds (organizations,
// zones), a TTL, and per-thread copies that an invalidation makes stale at once.

#include "workflow/org_calendar.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/time.hpp"
#include "workflow_fixture.hpp"

namespace cm::workflow::testing {
namespace {

// 2026-01-01T23:30:00Z: still Jan 1 in UTC and New York, already Jan 2 in Berlin and Kiritimati.
constexpr std::int64_t kLateNewYear = 1'767'310'200'000;
constexpr CivilDate kJan1{2026, 1, 1};
constexpr CivilDate kJan2{2026, 1, 2};

// The answer another thread (with no copy of its own) gets.
std::optional<CivilDate> from_another_thread(OrgCalendar& calendar, const std::string& org,
                                             std::int64_t now) {
  std::optional<CivilDate> out;
  std::thread t([&] { out = calendar.cached_today(org, now); });
  t.join();
  return out;
}

using OrgCalendarTest = WorkflowTest;

TEST_F(OrgCalendarTest, TodayIsTheDateInTheOrganizationsZone) {
  OrgCalendar calendar;
  EXPECT_EQ(calendar.today(*db_, org_, kLateNewYear), kJan1);  // organizations start in UTC
  set_time_zone("Europe/Berlin");
  calendar.invalidate(org_);
  EXPECT_EQ(calendar.today(*db_, org_, kLateNewYear), kJan2);
  EXPECT_EQ(calendar.today_in("America/New_York", kLateNewYear), kJan1);
  EXPECT_EQ(calendar.today_in("Pacific/Kiritimati", kLateNewYear), kJan2);
  EXPECT_EQ(calendar.today_in("No/Such_Zone", kLateNewYear), kJan1);  // UTC
  EXPECT_EQ(calendar.today(*db_, new_id(), kLateNewYear), kJan1);     // no such organization
}

TEST_F(OrgCalendarTest, AZoneChangeShowsAfterInvalidationEvenInThisThreadsCopy) {
  OrgCalendar calendar;
  set_time_zone("America/New_York");
  EXPECT_EQ(calendar.today(*db_, org_, kLateNewYear), kJan1);
  ASSERT_EQ(calendar.cached_today(org_, kLateNewYear), kJan1);  // this thread has a copy now

  set_time_zone("Europe/Berlin");
  // Cached: a change made elsewhere shows within the TTL, not before.
  EXPECT_EQ(calendar.cached_today(org_, kLateNewYear), kJan1);
  EXPECT_EQ(calendar.today(*db_, org_, kLateNewYear), kJan1);

  calendar.invalidate(org_);
  EXPECT_EQ(calendar.cached_today(org_, kLateNewYear), std::nullopt);
  EXPECT_EQ(from_another_thread(calendar, org_, kLateNewYear), std::nullopt);
  EXPECT_EQ(calendar.today(*db_, org_, kLateNewYear), kJan2);
  EXPECT_EQ(calendar.cached_today(org_, kLateNewYear), kJan2);
}

TEST_F(OrgCalendarTest, CachedZonesExpireAfterTheTtl) {
  OrgCalendar calendar({.org_ttl = std::chrono::seconds(30)});
  set_time_zone("Europe/Berlin");
  EXPECT_EQ(calendar.today(*db_, org_, kLateNewYear), kJan2);
  set_time_zone("America/New_York");  // on another replica, say
  EXPECT_EQ(calendar.cached_today(org_, kLateNewYear + 29'000), kJan2);
  EXPECT_EQ(calendar.cached_today(org_, kLateNewYear + 30'000), std::nullopt);
  EXPECT_EQ(calendar.today(*db_, org_, kLateNewYear + 30'000), kJan1);
}

TEST_F(OrgCalendarTest, OrganizationsAreBoundedLeastRecentlyUsedFirstOut) {
  OrgCalendar calendar({.org_capacity = 2});
  calendar.remember("org-a", "Europe/Berlin", kLateNewYear);
  calendar.remember("org-b", "Europe/Berlin", kLateNewYear);
  ASSERT_EQ(from_another_thread(calendar, "org-a", kLateNewYear), kJan2);  // a is used: b is LRU
  calendar.remember("org-c", "America/New_York", kLateNewYear);
  EXPECT_EQ(calendar.cached_orgs(), 2u);
  EXPECT_EQ(from_another_thread(calendar, "org-b", kLateNewYear), std::nullopt);
  EXPECT_EQ(from_another_thread(calendar, "org-a", kLateNewYear), kJan2);
  EXPECT_EQ(from_another_thread(calendar, "org-c", kLateNewYear), kJan1);
  for (int i = 0; i < 100; ++i) calendar.remember("org-" + std::to_string(i), "UTC", kLateNewYear);
  EXPECT_EQ(calendar.cached_orgs(), 2u);
}

TEST_F(OrgCalendarTest, ZonesAreBoundedToo) {
  OrgCalendar calendar({.zone_capacity = 2});
  for (const auto* zone : {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Paris"})
    ASSERT_TRUE(calendar.load_zone(zone, "timeZone").ok()) << zone;
  EXPECT_EQ(calendar.cached_zones(), 2u);
  EXPECT_EQ(calendar.today_in("Europe/Berlin", kLateNewYear), kJan2);  // read again
  EXPECT_EQ(calendar.cached_zones(), 2u);
}

TEST_F(OrgCalendarTest, UnknownOrMalformedZoneNamesAreValidationErrors) {
  OrgCalendar calendar;
  for (const auto* name : {"Mars/Olympus_Mons", "../etc/passwd", "/etc/localtime", ""}) {
    const auto zone = calendar.load_zone(name, "timeZone");
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.error().fields().front().field, "timeZone");
  }
  EXPECT_EQ(calendar.cached_zones(), 0u);
}

TEST_F(OrgCalendarTest, CalendarsDoNotSeeEachOthersCopies) {
  OrgCalendar first;
  OrgCalendar second;
  first.remember(org_, "Europe/Berlin", kLateNewYear);
  ASSERT_EQ(first.cached_today(org_, kLateNewYear), kJan2);
  EXPECT_EQ(second.cached_today(org_, kLateNewYear), std::nullopt);
}

TEST_F(OrgCalendarTest, ManyThreadsReadWhileOneInvalidates) {
  OrgCalendar calendar({.thread_capacity = 4});
  calendar.remember(org_, "Europe/Berlin", kLateNewYear);
  std::vector<std::thread> readers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      for (int i = 0; i < 2'000; ++i) {
        const auto today = calendar.cached_today(org_, kLateNewYear);
        if (today && *today != kJan2) ++wrong;
        if (!today) calendar.remember(org_, "Europe/Berlin", kLateNewYear);
      }
    });
  for (int i = 0; i < 200; ++i) calendar.invalidate(org_);
  for (auto& r : readers) r.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace cm::workflow::testing
