// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/form.hpp"

#include <gtest/gtest.h>

namespace cm::http {
namespace {

TEST(FormUrlencoded, DecodesPairsPlusAndEscapes) {
  auto f =
      parse_form_urlencoded("action=sign&fullName=Zo%C3%AB+M%C3%BCller&consent=on&&empty=&flag");
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 5u);
  EXPECT_EQ((*f)[0], (std::pair<std::string, std::string>{"action", "sign"}));
  EXPECT_EQ((*f)[1].second, "Zoë Müller");
  EXPECT_EQ((*f)[2].second, "on");
  EXPECT_EQ((*f)[3], (std::pair<std::string, std::string>{"empty", ""}));
  EXPECT_EQ((*f)[4], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_TRUE(parse_form_urlencoded("")->empty());
  EXPECT_EQ((*parse_form_urlencoded("a=%26%3D%2b"))[0].second, "&=+");
}

TEST(FormUrlencoded, RefusesBadEscapesAndTooManyFields) {
  EXPECT_FALSE(parse_form_urlencoded("a=%2"));
  EXPECT_FALSE(parse_form_urlencoded("a=%"));
  EXPECT_FALSE(parse_form_urlencoded("a=%zz"));
  EXPECT_FALSE(parse_form_urlencoded("a%4=1"));
  EXPECT_TRUE(parse_form_urlencoded("a=1&b=2&c=3", 3));
  EXPECT_FALSE(parse_form_urlencoded("a=1&b=2&c=3&d=4", 3));
}

}  // namespace
}  // namespace cm::http
