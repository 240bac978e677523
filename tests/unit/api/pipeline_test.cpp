// SPDX-License-Identifier: AGPL-3.0-or-later
// The pipeline routes a request once: the body policy's match travels with the request (as the
// server hands it on) and the pipeline uses it instead of matching again.

#include "api/pipeline.hpp"

#include <gtest/gtest.h>

#include "api/auth_cache.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"
#include "store/database.hpp"

namespace cm::api {
namespace {

http::Handler named(std::string name) {
  return [name](http::Request& r) {
    return http::Response::text(
        200, name + (r.param("id").empty() ? "" : ":" + std::string(r.param("id"))));
  };
}

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest()
      : db_(store::open_database({.url = "sqlite::memory:"})),
        cache_(std::chrono::milliseconds(0)),
        log_(obs::LogLevel::off) {}

  Pipeline make() {
    http::Router router;
    router.add("GET", "/api/v1/things/{id}", named("thing"), http::Access::public_route);
    router.add("GET", "/api/v1/other/{id}", named("other"), http::Access::public_route);
    router.add("POST", "/api/v1/things", named("create"), http::Access::public_route);
    router.add_upload("POST", "/api/v1/things/{id}/files", named("upload"), 1000);
    return Pipeline(std::move(router), Authenticator(*db_, "secret", cache_, nullptr), log_,
                    metrics_, PipelineOptions{});
  }

  static http::Request request(std::string method, std::string path) {
    http::Request r;
    r.method = std::move(method);
    r.path = path;
    r.target = std::move(path);
    return r;
  }

  std::unique_ptr<store::Database> db_;
  AuthCache cache_;
  obs::Logger log_;
  obs::Metrics metrics_;
};

TEST_F(PipelineTest, BodyPolicySpoolsUploadsAndCarriesTheMatch) {
  auto pipeline = make();
  const auto upload = pipeline.body_policy("POST", "/api/v1/things/t-1/files", 50);
  EXPECT_EQ(upload.limit, 1000u);
  EXPECT_TRUE(upload.spool);
  ASSERT_TRUE(upload.match && upload.match->route);
  EXPECT_EQ(upload.match->route->pattern, "/api/v1/things/{id}/files");

  const auto plain = pipeline.body_policy("POST", "/api/v1/things", 50);
  EXPECT_EQ(plain.limit, 50u);
  EXPECT_FALSE(plain.spool);
  ASSERT_TRUE(plain.match && plain.match->route);

  // Routed by the method's upper-case form, as the request will be.
  const auto lower = pipeline.body_policy("post", "/api/v1/things/t-1/files", 50);
  EXPECT_TRUE(lower.spool);

  const auto unknown = pipeline.body_policy("GET", "/nowhere", 50);
  ASSERT_TRUE(unknown.match);
  EXPECT_EQ(unknown.match->route, nullptr);
}

TEST_F(PipelineTest, HandleUsesTheMatchTheRequestCarries) {
  auto pipeline = make();
  auto r = request("GET", "/api/v1/things/t-1");
  // A match made for another path: the pipeline must not route again.
  r.match = pipeline.body_policy("GET", "/api/v1/other/o-2", 50).match;
  const auto response = pipeline.handle(r);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "other:o-2");
  EXPECT_EQ(r.route, "/api/v1/other/{id}");
}

TEST_F(PipelineTest, HandleRoutesARequestThatCarriesNoMatch) {
  auto pipeline = make();
  auto r = request("GET", "/api/v1/things/t-1");
  const auto response = pipeline.handle(r);
  EXPECT_EQ(response.body, "thing:t-1");
  ASSERT_TRUE(r.match.has_value());

  auto head = request("HEAD", "/api/v1/things/t-1");
  EXPECT_EQ(pipeline.handle(head).body, "thing:t-1");
}

TEST_F(PipelineTest, WrongMethodIs405WithAllow) {
  auto pipeline = make();
  auto r = request("DELETE", "/api/v1/things/t-1");
  r.match = pipeline.body_policy("DELETE", "/api/v1/things/t-1", 50).match;
  const auto response = pipeline.handle(r);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.get("Allow").value_or(""), "GET, HEAD");
  EXPECT_EQ(response.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
}

TEST_F(PipelineTest, HandleAsyncDeclinesRoutesWithoutAnAsyncHandler) {
  auto pipeline = make();
  auto r = request("GET", "/api/v1/things/t-1");
  EXPECT_FALSE(pipeline.handle_async(r, [](http::Response) { FAIL() << "answered"; }));
  // The match it made stays for handle().
  ASSERT_TRUE(r.match && r.match->route);
  EXPECT_EQ(pipeline.handle(r).body, "thing:t-1");
}

TEST_F(PipelineTest, HandleAsyncServesHeadByTheGetRoute) {
  http::Router router;
  router.add(
      "GET", "/api/v1/fast/{id}", named("blocking"),
      [](http::Request& r, http::Done done) {
        done(nullptr, http::Response::text(200, "async:" + std::string(r.param("id"))));
      },
      http::Access::public_route);
  Pipeline pipeline(std::move(router), Authenticator(*db_, "secret", cache_, nullptr), log_,
                    metrics_, PipelineOptions{});
  for (const char* method : {"GET", "HEAD"}) {
    auto r = request(method, "/api/v1/fast/f-1");
    r.match = pipeline.body_policy(method, r.path, 50).match;
    std::optional<http::Response> answer;
    ASSERT_TRUE(pipeline.handle_async(r, [&](http::Response a) { answer = std::move(a); }))
        << method;
    ASSERT_TRUE(answer) << method;
    EXPECT_EQ(answer->body, "async:f-1") << method;
    EXPECT_EQ(r.route, "/api/v1/fast/{id}");
    EXPECT_FALSE(answer->headers.get("X-Request-Id").value_or("").empty());
  }
}

}  // namespace
}  // namespace cm::api
