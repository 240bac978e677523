// SPDX-License-Identifier: AGPL-3.0-or-later
// Obligations and milestones over HTTP, and the daily reminder job, on both databases.

#include <chrono>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "core/calendar.hpp"
#include "core/time.hpp"

namespace cm::test::api {
namespace {

using namespace std::chrono_literals;

std::string obligations_of(const std::string& contract) {
  return "/api/v1/contracts/" + contract + "/obligations";
}

bj::object obligation_input(std::string title, std::string due, bj::object extra = {}) {
  bj::object body{{"title", std::move(title)}, {"dueDate", std::move(due)}};
  for (auto& kv : extra) body[kv.key()] = kv.value();
  return body;
}

class ObligationsTest : public SharedOrgTest {
 protected:
  std::string new_contract(const std::string& role = "member") {
    auto c = as(role);
    return str(create_contract(c, contract_input(unique_name("Duties"))), "id");
  }
  bj::object create(HttpClient& c, const std::string& contract, bj::object body) {
    const auto r = c.post_json(obligations_of(contract), body);
    if (r.status != 201) throw std::runtime_error("create obligation failed: " + r.body);
    return body_of(r);
  }
};

TEST_F(ObligationsTest, CreateReadUpdateDelete) {
  auto member = as("member");
  const auto contract = new_contract();
  auto r = member.post_json(
      obligations_of(contract),
      obligation_input("Quarterly fee", day(30),
                       {{"kind", "payment"},
                        {"responsible", "counterparty"},
                        {"assigneeId", org()["member"].id},
                        {"amount", bj::object{{"amount", "1200"}, {"currency", "EUR"}}}}));
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  EXPECT_EQ(str(created, "status"), "open");
  EXPECT_FALSE(created.at("overdue").as_bool());
  EXPECT_EQ(str(created, "kind"), "payment");
  EXPECT_EQ(str(created.at("amount").as_object(), "amount"), "1200.00");
  const auto url = obligations_of(contract) + "/" + str(created, "id");

  EXPECT_STATUS(member.get(url), 200);
  EXPECT_EQ(ids_of(body_of(member.get(obligations_of(contract)))),
            std::vector<std::string>{str(created, "id")});

  // If-Match is required and checked.
  EXPECT_STATUS(member.patch_json(url, bj::object{{"title", "x"}}), 428);
  EXPECT_STATUS(member.patch_json(url, bj::object{{"title", "x"}}, {{"If-Match", "\"7\""}}), 412);
  r = member.patch_json(url, bj::object{{"title", "Fee"}, {"assigneeId", nullptr}},
                        {{"If-Match", "\"1\""}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "title"), "Fee");
  EXPECT_TRUE(body_of(r).at("assigneeId").is_null());
  EXPECT_EQ(body_of(r).at("version").as_int64(), 2);

  // A retried create with the same Idempotency-Key creates nothing new.
  const auto once = obligation_input("Kick-off", day(3));
  const auto key = unique_name("obl-key");
  const auto first = member.post_json(obligations_of(contract), once, {{"Idempotency-Key", key}});
  const auto again = member.post_json(obligations_of(contract), once, {{"Idempotency-Key", key}});
  ASSERT_STATUS(first, 201);
  ASSERT_STATUS(again, 201);
  EXPECT_EQ(str(body_of(again), "id"), str(body_of(first), "id"));
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");

  ASSERT_STATUS(member.del(url), 204);
  EXPECT_PROBLEM(member.get(url), 404, "/problems/not-found");

  // Every change is on the contract's audit trail.
  auto admin = as("admin");
  const auto trail = body_of(admin.get("/api/v1/audit?entityId=" + contract + "&limit=50"));
  std::set<std::string> actions;
  for (const auto& e : items_of(trail)) actions.insert(str(e.as_object(), "action"));
  for (const char* a : {"obligation.created", "obligation.updated", "obligation.deleted"})
    EXPECT_TRUE(actions.count(a)) << a;
}

TEST_F(ObligationsTest, InvalidInputIsReportedFieldByField) {
  auto member = as("member");
  const auto contract = new_contract();
  auto r = member.post_json(obligations_of(contract),
                            bj::object{{"kind", "bribe"},
                                       {"dueDate", "2027-02-30"},
                                       {"recurrence", bj::object{{"frequency", "weekly"}}},
                                       {"status", "done"},
                                       {"colour", "red"}});
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  for (const char* f : {"title", "kind", "dueDate", "recurrence.frequency", "status", "colour"})
    EXPECT_TRUE(has_field_error(r, f)) << f << " " << r.body;

  // The assignee must be an active user of the organization.
  const auto outsider = make_org(shared_server(), {"admin"});
  r = member.post_json(
      obligations_of(contract),
      obligation_input("x", day(3), {{"assigneeId", outsider.users.at("admin").id}}));
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(r, "assigneeId"));
  // A series cannot end before it starts.
  r = member.post_json(
      obligations_of(contract),
      obligation_input("x", day(3),
                       {{"recurrence", bj::object{{"frequency", "monthly"}, {"until", day(1)}}}}));
  EXPECT_TRUE(has_field_error(r, "recurrence.until")) << r.body;
}

TEST_F(ObligationsTest, ViewersReadOnlyAndOtherOrganizationsSeeNothing) {
  auto member = as("member");
  const auto contract = new_contract();
  const auto o = create(member, contract, obligation_input("Deliver", day(10)));
  const auto url = obligations_of(contract) + "/" + str(o, "id");
  auto viewer = as("viewer");
  EXPECT_STATUS(viewer.get(url), 200);
  EXPECT_STATUS(viewer.post_json(obligations_of(contract), obligation_input("x", day(1))), 403);
  EXPECT_STATUS(viewer.post(url + "/complete", ""), 403);
  // Another member does not edit a contract they do not own.
  auto& other = add_user(shared_server(), org(), "member2", "member");
  auto member2 = client_for(shared_server(), other.access_token);
  EXPECT_STATUS(member2.patch_json(url, bj::object{{"title", "y"}}, {{"If-Match", "\"1\""}}), 403);

  const auto outsider = make_org(shared_server(), {"admin"});
  auto stranger = client_for(shared_server(), outsider.users.at("admin").access_token);
  EXPECT_PROBLEM(stranger.get(url), 404, "/problems/not-found");
  EXPECT_PROBLEM(stranger.get(obligations_of(contract)), 404, "/problems/not-found");
  EXPECT_PROBLEM(stranger.post(url + "/complete", ""), 404, "/problems/not-found");
  EXPECT_TRUE(items_of(body_of(stranger.get("/api/v1/obligations"))).empty());
}

TEST_F(ObligationsTest, CompletingARecurringObligationSchedulesTheNextOccurrence) {
  auto member = as("member");
  const auto contract = new_contract();
  const auto due = add_days(date_of(now_unix_ms()), 5);
  const auto o = create(
      member, contract,
      obligation_input("Monthly report", format_date(due),
                       {{"kind", "reporting"},
                        {"recurrence", bj::object{{"frequency", "monthly"}, {"until", day(40)}}}}));
  const auto url = obligations_of(contract) + "/" + str(o, "id");
  auto r = member.post(url + "/complete", "");
  ASSERT_STATUS(r, 200);
  const auto done = body_of(r);
  EXPECT_EQ(str(done, "status"), "done");
  EXPECT_EQ(str(done, "completedBy"), org()["member"].id);
  ASSERT_TRUE(done.at("next").is_object());
  const auto& next = done.at("next").as_object();
  EXPECT_EQ(str(next, "dueDate"), format_date(add_months(due, 1)));
  EXPECT_EQ(str(next, "status"), "open");
  EXPECT_EQ(str(next, "previousId"), str(o, "id"));
  EXPECT_EQ(str(next, "kind"), "reporting");
  // Completing twice is a conflict.
  EXPECT_PROBLEM(member.post(url + "/complete", ""), 409, "/problems/conflict");

  // The next one is past `until` only if its next date is: here 5 + ~30 days < 40, then the
  // series ends.
  r = member.post(obligations_of(contract) + "/" + str(next, "id") + "/complete", "");
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(body_of(r).at("next").is_null()) << r.body;

  // Waiving does not schedule anything.
  const auto w = create(
      member, contract,
      obligation_input("Audit", day(3), {{"recurrence", bj::object{{"frequency", "yearly"}}}}));
  r = member.post(obligations_of(contract) + "/" + str(w, "id") + "/waive", "");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "waived");
  EXPECT_TRUE(body_of(r).at("next").is_null());
}

