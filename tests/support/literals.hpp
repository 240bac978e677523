// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Test inputs written as text: a JSON object, a calendar date. One copy for every suite.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string_view>

#include "core/time.hpp"

namespace cm::test {

// The JSON object `text` (which the test itself wrote, so it must parse).
inline boost::json::object json_object(std::string_view text) {
  return boost::json::parse(text).as_object();
}

// The date `text` (YYYY-MM-DD); a typo in the test fails it rather than crashing it.
inline CivilDate civil_date(std::string_view text) {
  auto parsed = parse_date(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(CivilDate{});
}

}  // namespace cm::test
