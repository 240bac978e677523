// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Shared helpers for the API integration tests: one real `contractmgmt serve` per test binary
// (on the backend named by CM_TEST_BACKEND), organizations with one user per role created the
// way an operator does it (`contractmgmt user create`), logins, and small JSON helpers.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/calendar.hpp"
#include "core/time.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_env.hpp"

namespace cm::test::api {

namespace bj = boost::json;

inline constexpr const char* kRoles[] = {"admin", "manager", "member", "viewer"};

// A name no other test (or earlier run against the same database) uses.
// /api/v1/contracts/{id}, and `rest` after it ("/documents").
inline std::string contract_url(const std::string& id, const std::string& rest = "") {
  return "/api/v1/contracts/" + id + rest;
}

inline std::string unique_name(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// A server on a fresh database of the test backend, with extra environment.
inline std::unique_ptr<ServerProcess> start_server(std::string_view db_prefix, EnvMap env = {}) {
  env["DATABASE_URL"] = fresh_database_url(std::string(db_prefix));
  return std::make_unique<ServerProcess>(std::move(env));
}

// The server most tests share: started once per test binary, on first use.
inline ServerProcess& shared_server() {
  static std::unique_ptr<ServerProcess> server = start_server("api");
  return *server;
}

// ---------------------------------------------------------------------------------------------
// JSON

inline bj::object body_of(const HttpResponse& r) {
  auto v = r.json();
  if (!v.is_object())
    throw std::runtime_error("expected a JSON object (status " + std::to_string(r.status) +
                             "): " + r.body);
  return std::move(v.as_object());
}

inline std::string str(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->as_string());
}

inline const bj::array& items_of(const bj::object& page) {
  return page.at("items").as_array();
}
// For a temporary page (e.g. `items_of(body_of(r))` in a range-for): a copy that outlives it.
inline bj::array items_of(bj::object&& page) {
  return std::move(page.at("items").as_array());
}

inline std::vector<std::string> ids_of(const bj::object& page) {
  std::vector<std::string> ids;
  for (const auto& item : items_of(page)) ids.push_back(str(item.as_object(), "id"));
  return ids;
}

// The `field` of every entry of a validation problem's `errors`.
inline std::vector<std::string> error_fields(const HttpResponse& r) {
  std::vector<std::string> fields;
  auto v = r.json();
  if (const auto* errors = v.as_object().if_contains("errors"); errors && errors->is_array())
    for (const auto& e : errors->as_array()) fields.push_back(str(e.as_object(), "field"));
  return fields;
}

inline bool has_field_error(const HttpResponse& r, std::string_view field) {
  for (const auto& f : error_fields(r))
    if (f == field) return true;
  return false;
}

// `status` and an RFC 9457 body whose `type` is `type` ("/problems/..."), served as problem+json.
inline ::testing::AssertionResult is_problem(const HttpResponse& r, long status,
                                             std::string_view type) {
  if (r.status != status)
    return ::testing::AssertionFailure()
           << "status " << r.status << ", expected " << status << "; body: " << r.body;
  if (!r.header("Content-Type").starts_with("application/problem+json"))
    return ::testing::AssertionFailure()
           << "Content-Type " << r.header("Content-Type") << "; body: " << r.body;
  bj::object o;
  try {
    o = body_of(r);
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
  if (str(o, "type") != type)
    return ::testing::AssertionFailure()
           << "problem type " << str(o, "type") << ", expected " << type << "; body: " << r.body;
  if (!o.contains("title") || !o.contains("status") || !o.contains("detail"))
    return ::testing::AssertionFailure() << "problem without title/status/detail: " << r.body;
  return ::testing::AssertionSuccess();
}

#define EXPECT_PROBLEM(response, status, type) \
  EXPECT_TRUE(::cm::test::api::is_problem((response), (status), (type)))
#define ASSERT_STATUS(response, expected) \
  ASSERT_EQ((response).status, (expected)) << (response).body
#define EXPECT_STATUS(response, expected) \
  EXPECT_EQ((response).status, (expected)) << (response).body

// ---------------------------------------------------------------------------------------------
// People and organizations

struct Account {
  std::string id;
  std::string email;
  std::string password;
  std::string role;
  std::string access_token;
  std::string refresh_token;
};

inline HttpResponse login_request(const ServerProcess& server, const std::string& email,
                                  const std::string& password) {
  HttpClient client(server.base_url());
  return client.post_json("/api/v1/auth/login",
                          bj::object{{"email", email}, {"password", password}});
}

// Logs in; throws unless it works.
inline void login(const ServerProcess& server, Account& account) {
  const auto r = login_request(server, account.email, account.password);
  if (r.status != 200) throw std::runtime_error("login of " + account.email + " failed: " + r.body);
  const auto o = body_of(r);
  account.access_token = str(o, "accessToken");
  account.refresh_token = str(o, "refreshToken");
}

// `contractmgmt user create` (creates the organization too when it is new), then logs in.
inline Account create_account(const ServerProcess& server, const std::string& org_name,
                              const std::string& role, std::string email = {}, bool log_in = true) {
  Account a;
  a.role = role;
  a.email = email.empty() ? unique_name(role) + "@example.com" : std::move(email);
  a.password = "correct-horse-" + unique_name("pw");
  const auto r = run_cli({"user", "create", "--org", org_name, "--email", a.email, "--role", role,
                          "--name", "Test " + role},
                         server.env(), a.password + "\n");
  if (r.exit_code != 0)
    throw std::runtime_error("user create failed (" + std::to_string(r.exit_code) + "): " + r.err);
  a.id = r.out.substr(0, r.out.find_first_of("\r\n"));
  if (log_in) login(server, a);
  return a;
}

inline HttpClient client_for(const ServerProcess& server, const std::string& token = {}) {
  HttpClient c(server.base_url());
  if (!token.empty()) c.set_token(token);
  return c;
}

struct Org {
  std::string name;
  std::string id;
  std::map<std::string, Account> users;  // by role (or by any key given to add())

  Account& operator[](const std::string& key) { return users.at(key); }
};

// A new organization with one logged-in user for each role in `roles` (the first creates it).
inline Org make_org(const ServerProcess& server,
                    std::vector<std::string> roles = {"admin", "manager", "member", "viewer"}) {
  Org org;
  org.name = unique_name("Org");
  for (const auto& role : roles) org.users[role] = create_account(server, org.name, role);
  auto me = client_for(server, org.users.at(roles.front()).access_token).get("/api/v1/me");
  if (me.status != 200) throw std::runtime_error("GET /me failed: " + me.body);
  org.id = str(body_of(me).at("organization").as_object(), "id");
  return org;
}

// Another user of an existing organization, stored under `key`.
inline Account& add_user(const ServerProcess& server, Org& org, const std::string& key,
                         const std::string& role) {
  org.users[key] = create_account(server, org.name, role);
  return org.users[key];
}

// ---------------------------------------------------------------------------------------------
// Domain helpers

inline bj::object contract_input(std::string title, bj::object extra = {}) {
  bj::object body{{"title", std::move(title)}, {"type", "nda"}};
  for (auto& kv : extra) body[kv.key()] = kv.value();
  return body;
}

// Creates a contract and returns the created resource; fails the test (via exception) otherwise.
inline bj::object create_contract(HttpClient& client, bj::object body) {
  const auto r = client.post_json("/api/v1/contracts", body);
  if (r.status != 201) throw std::runtime_error("create contract failed: " + r.body);
  return body_of(r);
}

inline bj::object create_counterparty(HttpClient& client, std::string name) {
  const auto r = client.post_json("/api/v1/counterparties", bj::object{{"name", std::move(name)}});
  if (r.status != 201) throw std::runtime_error("create counterparty failed: " + r.body);
  return body_of(r);
}

// Percent-encodes a query parameter value.
inline std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Other programs (sqlite3, psql, promtool)

struct ProgramResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `argv` through the shell with `input` on stdin.
inline ProgramResult run_program(const std::vector<std::string>& argv,
                                 const std::string& input = {}) {
  const auto in_path =
      std::filesystem::temp_directory_path() / (unique_name("cm-api-stdin") + ".txt");
  {
    std::ofstream f(in_path);
    f << input;
  }
  std::string command;
  for (const auto& a : argv) command += shell_quote(a) + " ";
  command += "< " + shell_quote(in_path.string()) + " 2>&1";
  ProgramResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::filesystem::remove(in_path);
  return result;
}

// Runs SQL directly against the server's database (sqlite3 or psql).
inline ProgramResult run_sql(const ServerProcess& server, const std::string& sql) {
  const std::string url = server.env().at("DATABASE_URL");
  if (url.starts_with("sqlite:")) {
    const auto file = url.substr(url.starts_with("sqlite://") ? 9 : 7);
    return run_program({"/usr/bin/sqlite3", "-bail", file}, ".timeout 5000\n" + sql);
  }
  return run_program({"psql", "-v", "ON_ERROR_STOP=1", "-X", "-q", url}, sql);
}

// A suite whose tests share one organization (one user per role) on the shared server.
class SharedOrgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { org_ = new Org(make_org(shared_server())); }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }
  static Org& org() { return *org_; }
  static HttpClient as(const std::string& role) {
    return client_for(shared_server(), (*org_)[role].access_token);
  }

 private:
  static inline Org* org_ = nullptr;
};

// Today's UTC date plus `offset` days, as YYYY-MM-DD (organizations default to UTC).
inline std::string day(std::int64_t offset) {
  return format_date(add_days(date_of(now_unix_ms()), offset));
}

// Enqueues `copies` runs of a job kind at once (`contractmgmt jobs enqueue`) and waits up to
// 20 s until every one has succeeded; the worker may run them concurrently.
inline void run_job_and_wait(const ServerProcess& server, const std::string& kind, int copies) {
  std::vector<std::string> ids;
  for (int i = 0; i < copies; ++i) {
    const auto r = run_cli({"jobs", "enqueue", kind}, server.env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string id = r.out;
    while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
    ids.push_back(id);
  }
  for (const auto& id : ids) {
    std::string status;
    for (int i = 0; i < 200; ++i) {
      status = run_sql(server, "SELECT status FROM jobs WHERE id = '" + id + "';").output;
      if (status.find("succeeded") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_NE(status.find("succeeded"), std::string::npos) << kind << ": " << status;
  }
}

}  // namespace cm::test::api
