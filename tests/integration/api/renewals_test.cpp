// SPDX-License-Identifier: AGPL-3.0-or-later
// Renewals and expiry over HTTP, on both databases: organization time zones and reminder
// offsets, upcoming renewals, manual renewal, termination with notice, related contracts, and
// the renewals.daily job run by two workers at once without sending a reminder twice.

#include <chrono>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "core/calendar.hpp"
#include "core/time.hpp"

namespace cm::test::api {
namespace {

using namespace std::chrono_literals;

// Puts a contract in force the way signatures would, long enough ago that every reminder before
// its deadline counts (the tests of the signing path itself are in signatures_test.cpp).
void make_active(const ServerProcess& server, const std::string& id, std::string status = "active",
                 std::string extra_sql = {}) {
  const auto long_ago = std::to_string(now_unix_ms() - 400LL * 86'400'000);
  const auto r =
      run_sql(server, "UPDATE contracts SET status = '" + status + "', activated_at = " + long_ago +
                          extra_sql + " WHERE id = '" + id + "';");
  if (r.exit_code != 0) throw std::runtime_error(r.output);
}

class RenewalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    org_ = make_org(shared_server(), {"admin", "manager", "member", "viewer"});
  }
  HttpClient as(const std::string& role) {
    return client_for(shared_server(), org_[role].access_token);
  }
  std::string new_contract(HttpClient& client, const std::string& title, bj::object extra = {}) {
    return str(create_contract(client, contract_input(title, std::move(extra))), "id");
  }
  Org org_;
};

TEST_F(RenewalsTest, OrganizationTimeZoneDecidesTheDatesAndIsValidated) {
  auto admin = as("admin");
  EXPECT_PROBLEM(admin.patch_json("/api/v1/organization", bj::object{{"timeZone", "Mars/Olympus"}}),
                 400, "/problems/validation");
  EXPECT_PROBLEM(
      admin.patch_json("/api/v1/organization", bj::object{{"timeZone", "../etc/passwd"}}), 400,
      "/problems/validation");
  EXPECT_PROBLEM(
      admin.patch_json("/api/v1/organization", bj::object{{"renewalReminderDays", bj::array{0}}}),
      400, "/problems/validation");
  EXPECT_PROBLEM(
      as("manager").patch_json("/api/v1/organization", bj::object{{"timeZone", "Europe/Berlin"}}),
      403, "/problems/forbidden");

  const auto id = new_contract(admin, "Dated", {{"expirationDate", day(40)}});
  const auto days_in = [&](const std::string& zone) {
    auto r = admin.patch_json(
        "/api/v1/organization",
        bj::object{{"timeZone", zone}, {"renewalReminderDays", bj::array{14, 60}}});
    EXPECT_EQ(r.status, 200) << r.body;
    const auto org = body_of(r);
    EXPECT_EQ(str(org, "timeZone"), zone);
    EXPECT_EQ(org.at("renewalReminderDays"), bj::parse("[60, 14]"));
    return body_of(admin.get(contract_url(id))).at("daysToExpiry").as_int64();
  };
  // UTC+14 and UTC-11 (no daylight saving in either): their dates are 1 or 2 days apart at any
  // instant, so an API counting in UTC would give the same number twice.
  const auto now = now_unix_ms();
  const auto expiration = add_days(date_of(now), 40);
  const auto kiritimati = days_in("Pacific/Kiritimati");
  const auto pago_pago = days_in("Pacific/Pago_Pago");
  EXPECT_EQ(kiritimati, days_between(date_of(now + 14 * 3'600'000LL), expiration));
  EXPECT_EQ(pago_pago, days_between(date_of(now - 11 * 3'600'000LL), expiration));
  EXPECT_GE(pago_pago - kiritimati, 1);
  const auto list = body_of(admin.get("/api/v1/contracts?limit=5"));
  EXPECT_EQ(items_of(list)[0].as_object().at("daysToExpiry").as_int64(), pago_pago);
}

