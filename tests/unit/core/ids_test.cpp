// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace cm {
namespace {

int hex_value(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

TEST(Ids, HaveTheCanonicalUuidShape) {
  const std::string id = new_id();
  ASSERT_EQ(id.size(), 36u);
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(id[i], '-') << id;
    } else {
      EXPECT_TRUE((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')) << id;
    }
  }
  EXPECT_TRUE(is_valid_id(id));
}

TEST(Ids, AreVersion7WithTheRfc9562Variant) {
  for (int i = 0; i < 200; ++i) {
    const std::string id = new_id();
    EXPECT_EQ(id[14], '7') << id;
    const int variant = hex_value(id[19]);
    EXPECT_EQ(variant & 0xC, 0x8) << id;  // 10xx
  }
}

TEST(Ids, EncodeTheTimestampInTheFirst48Bits) {
  const std::int64_t ms = 0x0123'4567'89AB;
  const std::string id = new_id_at(ms);
  EXPECT_EQ(id.substr(0, 8), "01234567");
  EXPECT_EQ(id.substr(9, 4), "89ab");
  const std::string now_id = new_id();
  const std::int64_t encoded = std::stoll(now_id.substr(0, 8) + now_id.substr(9, 4), nullptr, 16);
  EXPECT_LE(std::abs(encoded - now_unix_ms()), 60'000);
}

TEST(Ids, AreOrderedByCreationTime) {
  std::vector<std::string> ids;
  const std::int64_t base = 1'700'000'000'000;
  for (std::int64_t step : {0, 1, 2, 255, 256, 65'536, 1'000'000, 1'000'000'000}) {
    ids.push_back(new_id_at(base + step));
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]);
}

TEST(Ids, AreUniqueWithinOneMillisecond) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(new_id_at(1'700'000'000'000));
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(Ids, IsValidIdAcceptsAnyLowerCaseUuid) {
  EXPECT_TRUE(is_valid_id("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(is_valid_id("123e4567-e89b-12d3-a456-426614174000"));  // v1
  EXPECT_TRUE(is_valid_id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
}

TEST(Ids, IsValidIdRejectsOtherText) {
  for (const char* bad : {
           "",
           "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B",   // upper case
           "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b",       // no dashes
           "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",    // short
           "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b0",  // long
           "0190a1b2-c3d4-7e5f-8a9b_0c1d2e3f4a5b",   // wrong separator
           "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g",   // not hex
           "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a-b",   // dash in the wrong place
           "{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5}",
           "1 OR 1=1; --                        ",
       }) {
    EXPECT_FALSE(is_valid_id(bad)) << bad;
  }
}

}  // namespace
}  // namespace cm
