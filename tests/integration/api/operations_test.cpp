// SPDX-License-Identifier: AGPL-3.0-or-later
// Operations: probes, metrics, the OpenAPI document, security headers and CORS, as a load
// balancer, Prometheus, an API client and a browser see them.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "core/strings.hpp"
#include "integration/api/api_fixture.hpp"
#include "support/build_paths.hpp"

namespace cm::test::api {
namespace {

// A generated request id: 36 characters of hex digits and dashes (UUIDv7).
bool is_uuid_like(const std::string& id) {
  return id.size() == 36 && id.find_first_not_of("0123456789abcdef-") == std::string::npos;
}

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

  ASSERT_STATUS(client_for(server()).get("/metrics"), 404)
      << "/metrics must not be served on the public port";
  const auto metrics = HttpClient(server().metrics_url()).get("/metrics");
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
       std::filesystem::directory_iterator(std::filesystem::path(cm::test::source_dir()) / "src/api")) {
    std::ifstream f(entry.path());
    const std::string source((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (auto it = std::sregex_iterator(source.begin(), source.end(), add);
         it != std::sregex_iterator(); ++it) {
      const std::string method = (*it)[1];
      const std::string path = (*it)[2];
      if (path == "/metrics") continue;  // the operations port's, not the public API's
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

// Sends `raw` on a fresh connection and returns everything the server answers before it closes.
std::string exchange_raw(int port, const std::string& raw) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    // The server may answer and close before it has read everything: a failed send is fine.
    for (std::string_view data = raw; !data.empty();) {
      const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) break;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    char buffer[4096];
    for (;;) {
      const auto n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

// The value of a header in a raw response ("" when absent); names compared case-insensitively.
std::string raw_header(const std::string& response, std::string_view wanted) {
  const std::string lower = to_lower(response.substr(0, response.find("\r\n\r\n")));
  const std::string name = to_lower(wanted);
  const auto at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return {};
  auto begin = at + 2 + name.size() + 1;
  while (begin < lower.size() && lower[begin] == ' ') ++begin;
  return response.substr(begin, lower.find("\r\n", begin) - begin);
}

// Requests the server refuses before the application sees them (431, 413) carry the same
// security headers and request id as every other response.
TEST_F(OperationsTest, ResponsesTheServerRefusesCarryTheSameHeaders) {
  const auto expect_standard_headers = [](const std::string& r, const char* what) {
    EXPECT_EQ(raw_header(r, "X-Content-Type-Options"), "nosniff") << what << "\n" << r;
    EXPECT_EQ(raw_header(r, "Referrer-Policy"), "no-referrer") << what;
    EXPECT_EQ(raw_header(r, "X-Frame-Options"), "DENY") << what;
    EXPECT_EQ(raw_header(r, "Cache-Control"), "no-store") << what;
    EXPECT_TRUE(raw_header(r, "Content-Type").starts_with("application/problem+json")) << what;
  };

  const auto big_header = exchange_raw(server().port(),
                                       "GET /api/v1/me HTTP/1.1\r\nHost: t\r\nX-Request-Id: "
                                       "trace-431\r\nX-Big: " +
                                           std::string(64 * 1024, 'a') + "\r\n\r\n");
  ASSERT_TRUE(big_header.starts_with("HTTP/1.1 431")) << big_header.substr(0, 200);
  expect_standard_headers(big_header, "431");
  // The head was never read whole, so the id is the server's own.
  EXPECT_TRUE(is_uuid_like(raw_header(big_header, "X-Request-Id")))
      << raw_header(big_header, "X-Request-Id");

  // Only the head of an 11 MB body is sent: the answer comes from Content-Length alone.
  const auto big_body = exchange_raw(
      server().port(),
      "POST /api/v1/contracts HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "X-Request-Id: trace-413\r\nContent-Length: " +
          std::to_string(11 * 1024 * 1024) + "\r\n\r\n{\"title\":");
  ASSERT_TRUE(big_body.starts_with("HTTP/1.1 413")) << big_body.substr(0, 200);
  expect_standard_headers(big_body, "413");
  EXPECT_EQ(raw_header(big_body, "X-Request-Id"), "trace-413");

  // A hostile id is replaced here too.
  const auto hostile = exchange_raw(
      server().port(),
      "POST /api/v1/contracts HTTP/1.1\r\nHost: t\r\nX-Request-Id: a{b}c\r\nContent-Length: " +
          std::to_string(11 * 1024 * 1024) + "\r\n\r\n");
  ASSERT_TRUE(hostile.starts_with("HTTP/1.1 413")) << hostile.substr(0, 200);
  EXPECT_TRUE(is_uuid_like(raw_header(hostile, "X-Request-Id")));

  // The server is fine afterwards.
  EXPECT_STATUS(client_for(server()).get("/health"), 200);
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
