// SPDX-License-Identifier: AGPL-3.0-or-later
// First-run setup over HTTP, on both databases: the link `serve` prints while there is no user
// (and `contractmgmt setup-url`), POST /api/v1/setup creating the organization and its first
// admin exactly once, and nothing without the token.

#include <future>
#include <regex>

#include "api_fixture.hpp"

namespace cm::test::api {
namespace {

class SetupTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = start_server("setup"); }

  // The token of the link in the server's start-up output.
  std::string printed_token() const {
    static const std::regex link(R"(http://localhost:\d+/setup\?token=([A-Za-z0-9_-]+))");
    std::smatch m;
    const auto log = server_->log_text();
    if (!std::regex_search(log, m, link)) throw std::runtime_error("no setup link in: " + log);
    return m[1];
  }

  static bj::object setup_body(const std::string& token, const std::string& email) {
    return bj::object{
        {"token", token},
        {"organization", bj::object{{"name", "Acme Legal"}, {"timeZone", "Europe/Berlin"}}},
        {"admin", bj::object{{"email", email}, {"name", "Ada Admin"}, {"password", kPassword}}}};
  }

  HttpResponse post_setup(const bj::object& body) const {
    return client_for(*server_).post_json("/api/v1/setup", body);
  }

  static constexpr const char* kPassword = "a-long-first-password";
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(SetupTest, ThePrintedLinkCreatesTheOrganizationAndItsAdminWhoCanSignIn) {
  const auto token = printed_token();
  const auto cli = run_cli({"setup-url"}, server_->env());
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("/setup?token=" + token), std::string::npos) << cli.out;

  const auto created = post_setup(setup_body(token, "Ada@Example.com"));
  ASSERT_STATUS(created, 201);
  const auto body = body_of(created);
  EXPECT_EQ(str(body.at("organization").as_object(), "name"), "Acme Legal");
  EXPECT_EQ(str(body.at("organization").as_object(), "timeZone"), "Europe/Berlin");
  EXPECT_EQ(str(body.at("user").as_object(), "role"), "admin");
  EXPECT_EQ(str(body.at("user").as_object(), "email"), "ada@example.com");

  auto login = client_for(*server_).post_json(
      "/api/v1/auth/login", bj::object{{"email", "ada@example.com"}, {"password", kPassword}});
  ASSERT_STATUS(login, 200);
  auto admin = client_for(*server_, str(body_of(login), "accessToken"));
  const auto trail = body_of(admin.get("/api/v1/audit?limit=10"));
  std::vector<std::string> actions;
  for (const auto& e : items_of(trail)) actions.emplace_back(str(e.as_object(), "action"));
  EXPECT_NE(std::find(actions.begin(), actions.end(), "organization.created"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "user.created"), actions.end());

  // Once: the link is spent, and the CLI says so.
  EXPECT_PROBLEM(post_setup(setup_body(token, "eve@example.com")), 409, "/problems/conflict");
  EXPECT_EQ(run_cli({"setup-url"}, server_->env()).exit_code, 1);
}

TEST_F(SetupTest, WithoutTheTokenTheRouteIsNotFoundAndChangesNothing) {
  auto no_token = setup_body("", "eve@example.com");
  no_token.erase("token");
  EXPECT_PROBLEM(post_setup(no_token), 404, "/problems/not-found");
  EXPECT_PROBLEM(post_setup(setup_body("guess", "eve@example.com")), 404, "/problems/not-found");
  auto numeric = setup_body("", "eve@example.com");
  numeric["token"] = 42;
  EXPECT_PROBLEM(post_setup(numeric), 404, "/problems/not-found");
  // Still not set up: the real token works afterwards.
  EXPECT_STATUS(post_setup(setup_body(printed_token(), "ada@example.com")), 201);
}

TEST_F(SetupTest, InvalidFieldsAreNamedByTheirPath) {
  auto body = setup_body(printed_token(), "not-an-email");
  body["admin"].as_object()["password"] = "short";
  body["organization"].as_object()["timeZone"] = "Mars/Olympus";
  body["organization"].as_object()["color"] = "red";
  const auto r = post_setup(body);
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  for (const auto* field :
       {"admin.email", "admin.password", "organization.timeZone", "organization.color"})
    EXPECT_TRUE(has_field_error(r, field)) << field << ": " << r.body;
  EXPECT_STATUS(post_setup(setup_body(printed_token(), "ada@example.com")), 201);
}

TEST_F(SetupTest, OfTwoSetupsAtOnceExactlyOneSucceeds) {
  const auto token = printed_token();
  auto first = std::async(std::launch::async,
                          [&] { return post_setup(setup_body(token, "one@example.com")).status; });
  auto second = std::async(std::launch::async,
                           [&] { return post_setup(setup_body(token, "two@example.com")).status; });
  std::vector<long> statuses{first.get(), second.get()};
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<long>{201, 409}));
}

}  // namespace
}  // namespace cm::test::api