TEST_F(RenewalsTest, UpcomingRenewalsAreSortedByTheNextDateInTheWindow) {
  auto manager = as("manager");
  const auto soon = new_contract(manager, "Expires in 20", {{"expirationDate", day(20)}});
  const auto notice = new_contract(manager, "Notice in 50",
                                   {{"expirationDate", day(100)}, {"noticePeriodDays", 50}});
  const auto later = new_contract(manager, "Expires in 200", {{"expirationDate", day(200)}});
  const auto draft = new_contract(manager, "Draft in 10", {{"expirationDate", day(10)}});
  for (const auto& id : {soon, notice, later}) make_active(shared_server(), id);

  auto page = body_of(manager.get("/api/v1/renewals?within=60"));
  const auto& items = items_of(page);
  ASSERT_EQ(items.size(), 2u) << bj::serialize(page);
  EXPECT_EQ(str(items[0].as_object(), "contractId"), soon);
  EXPECT_EQ(str(items[0].as_object(), "nextEvent"), "expiration");
  EXPECT_EQ(str(items[0].as_object(), "nextDate"), day(20));
  EXPECT_EQ(str(items[1].as_object(), "contractId"), notice);
  EXPECT_EQ(str(items[1].as_object(), "nextEvent"), "notice_deadline");
  EXPECT_EQ(str(items[1].as_object(), "noticeDeadline"), day(50));
  EXPECT_EQ(items[1].as_object().at("daysToNoticeDeadline").as_int64(), 50);
  (void)draft;

  auto first = body_of(manager.get("/api/v1/renewals?within=60&limit=1"));
  ASSERT_EQ(items_of(first).size(), 1u);
  ASSERT_TRUE(first.at("nextCursor").is_string());
  auto second = body_of(manager.get("/api/v1/renewals?within=60&limit=1&cursor=" +
                                    std::string(first.at("nextCursor").as_string())));
  ASSERT_EQ(items_of(second).size(), 1u);
  EXPECT_EQ(str(items_of(second)[0].as_object(), "contractId"), notice);
  EXPECT_TRUE(second.at("nextCursor").is_null());

  EXPECT_PROBLEM(manager.get("/api/v1/renewals?within=-1"), 400, "/problems/validation");
  EXPECT_PROBLEM(manager.get("/api/v1/renewals?within=9999"), 400, "/problems/validation");
  EXPECT_PROBLEM(manager.get("/api/v1/renewals?owner=me"), 400, "/problems/validation");
  // Another organization sees none of them.
  auto other = make_org(shared_server(), {"manager"});
  EXPECT_TRUE(items_of(body_of(client_for(shared_server(), other["manager"].access_token)
                                   .get("/api/v1/renewals?within=365")))
                  .empty());
}