TEST_F(ObligationsTest, AcrossContractsFiltersByAssigneeStatusAndDueDate) {
  auto manager = as("manager");
  auto& me = add_user(shared_server(), org(), "assignee", "member");
  auto mine_client = client_for(shared_server(), me.access_token);
  const auto c1 = new_contract("manager");
  const auto c2 = new_contract("manager");
  const auto late = create(manager, c1, obligation_input("Late", day(-3), {{"assigneeId", me.id}}));
  const auto soon = create(manager, c2, obligation_input("Soon", day(2), {{"assigneeId", me.id}}));
  const auto later =
      create(manager, c1, obligation_input("Later", day(60), {{"assigneeId", me.id}}));
  const auto closed =
      create(manager, c2, obligation_input("Closed", day(1), {{"assigneeId", me.id}}));
  create(manager, c2, obligation_input("Not mine", day(1)));
  ASSERT_STATUS(manager.post(obligations_of(c2) + "/" + str(closed, "id") + "/complete", ""), 200);

  const auto ids = [&](const std::string& query) {
    const auto r = mine_client.get("/api/v1/obligations?" + query);
    if (r.status != 200) throw std::runtime_error(r.body);
    return ids_of(body_of(r));
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids("assignee=me&status=open"),
            (V{str(late, "id"), str(soon, "id"), str(later, "id")}));  // earliest due first
  EXPECT_EQ(ids("assignee=me&status=overdue"), V{str(late, "id")});
  EXPECT_EQ(ids("assignee=me&status=done"), V{str(closed, "id")});
  EXPECT_EQ(ids("assignee=me&status=open&dueBefore=" + day(30)),
            (V{str(late, "id"), str(soon, "id")}));
  const auto overdue = body_of(mine_client.get("/api/v1/obligations?assignee=me&status=overdue"));
  EXPECT_TRUE(items_of(overdue).at(0).as_object().at("overdue").as_bool());

  // Keyset pagination by due date.
  auto page = body_of(mine_client.get("/api/v1/obligations?assignee=me&status=open&limit=2"));
  EXPECT_EQ(ids_of(page), (V{str(late, "id"), str(soon, "id")}));
  ASSERT_TRUE(page.at("nextCursor").is_string());
  page = body_of(mine_client.get("/api/v1/obligations?assignee=me&status=open&limit=2&cursor=" +
                                 std::string(page.at("nextCursor").as_string())));
  EXPECT_EQ(ids_of(page), V{str(later, "id")});
  EXPECT_TRUE(page.at("nextCursor").is_null());

  EXPECT_PROBLEM(mine_client.get("/api/v1/obligations?status=late"), 400, "/problems/validation");
  EXPECT_PROBLEM(mine_client.get("/api/v1/obligations?dueBefore=soon"), 400,
                 "/problems/validation");
  EXPECT_PROBLEM(mine_client.get("/api/v1/obligations?colour=red"), 400, "/problems/validation");
}

