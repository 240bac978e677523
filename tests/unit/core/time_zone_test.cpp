// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/time_zone.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cm {
namespace {

std::int64_t instant(std::string_view rfc3339) {
  auto ms = parse_rfc3339(rfc3339);
  EXPECT_TRUE(ms) << rfc3339;
  return ms.value_or(0);
}

std::string today(const TimeZone& zone, std::string_view at) {
  return format_date(date_in(zone, instant(at)));
}

int offset(const TimeZone& zone, std::string_view at) {
  return zone.offset_at(instant(at) / 1000);
}

// --- A TZif file built byte by byte, so these tests need no installed zone data. -------------

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void put64(std::string& out, std::int64_t v) {
  put32(out, static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
  put32(out, static_cast<std::uint32_t>(v));
}

struct TzifSpec {
  std::vector<std::int64_t> transitions;
  std::vector<std::uint8_t> types;  // type index per transition
  std::vector<std::int32_t> offsets;
  std::string footer;
  char version = '2';
};

std::string block(const TzifSpec& s, bool wide, char version) {
  std::string out = "TZif";
  out.push_back(version);
  out.append(15, '\0');
  const std::string chars = "ZZZ";
  put32(out, 0);  // isutcnt
  put32(out, 0);  // isstdcnt
  put32(out, 0);  // leapcnt
  put32(out, static_cast<std::uint32_t>(s.transitions.size()));
  put32(out, static_cast<std::uint32_t>(s.offsets.size()));
  put32(out, static_cast<std::uint32_t>(chars.size() + 1));
  for (auto t : s.transitions) {
    if (wide)
      put64(out, t);
    else
      put32(out, static_cast<std::uint32_t>(static_cast<std::int32_t>(t)));
  }
  for (auto type : s.types) out.push_back(static_cast<char>(type));
  for (auto off : s.offsets) {
    put32(out, static_cast<std::uint32_t>(off));
    out.push_back('\0');  // isdst
    out.push_back('\0');  // abbreviation index
  }
  out += chars;
  out.push_back('\0');
  return out;
}

std::string tzif(const TzifSpec& s) {
  std::string out = block(s, false, s.version);
  if (s.version == '\0') return out;
  out += block(s, true, s.version);
  out += "\n" + s.footer + "\n";
  return out;
}

// Samoa skipped 2011-12-30 by moving from UTC-10 to UTC+14 at 2011-12-30T10:00Z.
TzifSpec samoa() {
  return {.transitions = {instant("2011-12-30T10:00:00Z") / 1000},
          .types = {1},
          .offsets = {-10 * 3600, 14 * 3600},
          .footer = "<+14>-14"};
}

TEST(TimeZone, UtcAndFixedOffsets) {
  EXPECT_EQ(today(TimeZone::utc(), "2026-11-26T23:59:59.999Z"), "2026-11-26");
  auto plus14 = TimeZone::fixed(14 * 60);
  ASSERT_TRUE(plus14.ok());
  EXPECT_EQ(plus14->name(), "UTC+14:00");
  EXPECT_EQ(today(*plus14, "2026-11-26T10:00:00Z"), "2026-11-27");
  auto minus11 = TimeZone::fixed(-11 * 60);
  ASSERT_TRUE(minus11.ok());
  EXPECT_EQ(minus11->name(), "UTC-11:00");
  EXPECT_EQ(today(*minus11, "2026-11-26T10:00:00Z"), "2026-11-25");
  auto india = TimeZone::fixed(330);
  ASSERT_TRUE(india.ok());
  EXPECT_EQ(today(*india, "2026-11-26T18:29:59Z"), "2026-11-26");
  EXPECT_EQ(today(*india, "2026-11-26T18:30:00Z"), "2026-11-27");
  EXPECT_FALSE(TimeZone::fixed(14 * 60 + 1).ok());
  EXPECT_FALSE(TimeZone::fixed(-14 * 60 - 1).ok());
}

TEST(TimeZone, TzifTransitionAcrossTheDateLine) {
  auto zone = TimeZone::from_tzif("Pacific/Apia", tzif(samoa()));
  ASSERT_TRUE(zone.ok()) << zone.error().detail();
  EXPECT_EQ(zone->name(), "Pacific/Apia");
  EXPECT_EQ(today(*zone, "2011-12-30T09:59:59Z"), "2011-12-29");  // 23:59:59 at UTC-10
  EXPECT_EQ(today(*zone, "2011-12-30T10:00:00Z"), "2011-12-31");  // the 30th never happened
  EXPECT_EQ(offset(*zone, "2000-01-01T00:00:00Z"), -10 * 3600);
  EXPECT_EQ(offset(*zone, "2090-01-01T00:00:00Z"), 14 * 3600);  // from the footer
}

TEST(TimeZone, TzifVersion1WithoutFooterKeepsTheLastOffset) {
  TzifSpec spec = samoa();
  spec.version = '\0';
  auto zone = TimeZone::from_tzif("v1", tzif(spec));
  ASSERT_TRUE(zone.ok()) << zone.error().detail();
  EXPECT_EQ(offset(*zone, "2011-12-30T09:59:59Z"), -10 * 3600);
  EXPECT_EQ(offset(*zone, "2030-06-01T00:00:00Z"), 14 * 3600);
}

TEST(TimeZone, TzifFooterRuleAfterTheLastTransition) {
  // One transition in 2000, then Central European rules.
  TzifSpec spec{.transitions = {instant("2000-01-01T00:00:00Z") / 1000},
                .types = {1},
                .offsets = {0, 3600},
                .footer = "CET-1CEST,M3.5.0,M10.5.0/3"};
  auto zone = TimeZone::from_tzif("Europe/Test", tzif(spec));
  ASSERT_TRUE(zone.ok()) << zone.error().detail();
  EXPECT_EQ(offset(*zone, "1999-06-01T00:00:00Z"), 0);
  // Last Sunday of March 2026 is the 29th: 01:00Z switches to CEST.
  EXPECT_EQ(offset(*zone, "2026-03-29T00:59:59Z"), 3600);
  EXPECT_EQ(offset(*zone, "2026-03-29T01:00:00Z"), 7200);
  // Last Sunday of October 2026 is the 25th: 01:00Z (03:00 CEST) back to CET.
  EXPECT_EQ(offset(*zone, "2026-10-25T00:59:59Z"), 7200);
  EXPECT_EQ(offset(*zone, "2026-10-25T01:00:00Z"), 3600);
  // Midnight local in summer is 22:00Z the day before.
  EXPECT_EQ(today(*zone, "2026-07-01T21:59:59Z"), "2026-07-01");
  EXPECT_EQ(today(*zone, "2026-07-01T22:00:00Z"), "2026-07-02");
}

TEST(TimeZone, RejectsBrokenTzif) {
  const std::string good = tzif(samoa());
  EXPECT_TRUE(TimeZone::from_tzif("x", good).ok());
  EXPECT_FALSE(TimeZone::from_tzif("x", "").ok());
  EXPECT_FALSE(TimeZone::from_tzif("x", "TZjf" + good.substr(4)).ok());
  for (std::size_t cut : {10u, 44u, 60u, 100u}) {
    ASSERT_LT(cut, good.size());
    EXPECT_FALSE(TimeZone::from_tzif("x", good.substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(TimeZone::from_tzif("x", good.substr(0, good.size() - 1)).ok());  // footer cut
  TzifSpec bad_footer = samoa();
  bad_footer.footer = "??";
  EXPECT_FALSE(TimeZone::from_tzif("x", tzif(bad_footer)).ok());
  TzifSpec bad_type = samoa();
  bad_type.types = {7};
  EXPECT_FALSE(TimeZone::from_tzif("x", tzif(bad_type)).ok());
  TzifSpec unordered{.transitions = {200, 100}, .types = {1, 0}, .offsets = {0, 3600}};
  EXPECT_FALSE(TimeZone::from_tzif("x", tzif(unordered)).ok());
  const auto r = TimeZone::from_tzif("x", "garbage");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::unprocessable);
}

TEST(PosixTzRule, Parses) {
  auto berlin = PosixTzRule::parse("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(berlin);
  EXPECT_EQ(berlin->std_offset, 3600);
  EXPECT_EQ(berlin->dst_offset, 7200);
  EXPECT_EQ(berlin->dst_end.time, 3 * 3600);
  EXPECT_EQ(berlin->dst_start.time, 2 * 3600);
  auto kiritimati = PosixTzRule::parse("<+14>-14");
  ASSERT_TRUE(kiritimati);
  EXPECT_EQ(kiritimati->std_offset, 14 * 3600);
  EXPECT_FALSE(kiritimati->dst_offset);
  auto lord_howe = PosixTzRule::parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
  ASSERT_TRUE(lord_howe);
  EXPECT_EQ(lord_howe->std_offset, 10 * 3600 + 1800);
  EXPECT_EQ(lord_howe->dst_offset, 11 * 3600);
  auto newfoundland = PosixTzRule::parse("NST3:30NDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(newfoundland);
  EXPECT_EQ(newfoundland->std_offset, -(3 * 3600 + 1800));
  EXPECT_EQ(newfoundland->dst_offset, -(2 * 3600 + 1800));
  EXPECT_TRUE(PosixTzRule::parse("UTC0"));
  EXPECT_TRUE(PosixTzRule::parse("EST5EDT,J60/1,300/-1:30"));
  EXPECT_TRUE(PosixTzRule::parse("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"));  // Greenland: negative time
  for (const char* bad :
       {"", "C", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
        "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,M3.5.0,M10.5.0/3x", "<+14-14", "CET-25"}) {
    EXPECT_FALSE(PosixTzRule::parse(bad)) << bad;
  }
}

TEST(PosixTzRule, SouthernHemisphereAndNegativeDst) {
  // Sydney: DST from the first Sunday of October to the first Sunday of April.
  auto sydney = TimeZone::from_posix("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(sydney.ok());
  EXPECT_EQ(offset(*sydney, "2045-01-15T00:00:00Z"), 11 * 3600);
  EXPECT_EQ(offset(*sydney, "2045-07-15T00:00:00Z"), 10 * 3600);
  EXPECT_EQ(today(*sydney, "2045-12-31T12:59:59Z"), "2045-12-31");
  EXPECT_EQ(today(*sydney, "2045-12-31T13:00:00Z"), "2046-01-01");
  // Dublin's winter time is the negative-DST half: IST (+1) standard, GMT (0) in winter.
  auto dublin = TimeZone::from_posix("IST-1GMT0,M10.5.0,M3.5.0/1");
  ASSERT_TRUE(dublin.ok());
  EXPECT_EQ(offset(*dublin, "2040-01-15T12:00:00Z"), 0);
  EXPECT_EQ(offset(*dublin, "2040-07-15T12:00:00Z"), 3600);
  // New York, Julian-day forms.
  auto ny = TimeZone::from_posix("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(ny.ok());
  EXPECT_EQ(offset(*ny, "2040-03-11T06:59:59Z"), -5 * 3600);  // second Sunday of March 2040
  EXPECT_EQ(offset(*ny, "2040-03-11T07:00:00Z"), -4 * 3600);
  auto julian = TimeZone::from_posix("AAA0BBB,J60/0,J61/0");  // DST on March 1 only, even in 2040
  ASSERT_TRUE(julian.ok());
  EXPECT_EQ(offset(*julian, "2040-02-29T12:00:00Z"), 0);
  EXPECT_EQ(offset(*julian, "2040-03-01T12:00:00Z"), 3600);
  auto zero_based = TimeZone::from_posix("AAA0BBB,59/0,60/0");  // day 59 = Feb 29 in 2040
  ASSERT_TRUE(zero_based.ok());
  EXPECT_EQ(offset(*zero_based, "2040-02-29T12:00:00Z"), 3600);
  EXPECT_EQ(offset(*zero_based, "2041-03-01T12:00:00Z"), 3600);
  EXPECT_EQ(offset(*zero_based, "2041-02-28T12:00:00Z"), 0);
}

TEST(TimeZone, ZoneNamesSafeForTheZoneinfoDirectory) {
  for (const char* ok : {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
                         "Etc/GMT-14", "America/Port-au-Prince", "GMT0"})
    EXPECT_TRUE(is_valid_zone_name(ok)) << ok;
  for (const char* bad :
       {"", "/etc/passwd", "../etc/passwd", "Europe/../../etc", "Europe//Berlin", "Europe/",
        ".hidden", "Europe/Berlin\n", "Europe Berlin", "-x", "Europe/Berlin\\x"})
    EXPECT_FALSE(is_valid_zone_name(bad)) << bad;
  EXPECT_FALSE(is_valid_zone_name(std::string(65, 'a')));
}

// --- The installed IANA database (tzdata is "required" on Debian, so normally present). -------

std::optional<TimeZone> system_zone(const std::string& name) {
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto zone = TimeZone::from_tzif(name, bytes.str());
  EXPECT_TRUE(zone.ok()) << name << ": " << zone.error().detail();
  if (!zone.ok()) return std::nullopt;
  return std::move(zone).value();
}

TEST(TimeZoneDatabase, TodayOnBothSidesOfTheDateLine) {
  auto kiritimati = system_zone("Pacific/Kiritimati");
  auto pago_pago = system_zone("Pacific/Pago_Pago");
  if (!kiritimati || !pago_pago) GTEST_SKIP() << "no /usr/share/zoneinfo";
  // The same instant is three different dates around the world.
  const char* at = "2026-11-26T10:30:00Z";
  EXPECT_EQ(today(*kiritimati, at), "2026-11-27");  // UTC+14
  EXPECT_EQ(today(TimeZone::utc(), at), "2026-11-26");
  EXPECT_EQ(today(*pago_pago, at), "2026-11-25");  // UTC-11
}

TEST(TimeZoneDatabase, SamoaSkippedADay) {
  auto apia = system_zone("Pacific/Apia");
  if (!apia) GTEST_SKIP() << "no /usr/share/zoneinfo";
  EXPECT_EQ(today(*apia, "2011-12-30T09:59:59Z"), "2011-12-29");
  EXPECT_EQ(today(*apia, "2011-12-30T10:00:00Z"), "2011-12-31");
}

TEST(TimeZoneDatabase, DaylightSavingNowAndBeyond2037) {
  auto berlin = system_zone("Europe/Berlin");
  auto new_york = system_zone("America/New_York");
  auto sydney = system_zone("Australia/Sydney");
  if (!berlin || !new_york || !sydney) GTEST_SKIP() << "no /usr/share/zoneinfo";
  EXPECT_EQ(offset(*berlin, "2026-01-15T12:00:00Z"), 3600);
  EXPECT_EQ(offset(*berlin, "2026-07-15T12:00:00Z"), 7200);
  EXPECT_EQ(offset(*berlin, "2050-01-15T12:00:00Z"), 3600);  // footer rule
  EXPECT_EQ(offset(*berlin, "2050-07-15T12:00:00Z"), 7200);
  EXPECT_EQ(today(*berlin, "2050-07-01T22:30:00Z"), "2050-07-02");
  EXPECT_EQ(offset(*berlin, "1900-01-01T00:00:00Z"), 3600);
  EXPECT_EQ(berlin->offset_at(-2'500'000'000), 3208);  // 1890: local mean time until 1893
  EXPECT_EQ(today(*new_york, "2026-03-08T04:59:59Z"), "2026-03-07");  // EST, 23:59:59
  EXPECT_EQ(today(*new_york, "2026-07-01T03:59:59Z"), "2026-06-30");  // EDT
  EXPECT_EQ(today(*new_york, "2060-07-01T04:00:00Z"), "2060-07-01");
  EXPECT_EQ(offset(*sydney, "2060-01-01T00:00:00Z"), 11 * 3600);
  EXPECT_EQ(offset(*sydney, "2060-07-01T00:00:00Z"), 10 * 3600);
  auto utc = system_zone("UTC");
  ASSERT_TRUE(utc);
  EXPECT_EQ(offset(*utc, "2026-07-01T00:00:00Z"), 0);
}

}  // namespace
}  // namespace cm