TEST_F(RenewalsTest, ManualRenewalAppliesNewTermsAndIsRecorded) {
  auto member = as("member");
  const auto id = new_contract(member, "Hosting",
                               {{"expirationDate", day(30)},
                                {"renewalTermMonths", 12},
                                {"value", bj::object{{"amount", "1000.00"}, {"currency", "EUR"}}}});
  EXPECT_PROBLEM(member.post_json(contract_url(id) + "/renew", bj::object{}), 409,
                 "/problems/conflict");  // a draft is not in force
  make_active(shared_server(), id);

  EXPECT_PROBLEM(
      member.post_json(contract_url(id) + "/renew", bj::object{{"expirationDate", day(10)}}), 400,
      "/problems/validation");
  EXPECT_PROBLEM(as("viewer").post_json(contract_url(id) + "/renew", bj::object{}), 403,
                 "/problems/forbidden");
  auto r =
      member.post_json(contract_url(id) + "/renew",
                       bj::object{{"termMonths", 24},
                                  {"value", bj::object{{"amount", "1200.00"}, {"currency", "EUR"}}},
                                  {"comment", "two more years at the new price"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto renewed = body_of(r);
  EXPECT_EQ(str(renewed, "status"), "renewed");
  EXPECT_EQ(renewed.at("renewalCount").as_int64(), 1);
  EXPECT_EQ(str(renewed, "expirationDate"), format_date(add_months(*parse_date(day(30)), 24)));
  EXPECT_EQ(str(renewed.at("value").as_object(), "amount"), "1200.00");

  const auto history = items_of(body_of(member.get(contract_url(id) + "/history")));
  ASSERT_FALSE(history.empty());
  const auto& last = history.back().as_object();
  EXPECT_EQ(str(last, "to"), "renewed");
  EXPECT_EQ(str(last, "comment"), "two more years at the new price");
  const auto audit = items_of(
      body_of(as("admin").get("/api/v1/audit?entityId=" + id + "&action=contract.renewed")));
  ASSERT_EQ(audit.size(), 1u);
  const auto& changes = audit[0].as_object().at("changes").as_object().at("changes").as_object();
  EXPECT_TRUE(changes.contains("expirationDate"));
  EXPECT_TRUE(changes.contains("value"));

  // The transitions route renews by the contract's own term.
  auto again = member.post_json(contract_url(id) + "/transitions", bj::object{{"to", "renewed"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(body_of(again).at("renewalCount").as_int64(), 2);
}

TEST_F(RenewalsTest, TerminationRespectsTheNoticePeriodUnlessForCause) {
  auto member = as("member");
  const auto id = new_contract(member, "Lease",
                               {{"expirationDate", day(365)},
                                {"noticePeriodDays", 30},
                                {"autoRenew", true},
                                {"renewalTermMonths", 12}});
  make_active(shared_server(), id);
  const auto url = contract_url(id) + "/terminate";

  auto early = member.post_json(url, bj::object{{"reason", "moving out"}});
  EXPECT_PROBLEM(early, 400, "/problems/validation");
  EXPECT_NE(early.body.find(day(30)), std::string::npos) << early.body;  // the earliest date
  EXPECT_PROBLEM(member.post_json(url, bj::object{{"reason", " "}}), 400, "/problems/validation");
  EXPECT_PROBLEM(member.post_json(url, bj::object{{"reason", "breach"}, {"forCause", true}}), 403,
                 "/problems/forbidden");

  auto scheduled =
      member.post_json(url, bj::object{{"reason", "moving out"}, {"effectiveDate", day(30)}});
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  auto contract = body_of(scheduled);
  EXPECT_EQ(str(contract, "status"), "active");
  EXPECT_EQ(str(contract, "terminationEffectiveDate"), day(30));
  EXPECT_EQ(str(contract, "terminationReason"), "moving out");

  auto now =
      as("manager").post_json(url, bj::object{{"reason", "material breach"}, {"forCause", true}});
  ASSERT_EQ(now.status, 200) << now.body;
  contract = body_of(now);
  EXPECT_EQ(str(contract, "status"), "terminated");
  EXPECT_EQ(str(contract, "terminationReason"), "material breach");
  EXPECT_TRUE(contract.at("terminatedAt").is_string());
  EXPECT_PROBLEM(member.post_json(url, bj::object{{"reason", "again"}}), 409, "/problems/conflict");
}

TEST_F(RenewalsTest, RelatedContractsFormATreeWithoutCycles) {
  auto manager = as("manager");
  const auto master = new_contract(manager, "Master");
  const auto sow = new_contract(manager, "SOW 1", {{"parentId", master}, {"relation", "sow"}});
  const auto amendment = new_contract(manager, "Amendment 1",
                                      {{"parentId", master},
                                       {"relation", "amendment"},
                                       {"expirationDate", day(700)},
                                       {"appliesToParent", bj::array{"expirationDate"}}});
  const auto order = new_contract(manager, "Order", {{"parentId", sow}, {"relation", "order"}});

  auto tree = body_of(manager.get(contract_url(order) + "/related"));
  EXPECT_EQ(str(tree, "rootId"), master);
  const auto& nodes = tree.at("contracts").as_array();
  ASSERT_EQ(nodes.size(), 4u) << bj::serialize(tree);
  EXPECT_EQ(str(nodes[0].as_object(), "id"), master);
  EXPECT_EQ(nodes[0].as_object().at("depth").as_int64(), 0);
  // Depth-first: the order follows its SOW wherever the SOW is among the master's children
  // (siblings created in the same millisecond have no defined order).
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < nodes.size(); ++i) at[str(nodes[i].as_object(), "id")] = i;
  ASSERT_EQ(at.size(), 4u);
  EXPECT_EQ(at.at(order), at.at(sow) + 1);
  EXPECT_EQ(nodes[at.at(order)].as_object().at("depth").as_int64(), 2);
  EXPECT_TRUE(nodes[at.at(order)].as_object().at("isCurrent").as_bool());
  EXPECT_EQ(nodes[at.at(amendment)].as_object().at("depth").as_int64(), 1);
  EXPECT_EQ(str(nodes[at.at(amendment)].as_object(), "relation"), "amendment");

  const auto version = [&](const std::string& id) {
    return "\"" + std::to_string(body_of(manager.get(contract_url(id))).at("version").as_int64()) +
           "\"";
  };
  auto cycle = manager.patch_json(contract_url(master),
                                  bj::object{{"parentId", order}, {"relation", "amendment"}},
                                  {{"If-Match", version(master)}});
  EXPECT_PROBLEM(cycle, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(cycle, "parentId"));
  EXPECT_TRUE(has_field_error(
      manager.post_json("/api/v1/contracts", contract_input("Orphan", {{"parentId", master}})),
      "relation"));
  auto other = make_org(shared_server(), {"manager"});
  auto outsider = client_for(shared_server(), other["manager"].access_token);
  EXPECT_TRUE(has_field_error(
      outsider.post_json("/api/v1/contracts",
                         contract_input("Foreign", {{"parentId", master}, {"relation", "sow"}})),
      "parentId"));
  EXPECT_PROBLEM(outsider.get(contract_url(master) + "/related"), 404, "/problems/not-found");
  EXPECT_PROBLEM(manager.del(contract_url(sow)), 409, "/problems/conflict");  // has a child
}

// ---------------------------------------------------------------------------------------------
// The daily job

bj::array renewal_notices(HttpClient& client, const std::string& contract) {
  bj::array out;
  for (const auto& n : items_of(body_of(client.get("/api/v1/notifications?limit=200"))))
    if (str(n.as_object(), "kind") == "renewal" && str(n.as_object(), "entityId") == contract)
      out.push_back(n);
  return out;
}

// Two workers (the server's embedded one and a `contractmgmt worker`) run the job, twice at
// once and again later: expiry, auto-renewal, a scheduled termination and one reminder round.
TEST(RenewalJob, TwoWorkersExpireRenewTerminateAndRemindOnce) {
  auto server = start_server("renewal-jobs", {{"WORKER_CONCURRENCY", "2"}});
  ServerProcess worker(
      {{"DATABASE_URL", server->env().at("DATABASE_URL")}, {"WORKER_CONCURRENCY", "2"}},
      kWorkerCommand);
  auto org = make_org(*server, {"manager", "member"});
  auto manager = client_for(*server, org["manager"].access_token);
  auto member = client_for(*server, org["member"].access_token);
  const auto create = [&](const std::string& title, bj::object extra) {
    return str(create_contract(manager, contract_input(title, std::move(extra))), "id");
  };
  const auto expiring = create("Expired yesterday", {{"expirationDate", day(-1)}});
  const auto renewing = create(
      "Auto-renews", {{"expirationDate", day(-2)}, {"autoRenew", true}, {"renewalTermMonths", 12}});
  const auto terminating = create("Ends today", {{"expirationDate", day(90)}});
  const auto reminded =
      create("Notice in 30", {{"expirationDate", day(37)}, {"noticePeriodDays", 7}});
  const auto quiet =
      create("Notice in 113", {{"expirationDate", day(120)}, {"noticePeriodDays", 7}});
  for (const auto& id : {expiring, renewing, reminded, quiet}) make_active(*server, id);
  make_active(*server, terminating, "active",
              ", termination_effective_date = '" + day(0) + "', termination_reason = 'ended'");
  ASSERT_STATUS(member.put_json(contract_url(reminded) + "/watchers/me", bj::object{}), 204);

  run_job_and_wait(*server, "renewals.daily", 2);
  run_job_and_wait(*server, "renewals.daily", 1);

  const auto status_of = [&](const std::string& id) {
    return body_of(manager.get(contract_url(id)));
  };
  EXPECT_EQ(str(status_of(expiring), "status"), "expired");
  const auto renewed = status_of(renewing);
  EXPECT_EQ(str(renewed, "status"), "renewed");
  EXPECT_EQ(str(renewed, "expirationDate"), format_date(add_months(*parse_date(day(-2)), 12)));
  EXPECT_EQ(renewed.at("renewalCount").as_int64(), 1);
  EXPECT_EQ(str(status_of(terminating), "status"), "terminated");
  EXPECT_EQ(str(status_of(reminded), "status"), "active");

  // One reminder (30 days before the notice deadline; the 90- and 60-day ones fell before the
  // run and only the newest is sent) to the owner and one to the watcher, however many runs.
  const auto owner_notices = renewal_notices(manager, reminded);
  ASSERT_EQ(owner_notices.size(), 1u) << bj::serialize(owner_notices);
  const auto& data = owner_notices[0].as_object().at("data").as_object();
  EXPECT_EQ(data.at("daysBefore").as_int64(), 30);
  EXPECT_EQ(str(data, "noticeDeadline"), day(30));
  EXPECT_EQ(renewal_notices(member, reminded).size(), 1u);
  EXPECT_TRUE(renewal_notices(manager, quiet).empty());  // the first, 90 days before, is not due
  // The expiry and renewal were announced to the owner, once each.
  EXPECT_EQ(renewal_notices(manager, expiring).size(), 1u);
  EXPECT_EQ(renewal_notices(manager, renewing).size(), 1u);
  const auto sent = run_sql(
      *server, "SELECT COUNT(*) FROM renewal_reminders WHERE contract_id = '" + reminded + "';");
  EXPECT_NE(sent.output.find('3'), std::string::npos) << sent.output;  // 90, 60, 30 recorded
  const auto history = items_of(body_of(manager.get(contract_url(expiring) + "/history")));
  ASSERT_EQ(history.size(), 1u);  // one expiry however many runs
  EXPECT_TRUE(history[0].as_object().at("actorId").is_null());
}

}  // namespace
}  // namespace cm::test::api