TEST_F(ObligationsTest, DeletingADraftContractRemovesItsObligations) {
  auto member = as("member");
  const auto contract = new_contract();
  const auto o = create(member, contract, obligation_input("Sign", day(2)));
  ASSERT_STATUS(member.del("/api/v1/contracts/" + contract), 204);
  EXPECT_PROBLEM(member.get(obligations_of(contract) + "/" + str(o, "id")), 404,
                 "/problems/not-found");
  for (const auto& id : ids_of(body_of(member.get("/api/v1/obligations?limit=200"))))
    EXPECT_NE(id, str(o, "id"));
}

// The daily job, run several times (two of them at once), sends each reminder once: to the
// assignee, or to the contract's owner when nobody is assigned.
TEST(ObligationReminders, DailyJobRemindsOnceAtEachOffsetAndWhenOverdue) {
  auto server = start_server("obl-jobs", {{"WORKER_CONCURRENCY", "4"}});
  auto org = make_org(*server, {"manager", "member"});
  auto manager = client_for(*server, org["manager"].access_token);
  auto member = client_for(*server, org["member"].access_token);
  const auto contract = str(create_contract(manager, contract_input("Supply")), "id");
  const auto add = [&](const std::string& title, std::int64_t days, bool assigned) {
    bj::object body = obligation_input(title, day(days));
    if (assigned) body["assigneeId"] = org["member"].id;
    const auto r = manager.post_json(obligations_of(contract), body);
    if (r.status != 201) throw std::runtime_error(r.body);
  };
  add("In a week", 7, true);     // the 7-day reminder today
  add("Tomorrow", 1, true);      // the 1-day reminder
  add("Overdue", -2, true);      // the overdue notice (no reminders owed before it existed)
  add("In 10 days", 10, true);   // nothing today (the 14-day one fell before it existed)
  add("Unassigned", 14, false);  // the 14-day reminder, to the owner (manager)

  const auto run_daily = [&](int copies) {
    run_job_and_wait(*server, "obligations.daily", copies);
  };
  const auto due_notices = [&](HttpClient& c) {
    std::vector<bj::object> out;
    for (const auto& n : items_of(body_of(c.get("/api/v1/notifications?limit=200"))))
      if (str(n.as_object(), "kind") == "obligation_due") out.push_back(n.as_object());
    return out;
  };

  run_daily(2);
  auto mine = due_notices(member);
  EXPECT_EQ(mine.size(), 3u);
  std::set<std::int64_t> offsets;
  for (const auto& n : mine) offsets.insert(n.at("data").as_object().at("daysBefore").as_int64());
  EXPECT_EQ(offsets, (std::set<std::int64_t>{7, 1, 0}));
  auto owners = due_notices(manager);
  ASSERT_EQ(owners.size(), 1u);
  EXPECT_EQ(owners[0].at("data").as_object().at("daysBefore").as_int64(), 14);
  EXPECT_EQ(str(owners[0], "entityId"), contract);

  run_daily(1);
  EXPECT_EQ(due_notices(member).size(), 3u);
  EXPECT_EQ(due_notices(manager).size(), 1u);
}

}  // namespace
}  // namespace cm::test::api
