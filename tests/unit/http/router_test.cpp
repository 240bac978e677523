// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/router.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cm::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

std::string call(const Router::Match& m) {
  Request r;
  return m.route ? m.route->handler(r).body : "<none>";
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/api/v1/contracts", named("list"));
    router_.add("POST", "/api/v1/contracts", named("create"));
    router_.add("GET", "/api/v1/contracts/{id}", named("get"));
    router_.add("DELETE", "/api/v1/contracts/{id}", named("delete"));
    router_.add("GET", "/api/v1/contracts/{id}/versions/{version}", named("version"));
    router_.add("GET", "/api/v1/users/{id}", named("user"));
    router_.add("GET", "/api/v1/users/me", named("me"), Access::authenticated);
    router_.add("GET", "/health", named("health"), Access::public_route);
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoute) {
  const auto m = router_.match("GET", "/api/v1/contracts");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(call(m), "list");
  EXPECT_EQ(m.route->pattern, "/api/v1/contracts");
  EXPECT_TRUE(m.params.empty());
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST_F(RouterTest, ExtractsParams) {
  const auto m = router_.match("GET", "/api/v1/contracts/c-42/versions/7");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(call(m), "version");
  EXPECT_THAT(m.params, ElementsAre(Pair("id", "c-42"), Pair("version", "7")));
}

TEST_F(RouterTest, ParamsKeepDecodedCharacters) {
  const auto m = router_.match("GET", "/api/v1/contracts/a b+ü");
  ASSERT_NE(m.route, nullptr);
  EXPECT_THAT(m.params, ElementsAre(Pair("id", "a b+ü")));
}

TEST_F(RouterTest, LiteralWinsOverParamRegardlessOfOrder) {
  const auto me = router_.match("GET", "/api/v1/users/me");
  ASSERT_NE(me.route, nullptr);
  EXPECT_EQ(call(me), "me");
  EXPECT_TRUE(me.params.empty());
  const auto other = router_.match("GET", "/api/v1/users/u-1");
  EXPECT_EQ(call(other), "user");
  EXPECT_THAT(other.params, ElementsAre(Pair("id", "u-1")));
}

TEST_F(RouterTest, MethodMismatchReportsAllowedMethods) {
  const auto m = router_.match("PUT", "/api/v1/contracts/c-1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_THAT(m.allowed_methods, ElementsAre("GET", "HEAD", "DELETE"));
  const auto collection = router_.match("PATCH", "/api/v1/contracts");
  EXPECT_THAT(collection.allowed_methods, ElementsAre("GET", "HEAD", "POST"));
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  const auto m = router_.match("HEAD", "/api/v1/contracts/c-1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(call(m), "get");
}

TEST_F(RouterTest, NoMatch) {
  for (const char* path : {"/api/v1/nothing", "/api/v1", "/", "", "api/v1/contracts",
                           "/api/v1/contracts/c-1/versions", "/api/v1/contracts/c-1/x/y"}) {
    const auto m = router_.match("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed_methods.empty()) << path;
  }
}

TEST_F(RouterTest, TrailingSlashDoesNotMatch) {
  EXPECT_EQ(router_.match("GET", "/health/").route, nullptr);
  EXPECT_EQ(router_.match("GET", "/api/v1/contracts/").route, nullptr);
  // An empty segment is not a parameter value either.
  EXPECT_EQ(router_.match("GET", "/api/v1/contracts//versions/1").route, nullptr);
}

TEST_F(RouterTest, KeepsAccessLevel) {
  EXPECT_EQ(router_.match("GET", "/health").route->access, Access::public_route);
  EXPECT_EQ(router_.match("GET", "/api/v1/users/me").route->access, Access::authenticated);
}

TEST(RouterPrecedence, LeftmostLiteralWins) {
  Router router;
  router.add("GET", "/a/{x}/c", named("param-first"));
  router.add("GET", "/{y}/b/c", named("literal-first"));
  router.add("GET", "/a/b/{z}", named("literal-two"));
  EXPECT_EQ(call(router.match("GET", "/a/b/c")), "literal-two");
  EXPECT_EQ(call(router.match("GET", "/a/q/c")), "param-first");
  EXPECT_EQ(call(router.match("GET", "/q/b/c")), "literal-first");
}

TEST(RouterPrecedence, TiesKeepRegistrationOrder) {
  Router router;
  router.add("GET", "/x/{a}", named("first"));
  router.add("GET", "/x/{b}", named("second"));
  const auto m = router.match("GET", "/x/1");
  EXPECT_EQ(call(m), "first");
  EXPECT_THAT(m.params, ElementsAre(Pair("a", "1")));
}

TEST(RouterPrecedence, AnExplicitHeadRouteWinsOverGet) {
  Router router;
  router.add("GET", "/x/{id}", named("get"));
  router.add("HEAD", "/x/{id}", named("head"));
  EXPECT_EQ(call(router.match("HEAD", "/x/1")), "head");
  EXPECT_EQ(call(router.match("GET", "/x/1")), "get");
}

TEST_F(RouterTest, HeadOnAPathWithoutGetReportsAllowedMethods) {
  router_.add("POST", "/api/v1/auth/login", named("login"));
  const auto m = router_.match("HEAD", "/api/v1/auth/login");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_THAT(m.allowed_methods, ElementsAre("POST"));
}

TEST_F(RouterTest, PathsLongerOrShorterThanEveryPatternMatchNothing) {
  EXPECT_EQ(router_.match("GET", "/api/v1/contracts/c-1/versions/7/x/y/z/w").route, nullptr);
  EXPECT_TRUE(
      router_.match("GET", "/api/v1/contracts/c-1/versions/7/x/y/z/w").allowed_methods.empty());
  EXPECT_EQ(router_.match("GET", "/").route, nullptr);
}

TEST_F(RouterTest, RoutesAddedAfterMatchingAreFound) {
  // Patterns are split when added: a later add() of a longer pattern is found at once.
  EXPECT_EQ(router_.match("GET", "/a/b/c/d/e/f/g").route, nullptr);
  router_.add("GET", "/a/b/c/d/e/f/{g}", named("deep"));
  const auto m = router_.match("GET", "/a/b/c/d/e/f/g");
  EXPECT_EQ(call(m), "deep");
  EXPECT_THAT(m.params, ElementsAre(Pair("g", "g")));
}

TEST(RouterPatterns, RootAndMalformedPatterns) {
  Router router;
  router.add("GET", "/", named("root"));
  router.add("GET", "no-slash", named("never"));
  EXPECT_EQ(call(router.match("GET", "/")), "root");
  EXPECT_EQ(router.match("GET", "no-slash").route, nullptr);
  EXPECT_EQ(router.routes().size(), 2u);
}

TEST(RouterPatterns, BracesOnlyAroundAWholeSegmentMakeAParameter) {
  Router router;
  router.add("GET", "/files/{name}.txt", named("literal"));
  router.add("GET", "/files/{}", named("nameless"));
  EXPECT_EQ(call(router.match("GET", "/files/{name}.txt")), "literal");
  const auto m = router.match("GET", "/files/report");
  EXPECT_EQ(call(m), "nameless");
  EXPECT_THAT(m.params, ElementsAre(Pair("", "report")));
}

TEST(RouterPatterns, ManyParametersComeBackInOrder) {
  Router router;
  router.add("GET", "/c/{id}/d/{docId}/v/{a}/compare/{b}", named("compare"));
  const auto m = router.match("GET", "/c/1/d/2/v/3/compare/4");
  EXPECT_EQ(call(m), "compare");
  EXPECT_THAT(m.params,
              ElementsAre(Pair("id", "1"), Pair("docId", "2"), Pair("a", "3"), Pair("b", "4")));
  EXPECT_EQ(router.match("GET", "/c/1/d/2/v/3/compare/").route, nullptr);
}

}  // namespace
}  // namespace cm::http
