// SPDX-License-Identifier: AGPL-3.0-or-later
// The summary report over HTTP, on both databases: a small organization whose every figure is
// known (statuses, value per currency, expirations at the bucket boundaries, an overdue
// obligation, cycle times in and out of the window, approvals waiting), seen the same by every
// role, and nothing of another organization in it.

#include <set>

#include "api_fixture.hpp"
#include "core/calendar.hpp"
#include "core/time.hpp"

namespace cm::test::api {
namespace {

constexpr std::int64_t kDay = 86'400'000;

std::string day(std::int64_t offset) {
  return format_date(add_days(date_of(now_unix_ms()), offset));
}

bj::object money(std::string amount, std::string currency) {
  return {{"amount", std::move(amount)}, {"currency", std::move(currency)}};
}

std::int64_t count_at(const bj::object& o, std::string_view key) {
  return o.at(key).as_int64();
}

class ReportsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    org_ = new Org(make_org(shared_server()));
    add_user(shared_server(), *org_, "manager2", "manager");
    other_ = new Org(make_org(shared_server(), {"admin", "manager", "member"}));
  }
  static void TearDownTestSuite() {
    delete org_;
    delete other_;
    org_ = other_ = nullptr;
  }
  static HttpClient as(Org& org, const std::string& key) {
    return client_for(shared_server(), org[key].access_token);
  }
  static std::string contract(Org& org, const std::string& type, bj::object extra = {}) {
    auto member = as(org, "member");
    extra["type"] = type;
    return str(create_contract(member, contract_input(unique_name("Report"), std::move(extra))),
               "id");
  }
  static void sql(const std::string& statement) {
    const auto r = run_sql(shared_server(), statement);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // Puts a contract in a state directly (activation needs signatures, a later issue), with its
  // creation and activation instants (unix ms).
  static void set_state(const std::string& id, const std::string& status,
                        std::optional<std::int64_t> created_at = {},
                        std::optional<std::int64_t> activated_at = {}, bool archived = false) {
    std::string set = "status = '" + status + "'";
    if (created_at) set += ", created_at = " + std::to_string(*created_at);
    if (activated_at) set += ", activated_at = " + std::to_string(*activated_at);
    if (archived) set += ", archived = TRUE";
    sql("UPDATE contracts SET " + set + " WHERE id = '" + id + "';");
  }
  static bj::object summary(Org& org, const std::string& key) {
    auto c = as(org, key);
    const auto r = c.get("/api/v1/reports/summary");
    if (r.status != 200) throw std::runtime_error("summary failed: " + r.body);
    return body_of(r);
  }
  static Org* org_;
  static Org* other_;
};
Org* ReportsTest::org_ = nullptr;
Org* ReportsTest::other_ = nullptr;

TEST_F(ReportsTest, SummaryOfAKnownOrganization) {
  Org& org = *org_;
  const auto now = now_unix_ms();
  const auto in_force = [&](const std::string& type, bj::object extra) {
    return contract(org, type, std::move(extra));
  };
  const auto draft = contract(org, "nda");
  // In force: value and expiration at the bucket boundaries (today, +30, +31, +90, +91, -1).
  const auto today =
      in_force("nda", {{"value", money("1000.00", "EUR")}, {"expirationDate", day(0)}});
  const auto plus30 =
      in_force("msa", {{"value", money("500.50", "EUR")}, {"expirationDate", day(30)}});
  const auto plus31 =
      in_force("msa", {{"value", money("200", "USD")}, {"expirationDate", day(31)}});
  const auto plus90 = in_force("nda", {{"value", money("99", "JPY")}, {"expirationDate", day(90)}});
  const auto plus91 = in_force("nda", {{"expirationDate", day(91)}});  // no value
  const auto lapsed = in_force("nda", {{"value", money("10", "EUR")},
                                       {"expirationDate", day(-1)}});  // not expired by the job yet
  const auto archived = in_force("msa", {{"value", money("5000.00", "EUR")}});
  const auto terminated = contract(org, "msa");

  // Obligations: one overdue; one due today and one done are not.
  auto member = as(org, "member");
  const auto obligations = "/api/v1/contracts/" + today + "/obligations";
  ASSERT_STATUS(member.post_json(obligations, bj::object{{"title", "Late"}, {"dueDate", day(-1)}}),
                201);
  ASSERT_STATUS(member.post_json(obligations, bj::object{{"title", "Now"}, {"dueDate", day(0)}}),
                201);
  const auto done =
      body_of(member.post_json(obligations, bj::object{{"title", "Done"}, {"dueDate", day(-3)}}));
  ASSERT_STATUS(member.post_json(obligations + "/" + str(done, "id") + "/complete", bj::object{}),
                200);

  // Approvals under the default policy (any manager): two pending, one decided.
  std::vector<std::string> reviewed;
  for (int i = 0; i < 3; ++i) {
    reviewed.push_back(contract(org, "nda"));
    ASSERT_STATUS(member.post_json("/api/v1/contracts/" + reviewed.back() + "/transitions",
                                   bj::object{{"to", "in_review"}}),
                  200);
  }
  auto manager = as(org, "manager");
  ASSERT_STATUS(manager.post_json("/api/v1/contracts/" + reviewed[2] + "/approval/decisions",
                                  bj::object{{"decision", "approve"}}),
                200);

  // Cycle times: 5 days, 12 days and 2.5 days inside the 90-day window; two outside it.
  set_state(today, "active", now - 10 * kDay, now - 5 * kDay);
  set_state(plus30, "active", now - 20 * kDay, now - 8 * kDay);
  set_state(plus31, "renewed", now - 400 * kDay, now - 300 * kDay);
  set_state(plus90, "active", now - 3 * kDay - kDay / 2, now - kDay);
  set_state(plus91, "active");
  set_state(lapsed, "active", now - 200 * kDay, now - 100 * kDay);
  set_state(archived, "expired", {}, {}, true);
  set_state(terminated, "terminated");
  // Another organization's contract in force, value and pending approval do not count here.
  const auto elsewhere =
      contract(*other_, "nda", {{"value", money("7.00", "EUR")}, {"expirationDate", day(1)}});
  set_state(elsewhere, "active", now - 2 * kDay, now - kDay);
  auto other_member = as(*other_, "member");
  ASSERT_STATUS(
      other_member.post_json("/api/v1/contracts/" + contract(*other_, "msa") + "/transitions",
                             bj::object{{"to", "in_review"}}),
      200);

  const auto report = summary(org, "admin");
  EXPECT_EQ(str(report, "asOf"), day(0));
  const auto& contracts = report.at("contracts").as_object();
  EXPECT_EQ(count_at(contracts, "total"), 11);
  EXPECT_EQ(count_at(contracts, "archived"), 1);
  const auto& by_status = contracts.at("byStatus").as_object();
  EXPECT_EQ(by_status.size(), 9u);
  EXPECT_EQ(count_at(by_status, "draft"), 1);
  EXPECT_EQ(count_at(by_status, "in_review"), 2);
  EXPECT_EQ(count_at(by_status, "approved"), 1);
  EXPECT_EQ(count_at(by_status, "out_for_signature"), 0);
  EXPECT_EQ(count_at(by_status, "active"), 5);
  EXPECT_EQ(count_at(by_status, "renewed"), 1);
  EXPECT_EQ(count_at(by_status, "expired"), 0);  // archived
  EXPECT_EQ(count_at(by_status, "terminated"), 1);
  EXPECT_EQ(count_at(by_status, "cancelled"), 0);
  const auto& by_type = contracts.at("byType").as_object();
  EXPECT_EQ(by_type.size(), 2u);
  EXPECT_EQ(count_at(by_type, "nda"), 8);
  EXPECT_EQ(count_at(by_type, "msa"), 3);

  EXPECT_EQ(bj::serialize(report.at("activeValue")),
            R"([{"amount":"1510.50","currency":"EUR","contracts":3},)"
            R"({"amount":"99","currency":"JPY","contracts":1},)"
            R"({"amount":"200.00","currency":"USD","contracts":1}])");
  EXPECT_EQ(count_at(report, "inForceWithoutValue"), 1);

  const auto& expiring = report.at("expiring").as_array();
  ASSERT_EQ(expiring.size(), 3u);
  EXPECT_EQ(count_at(expiring[0].as_object(), "withinDays"), 30);
  EXPECT_EQ(str(expiring[0].as_object(), "until"), day(30));
  EXPECT_EQ(count_at(expiring[0].as_object(), "contracts"), 2);  // today, +30
  EXPECT_EQ(count_at(expiring[1].as_object(), "contracts"), 3);  // and +31
  EXPECT_EQ(count_at(expiring[2].as_object(), "contracts"), 4);  // and +90, not +91
  EXPECT_EQ(str(expiring[2].as_object(), "until"), day(90));

  EXPECT_EQ(count_at(report, "overdueObligations"), 1);

  const auto& cycle = report.at("cycleTime").as_object();
  EXPECT_EQ(count_at(cycle, "windowDays"), 90);
  EXPECT_EQ(count_at(cycle, "contracts"), 3);
  EXPECT_EQ(str(cycle, "medianDays"), "5.0");

  // Both managers wait for the two pending approvals (the third is decided).
  const auto& waiting = report.at("approvalsWaiting").as_array();
  ASSERT_EQ(waiting.size(), 2u);
  std::set<std::string> approvers;
  for (const auto& w : waiting) {
    const auto& o = w.as_object();
    approvers.insert(str(o, "userId"));
    EXPECT_EQ(count_at(o, "approvals"), 2);
    EXPECT_EQ(str(o, "name"), "Test manager");
    EXPECT_NE(str(o, "email").find("@example.com"), std::string::npos);
  }
  EXPECT_EQ(approvers, (std::set<std::string>{org["manager"].id, org["manager2"].id}));

  // Every role reads the same report; the other organization sees only its own.
  auto as_viewer = summary(org, "viewer");
  EXPECT_EQ(as_viewer.at("contracts"), report.at("contracts"));
  EXPECT_EQ(as_viewer.at("activeValue"), report.at("activeValue"));
  const auto theirs = summary(*other_, "member");
  EXPECT_EQ(count_at(theirs.at("contracts").as_object(), "total"), 2);
  EXPECT_EQ(bj::serialize(theirs.at("activeValue")),
            R"([{"amount":"7.00","currency":"EUR","contracts":1}])");
  EXPECT_EQ(count_at(theirs.at("expiring").as_array()[0].as_object(), "contracts"), 1);
  EXPECT_EQ(count_at(theirs, "overdueObligations"), 0);
  EXPECT_EQ(str(theirs.at("cycleTime").as_object(), "medianDays"), "1.0");
  ASSERT_EQ(theirs.at("approvalsWaiting").as_array().size(), 1u);
  EXPECT_EQ(str(theirs.at("approvalsWaiting").as_array()[0].as_object(), "userId"),
            (*other_)["manager"].id);
}

TEST_F(ReportsTest, AnEmptyOrganizationHasZerosAndNoMedian) {
  Org fresh = make_org(shared_server(), {"viewer"});
  const auto report = summary(fresh, "viewer");
  EXPECT_EQ(count_at(report.at("contracts").as_object(), "total"), 0);
  EXPECT_EQ(report.at("contracts").at("byStatus").as_object().size(), 9u);
  EXPECT_TRUE(report.at("contracts").at("byType").as_object().empty());
  EXPECT_TRUE(report.at("activeValue").as_array().empty());
  EXPECT_TRUE(report.at("cycleTime").at("medianDays").is_null());
  EXPECT_EQ(count_at(report.at("cycleTime").as_object(), "contracts"), 0);
  EXPECT_TRUE(report.at("approvalsWaiting").as_array().empty());
}

TEST_F(ReportsTest, NeedsAuthenticationAndRefusesUnknownParameters) {
  auto anonymous = client_for(shared_server());
  EXPECT_PROBLEM(anonymous.get("/api/v1/reports/summary"), 401, "/problems/unauthenticated");
  auto viewer = as(*org_, "viewer");
  const auto r = viewer.get("/api/v1/reports/summary?window=30");
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(r, "window"));
}

}  // namespace
}  // namespace cm::test::api
