// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/range.hpp"

#include <gtest/gtest.h>

namespace cm::http {
namespace {

void expect_partial(std::string_view header, std::uint64_t size, std::uint64_t offset,
                    std::uint64_t length) {
  const auto r = parse_range(header, size);
  ASSERT_EQ(r.outcome, RangeOutcome::partial) << header;
  EXPECT_EQ(r.span.offset, offset) << header;
  EXPECT_EQ(r.span.length, length) << header;
}

TEST(RangeTest, SatisfiableForms) {
  expect_partial("bytes=0-99", 1000, 0, 100);
  expect_partial("bytes=100-", 1000, 100, 900);
  expect_partial("bytes=-100", 1000, 900, 100);
  expect_partial("bytes=-5000", 1000, 0, 1000);
  expect_partial("bytes=990-5000", 1000, 990, 10);
  expect_partial("bytes=999-999", 1000, 999, 1);
}

TEST(RangeTest, UnsatisfiableRanges) {
  EXPECT_EQ(parse_range("bytes=1000-", 1000).outcome, RangeOutcome::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 1000).outcome, RangeOutcome::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).outcome, RangeOutcome::unsatisfiable);
}

TEST(RangeTest, IgnoredHeadersServeTheWholeFile) {
  for (const char* h : {"items=0-1", "bytes=5-1", "bytes=0-1,5-6", "bytes=x-", "bytes=", "bytes=-",
                        "bytes=99999999999999999999-"})
    EXPECT_EQ(parse_range(h, 1000).outcome, RangeOutcome::whole) << h;
  EXPECT_EQ(parse_range(std::nullopt, 1000).outcome, RangeOutcome::whole);
}

}  // namespace
}  // namespace cm::http
