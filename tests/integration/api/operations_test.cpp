// Operations: probes, metrics, the OpenAPI document, security headers and CORS, as a load
// balancer, Prometheus, an API client and a browser see them.

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "core/strings.hpp"
#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

class OperationsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { org_ = new Org(make_org(shared_server(), {"admin"})); }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }
  ServerProcess& server() { return shared_server(); }
  HttpClient admin() { return client_for(server(), (*org_)["admin"].access_token); }
  static Org* org_;
};
Org* OperationsTest::org_ = nullptr;

TEST_F(OperationsTest, HealthAndReadinessProbesAnswer) {
  auto client = client_for(server());
  const auto health = client.get("/health");
  EXPECT_STATUS(health, 200);
  const auto ready = client.get("/ready");
  ASSERT_STATUS(ready, 200);
  EXPECT_EQ(str(body_of(ready), "status"), "ready");
}

TEST_F(OperationsTest, MetricsUseRouteTemplatesAndPassPromtool) {
  auto client = admin();
  const auto contract = create_contract(client, contract_input("Metrics probe"));
  const auto id = str(contract, "id");
  ASSERT_STATUS(client.get("/api/v1/contracts/" + id), 200);

  const auto metrics = client_for(server()).get("/metrics");
  ASSERT_STATUS(metrics, 200);
  const auto& text = metrics.body;
  EXPECT_NE(text.find("http_requests_total{"), std::string::npos);
  EXPECT_NE(text.find("route=\"/api/v1/contracts/{id}\""), std::string::npos) << text;
  EXPECT_EQ(text.find(id), std::string::npos) << "a raw id leaked into a metric label";
  EXPECT_NE(text.find("http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(text.find("contracts_active_total"), std::string::npos);
  EXPECT_NE(text.find("db_pool_connections"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes"), std::string::npos);

  // On PostgreSQL the by-id read above took the asynchronous path (on by default), which has
  // metrics of its own; with it off (or on SQLite) they are not exposed at all.
  const char* async_env = std::getenv("CM_TEST_DB_ASYNC_CONNECTIONS");
  const bool async_on =
      test_backend() == "postgres" && (async_env == nullptr || std::string(async_env) != "0");
  EXPECT_EQ(text.find("db_async_queue_depth ") != std::string::npos, async_on) << text;
  EXPECT_EQ(text.find("db_async_timeouts_total ") != std::string::npos, async_on) << text;
  EXPECT_EQ(text.find("db_async_reconnects_total{result=\"failed\"} ") != std::string::npos,
            async_on)
      << text;
  if (async_on) {
    const std::regex batches(R"(\ndb_async_batch_size_count ([0-9.e+]+)\n)");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(text, m, batches)) << text;
    EXPECT_GE(std::stod(m[1]), 1) << "the by-id read did not go through the asynchronous path";
  }

  if (std::filesystem::exists("/usr/bin/promtool")) {
    const auto check = run_program({"/usr/bin/promtool", "check", "metrics"}, text);
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
}

TEST_F(OperationsTest, OpenApiDocumentDescribesEveryRoute) {
  const auto r = client_for(server()).get("/api/openapi.json");
  ASSERT_STATUS(r, 200);
  const auto doc = body_of(r);
  EXPECT_EQ(str(doc, "openapi"), "3.1.0");
  const auto& paths = doc.at("paths").as_object();

  // Every route registered in the handlers (the route table's parts) has its path documented.
  std::set<std::string> routes;
  int operations = 0;
  const std::regex add(R"re(router\.add\(\s*"([A-Z]+)",\s*"([^"]+)")re");
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(CM_SOURCE_DIR) / "src/api")) {
    std::ifstream f(entry.path());
    const std::string source((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (auto it = std::sregex_iterator(source.begin(), source.end(), add);
         it != std::sregex_iterator(); ++it) {
      const std::string method = (*it)[1];
      const std::string path = (*it)[2];
      routes.insert(path);
      ++operations;
      ASSERT_TRUE(paths.contains(path)) << path << " is missing from the OpenAPI document";
      EXPECT_TRUE(paths.at(path).as_object().contains(to_lower(method)))
          << method << " " << path << " is not documented";
    }
  }
  EXPECT_GE(operations, 25) << "the route table was not found";
  EXPECT_TRUE(routes.count("/api/openapi.json"));
}

TEST_F(OperationsTest, ResponsesCarrySecurityHeadersAndEchoTheRequestId) {
  auto client = admin();
  const auto r = client.get("/api/v1/me", {{"X-Request-Id", "trace-abc-123"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("X-Request-Id"), "trace-abc-123");

  const auto generated = client.get("/api/v1/me");
  EXPECT_FALSE(generated.header("X-Request-Id").empty());
  EXPECT_NE(generated.header("X-Request-Id"), "trace-abc-123");

  // An id that could inject into logs is replaced, not echoed.
  const auto hostile = client.get("/api/v1/me", {{"X-Request-Id", "bad id\"with{junk}"}});
  EXPECT_FALSE(hostile.header("X-Request-Id").empty());
  EXPECT_EQ(hostile.header("X-Request-Id").find("junk"), std::string::npos);

  const auto missing = client.get("/api/v1/no-such-thing");
  EXPECT_PROBLEM(missing, 404, "/problems/not-found");
  EXPECT_EQ(missing.header("X-Content-Type-Options"), "nosniff");
}

// The web UI's files are served for non-API paths, with an SPA fallback; without a built UI the
// root still tells a visitor where the API is.
TEST_F(OperationsTest, ServesTheWebUiOrALandingPage) {
  auto client = client_for(server());
  const auto index = client.get("/contracts/some-client-route");
  EXPECT_STATUS(index, 200);
  EXPECT_NE(index.body.find("<title>contractmgmt</title>"), std::string::npos);
  EXPECT_NE(index.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_PROBLEM(client.get("/api/v1/nothing-here"), 404, "/problems/not-found");

  const auto bare = start_server("landing", {{"WEB_ROOT", "/nonexistent-web-root"}});
  const auto landing = client_for(*bare).get("/");
  EXPECT_STATUS(landing, 200);
  EXPECT_NE(landing.body.find("/api/openapi.json"), std::string::npos);
  EXPECT_EQ(bare->terminate(), 0);
}

TEST_F(OperationsTest, CorsAllowsOnlyConfiguredOrigins) {
  const auto cors_server = start_server("cors", {{"CORS_ORIGINS", "https://app.example.com"}});
  auto client = client_for(*cors_server);
  const auto preflight =
      client.request("OPTIONS", "/api/v1/contracts", {},
                     {{"Origin", "https://app.example.com"},
                      {"Access-Control-Request-Method", "POST"},
                      {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_STATUS(preflight, 204);
  EXPECT_EQ(preflight.header("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_NE(preflight.header("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_NE(preflight.header("Access-Control-Allow-Headers").find("Authorization"),
            std::string::npos);

  const auto simple = client.get("/health", {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(simple.header("Access-Control-Allow-Origin"), "https://app.example.com");

  const auto evil_preflight = client.request(
      "OPTIONS", "/api/v1/contracts", {},
      {{"Origin", "https://evil.example.com"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_FALSE(evil_preflight.has_header("Access-Control-Allow-Origin"));
  const auto evil = client.get("/health", {{"Origin", "https://evil.example.com"}});
  EXPECT_STATUS(evil, 200);
  EXPECT_FALSE(evil.has_header("Access-Control-Allow-Origin"));
  EXPECT_EQ(cors_server->terminate(), 0);
}

}  // namespace
}  // namespace cm::test::api
