// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/standard_headers.hpp"

#include <gtest/gtest.h>

namespace cm::http {
namespace {

std::string header(const Response& r, std::string_view name) {
  return std::string(r.headers.get(name).value_or(""));
}

TEST(StandardHeaders, SetsTheSecurityHeadersAndTheRequestId) {
  auto r = Response::text(413, "too large");
  add_standard_headers(r, "req-1", true);
  EXPECT_EQ(header(r, "X-Request-Id"), "req-1");
  EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(header(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
}

TEST(StandardHeaders, KeepsTheResponsesOwnFramingAndCachePolicy) {
  auto r = Response::text(200, "page");
  r.headers.set("X-Frame-Options", "SAMEORIGIN");
  r.headers.set("Cache-Control", "max-age=60");
  add_standard_headers(r, "req-2", true);
  EXPECT_EQ(header(r, "X-Frame-Options"), "SAMEORIGIN");
  EXPECT_EQ(header(r, "Cache-Control"), "max-age=60");

  auto file = Response::text(200, "static");
  add_standard_headers(file, "req-3", false);
  EXPECT_FALSE(file.headers.has("Cache-Control"));
}

TEST(StandardHeaders, KeepsAnAcceptableClientRequestIdElseMakesOne) {
  EXPECT_EQ(request_id_for(std::string_view("trace-abc_1.2:3")), "trace-abc_1.2:3");
  const auto generated = request_id_for(std::nullopt);
  EXPECT_TRUE(is_acceptable_request_id(generated)) << generated;
  EXPECT_NE(request_id_for(std::nullopt), generated);
  for (std::string_view bad : {std::string_view(""), std::string_view("has space"),
                               std::string_view("quote\""), std::string_view("new\nline")}) {
    const auto id = request_id_for(bad);
    EXPECT_NE(id, bad);
    EXPECT_TRUE(is_acceptable_request_id(id)) << id;
  }
  EXPECT_TRUE(is_acceptable_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_acceptable_request_id(std::string(129, 'a')));
}

}  // namespace
}  // namespace cm::http
