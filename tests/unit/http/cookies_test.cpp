// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/cookies.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cm::http {
namespace {

Headers with_cookies(std::initializer_list<const char*> fields) {
  Headers h;
  for (const auto* f : fields) h.add("Cookie", f);
  return h;
}

TEST(Cookies, FindsTheNamedCookieAmongOthersAndAcrossFields) {
  const auto h = with_cookies({"theme=dark;  cm_refresh=rt_abc ; lang=en", "b=2"});
  EXPECT_EQ(cookie_value(h, "cm_refresh"), "rt_abc");
  EXPECT_EQ(cookie_value(h, "lang"), "en");
  EXPECT_EQ(cookie_value(h, "b"), "2");
  EXPECT_EQ(cookie_value(h, "cm"), std::nullopt) << "a prefix of a name is not the name";
  EXPECT_EQ(cookie_value(h, "refresh"), std::nullopt) << "a suffix of a name is not the name";
  EXPECT_EQ(cookie_value(with_cookies({"x=\"quoted\""}), "x"), "quoted");
  EXPECT_EQ(cookie_value(with_cookies({"novalue; x"}), "x"), std::nullopt);
  EXPECT_EQ(cookie_value(Headers{}, "x"), std::nullopt);
}

TEST(Cookies, SetCookieIsStrictAndCarriesTheAttributesAsked) {
  EXPECT_EQ(set_cookie("cm_refresh", "rt_a-b", {.path = "/api/v1/auth", .max_age_seconds = 60}),
            "cm_refresh=rt_a-b; Path=/api/v1/auth; Max-Age=60; HttpOnly; Secure; SameSite=Strict");
  EXPECT_EQ(set_cookie("cm_csrf", "", {.http_only = false, .secure = false}),
            "cm_csrf=; Path=/; Max-Age=0; SameSite=Strict");
}

TEST(Cookies, SetCookieRefusesWhatCouldInjectAttributes) {
  EXPECT_THROW((void)set_cookie("a", "x; Domain=evil", {}), std::invalid_argument);
  EXPECT_THROW((void)set_cookie("a b", "x", {}), std::invalid_argument);
  EXPECT_THROW((void)set_cookie("a", "x\r\nSet-Cookie: b=1", {}), std::invalid_argument);
  EXPECT_THROW((void)set_cookie("a", "x", {.path = "/a;b"}), std::invalid_argument);
  EXPECT_THROW((void)set_cookie("a", "x", {.path = "relative"}), std::invalid_argument);
  EXPECT_THROW((void)set_cookie("a", "x", {.path = "/a//b"}), std::invalid_argument);
}

}  // namespace
}  // namespace cm::http
