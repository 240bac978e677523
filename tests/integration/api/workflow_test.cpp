// SPDX-License-Identifier: AGPL-3.0-or-later
// The contract workflow over HTTP, on both databases: transitions and history, approvals under
// the organization's policy (or the default one: any manager), decisions, delegation, and what a
// material edit or a policy change does to an approval under way.

#include <algorithm>
#include <thread>

#include "api_fixture.hpp"

namespace cm::test::api {
namespace {

std::vector<std::string> strings_of(const bj::value& v) {
  std::vector<std::string> out;
  for (const auto& item : v.as_array()) out.emplace_back(item.as_string());
  return out;
}

class WorkflowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    org_ = new Org(make_org(shared_server()));
    add_user(shared_server(), *org_, "manager2", "manager");
  }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }
  static Org& org() { return *org_; }
  static HttpClient as(const std::string& key) {
    return client_for(shared_server(), org()[key].access_token);
  }
  static std::string new_contract(const std::string& key = "member", bj::object extra = {}) {
    auto c = as(key);
    return str(create_contract(c, contract_input(unique_name("Deal"), std::move(extra))), "id");
  }
  static std::string path(const std::string& contract, const std::string& rest = "") {
    return "/api/v1/contracts/" + contract + rest;
  }
  static HttpResponse move(HttpClient& c, const std::string& contract, const std::string& to,
                           const std::string& comment = "") {
    bj::object body{{"to", to}};
    if (!comment.empty()) body["comment"] = comment;
    return c.post_json(path(contract, "/transitions"), body);
  }
  static HttpResponse decide(HttpClient& c, const std::string& contract,
                             const std::string& decision, const std::string& comment = "",
                             bj::object extra = {}) {
    bj::object body{{"decision", decision}};
    if (!comment.empty()) body["comment"] = comment;
    for (auto& kv : extra) body[kv.key()] = kv.value();
    return c.post_json(path(contract, "/approval/decisions"), body);
  }
  static std::string status_of(const std::string& contract) {
    auto c = as("admin");
    return str(body_of(c.get(path(contract))), "status");
  }
  static bj::array history_of(const std::string& contract) {
    auto c = as("member");
    return items_of(body_of(c.get(path(contract, "/history"))));
  }
  static std::int64_t unread(HttpClient& c) {
    return body_of(c.get("/api/v1/notifications/unread-count")).at("count").as_int64();
  }
  static Org* org_;
};
Org* WorkflowTest::org_ = nullptr;

TEST_F(WorkflowTest, IllegalTransitionIsConflictListingTheAllowedNextStates) {
  auto member = as("member");
  const auto contract = new_contract();
  auto r = move(member, contract, "active");
  EXPECT_PROBLEM(r, 409, "/problems/conflict");
  const auto problem = body_of(r);
  EXPECT_EQ(str(problem, "currentStatus"), "draft");
  EXPECT_EQ(strings_of(problem.at("allowedNextStates")),
            (std::vector<std::string>{"in_review", "cancelled"}));
  // approved is reached only through the approval.
  EXPECT_PROBLEM(move(member, contract, "approved"), 409, "/problems/conflict");
  EXPECT_PROBLEM(move(member, contract, "bogus"), 400, "/problems/validation");
  auto viewer = as("viewer");
  EXPECT_PROBLEM(move(viewer, contract, "cancelled"), 403, "/problems/forbidden");
  EXPECT_EQ(status_of(contract), "draft");
  EXPECT_TRUE(history_of(contract).empty());

  // Cancelling is legal; afterwards nothing is.
  r = move(member, contract, "cancelled", "deal called off");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "cancelled");
  r = move(member, contract, "draft");
  EXPECT_PROBLEM(r, 409, "/problems/conflict");
  EXPECT_TRUE(body_of(r).at("allowedNextStates").as_array().empty());

  // Closed contracts can be archived (a flag); open ones cannot.
  EXPECT_PROBLEM(member.post(path(new_contract(), "/archive"), ""), 409, "/problems/conflict");
  r = member.post(path(contract, "/archive"), "");
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(body_of(r).at("archived").as_bool());
  EXPECT_EQ(str(body_of(r), "status"), "cancelled");
  ASSERT_STATUS(member.post(path(contract, "/archive"), ""), 200);
  const auto history = history_of(contract);
  ASSERT_EQ(history.size(), 1u);
  const auto& entry = history[0].as_object();
  EXPECT_EQ(str(entry, "from"), "draft");
  EXPECT_EQ(str(entry, "to"), "cancelled");
  EXPECT_EQ(str(entry, "actorId"), org()["member"].id);
  EXPECT_EQ(str(entry, "comment"), "deal called off");
  EXPECT_FALSE(str(entry, "at").empty());
}

TEST_F(WorkflowTest, ContractShowsLifecycleFieldsAndDerivedDates) {
  auto member = as("member");
  const auto c = create_contract(
      member, contract_input(unique_name("Dates"), bj::object{{"effectiveDate", "2020-01-01"},
                                                              {"expirationDate", "2099-12-31"},
                                                              {"noticePeriodDays", 30}}));
  EXPECT_EQ(str(c, "noticeDeadline"), "2099-12-01");
  EXPECT_GT(c.at("daysToExpiry").as_int64(), 0);
  EXPECT_EQ(c.at("renewalCount").as_int64(), 0);
  EXPECT_FALSE(c.at("archived").as_bool());
  EXPECT_TRUE(c.at("activatedAt").is_null());
  EXPECT_TRUE(c.at("terminatedAt").is_null());
  EXPECT_TRUE(c.at("signedAt").is_null());
  const auto plain = create_contract(member, contract_input(unique_name("Open-ended")));
  EXPECT_TRUE(plain.at("noticeDeadline").is_null());
  EXPECT_TRUE(plain.at("daysToExpiry").is_null());
}

TEST_F(WorkflowTest, SubmitThenAnyManagerApprovesAndTheOwnerHearsOfIt) {
  auto member = as("member");
  auto manager = as("manager");
  auto manager2 = as("manager2");
  const auto contract = new_contract();
  const auto manager_before = unread(manager);
  const auto member_before = unread(member);

  auto r = move(member, contract, "in_review", "please review");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "in_review");
  EXPECT_EQ(unread(manager), manager_before + 1);  // approval_requested
  const auto requested = items_of(body_of(manager.get("/api/v1/notifications?limit=1")));
  EXPECT_EQ(str(requested.at(0).as_object(), "kind"), "approval_requested");

  // The default policy: one stage, any manager; the owner (a member) is not an approver.
  auto approval = body_of(member.get(path(contract, "/approval")));
  EXPECT_EQ(str(approval, "status"), "pending");
  ASSERT_EQ(approval.at("stages").as_array().size(), 1u);
  const auto& stage = approval.at("stages").as_array()[0].as_object();
  EXPECT_EQ(str(stage, "mode"), "any");
  auto awaiting = strings_of(stage.at("awaiting"));
  std::sort(awaiting.begin(), awaiting.end());
  std::vector<std::string> managers{org()["manager"].id, org()["manager2"].id};
  std::sort(managers.begin(), managers.end());
  EXPECT_EQ(awaiting, managers);
  // Approvers follow the contract from now on.
  std::vector<std::string> followers;
  for (const auto& w : items_of(body_of(member.get(path(contract, "/watchers")))))
    if (str(w.as_object(), "reason") == "following")
      followers.push_back(str(w.as_object(), "userId"));
  std::sort(followers.begin(), followers.end());
  EXPECT_EQ(followers, managers);

  // A member who is not an approver cannot decide.
  auto admin = as("admin");
  EXPECT_PROBLEM(decide(admin, contract, "approve"), 403, "/problems/forbidden");

  r = decide(manager2, contract, "approve", "fine by me");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "approved");
  EXPECT_EQ(status_of(contract), "approved");
  EXPECT_EQ(unread(member), member_before + 1);  // approval_decided
  // Decided approvals take no more decisions.
  EXPECT_PROBLEM(decide(manager, contract, "approve"), 409, "/problems/conflict");

  const auto history = history_of(contract);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(str(history[0].as_object(), "to"), "in_review");
  EXPECT_EQ(str(history[0].as_object(), "actorId"), org()["member"].id);
  EXPECT_EQ(str(history[1].as_object(), "from"), "in_review");
  EXPECT_EQ(str(history[1].as_object(), "to"), "approved");
  EXPECT_TRUE(history[1].as_object().at("system").as_bool());
  EXPECT_TRUE(history[1].as_object().at("actorId").is_null());

  // The decision is recorded on the approval and in the audit trail.
  approval = body_of(member.get(path(contract, "/approval")));
  ASSERT_EQ(approval.at("decisions").as_array().size(), 1u);
  EXPECT_EQ(str(approval.at("decisions").as_array()[0].as_object(), "approverId"),
            org()["manager2"].id);
  const auto audit =
      body_of(admin.get("/api/v1/audit?entityId=" + contract + "&action=contract.approved"));
  EXPECT_EQ(items_of(audit).size(), 1u);
}

TEST_F(WorkflowTest, RejectionReturnsTheContractToDraft) {
  auto member = as("member");
  auto manager = as("manager");
  const auto contract = new_contract();
  ASSERT_STATUS(move(member, contract, "in_review"), 200);
  EXPECT_PROBLEM(decide(manager, contract, "reject"), 400, "/problems/validation");  // no reason
  auto r = decide(manager, contract, "reject", "missing liability cap");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "rejected");
  EXPECT_EQ(status_of(contract), "draft");
  const auto history = history_of(contract);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(str(history[1].as_object(), "to"), "draft");
  EXPECT_NE(str(history[1].as_object(), "comment").find("missing liability cap"),
            std::string::npos);
  // Resubmitting starts a fresh approval.
  ASSERT_STATUS(move(member, contract, "in_review"), 200);
  EXPECT_EQ(str(body_of(member.get(path(contract, "/approval"))), "status"), "pending");
  // Cancelling under review voids the approval with the reason given.
  ASSERT_STATUS(move(member, contract, "cancelled", "no longer needed"), 200);
  const auto voided = body_of(member.get(path(contract, "/approval")));
  EXPECT_EQ(str(voided, "status"), "void");
  EXPECT_EQ(str(voided, "voidReason"), "no longer needed");
}

TEST_F(WorkflowTest, NobodyApprovesTheirOwnContract) {
  auto manager = as("manager");
  auto manager2 = as("manager2");
  const auto contract = new_contract("manager");
  ASSERT_STATUS(move(manager, contract, "in_review"), 200);
  const auto approval = body_of(manager.get(path(contract, "/approval")));
  EXPECT_EQ(strings_of(approval.at("stages").as_array()[0].as_object().at("approverIds")),
            std::vector<std::string>{org()["manager2"].id});
  EXPECT_PROBLEM(decide(manager, contract, "approve"), 403, "/problems/forbidden");
  EXPECT_EQ(status_of(contract), "in_review");
  ASSERT_STATUS(decide(manager2, contract, "approve"), 200);
  EXPECT_EQ(status_of(contract), "approved");
}

TEST_F(WorkflowTest, MaterialEditDuringReviewVoidsTheApprovalAndReturnsToDraft) {
  auto member = as("member");
  const auto contract = new_contract(
      "member", bj::object{{"value", bj::object{{"amount", "1000.00"}, {"currency", "EUR"}}}});
  auto r = move(member, contract, "in_review");
  ASSERT_STATUS(r, 200);
  auto version = body_of(r).at("version").as_int64();

  // A title change is not material: still under review.
  r = member.patch_json(path(contract), bj::object{{"title", unique_name("Renamed")}},
                        {{"If-Match", "\"" + std::to_string(version) + "\""}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "in_review");
  version = body_of(r).at("version").as_int64();

  r = member.patch_json(
      path(contract), bj::object{{"value", bj::object{{"amount", "2500.00"}, {"currency", "EUR"}}}},
      {{"If-Match", "\"" + std::to_string(version) + "\""}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "draft");
  EXPECT_EQ(r.header("ETag"), "\"" + std::to_string(body_of(r).at("version").as_int64()) + "\"");
  const auto approval = body_of(member.get(path(contract, "/approval")));
  EXPECT_EQ(str(approval, "status"), "void");
  EXPECT_NE(str(approval, "voidReason").find("value"), std::string::npos);
  const auto history = history_of(contract);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(str(history[1].as_object(), "from"), "in_review");
  EXPECT_EQ(str(history[1].as_object(), "to"), "draft");
  EXPECT_NE(str(history[1].as_object(), "comment").find("material edit"), std::string::npos);
  // The voided approval takes no decisions.
  auto manager = as("manager");
  EXPECT_PROBLEM(decide(manager, contract, "approve"), 409, "/problems/conflict");
}

TEST_F(WorkflowTest, ActiveContractsRefuseMaterialEdits) {
  auto member = as("member");
  const auto contract = new_contract(
      "member", bj::object{{"value", bj::object{{"amount", "10.00"}, {"currency", "EUR"}}}});
  // Activation needs signatures (a later issue); put the contract there directly.
  const auto sql = run_sql(shared_server(),
                           "UPDATE contracts SET status = 'active' WHERE id = '" + contract + "';");
  ASSERT_EQ(sql.exit_code, 0) << sql.output;
  auto r = member.patch_json(
      path(contract), bj::object{{"value", bj::object{{"amount", "20.00"}, {"currency", "EUR"}}}},
      {{"If-Match", "\"1\""}});
  EXPECT_PROBLEM(r, 409, "/problems/conflict");
  r = member.patch_json(path(contract), bj::object{{"title", unique_name("Still fine")}},
                        {{"If-Match", "\"1\""}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "active");
  // Termination needs a reason and records it.
  EXPECT_PROBLEM(move(member, contract, "terminated"), 400, "/problems/validation");
  r = move(member, contract, "terminated", "breach of contract");
  ASSERT_STATUS(r, 200);
  const auto terminated = body_of(r);
  EXPECT_EQ(str(terminated, "terminationReason"), "breach of contract");
  EXPECT_FALSE(terminated.at("terminatedAt").is_null());
}

TEST_F(WorkflowTest, MyApprovalsIncludeDelegatedOnes) {
  auto member = as("member");
  auto manager = as("manager");
  auto admin = as("admin");
  const auto contract = new_contract();
  ASSERT_STATUS(move(member, contract, "in_review"), 200);

  const auto ids_in = [&](HttpClient& c) {
    std::vector<std::string> ids;
    for (const auto& a : items_of(body_of(c.get("/api/v1/approvals?assignee=me"))))
      ids.push_back(str(a.as_object(), "contractId"));
    return ids;
  };
  const auto has = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  EXPECT_TRUE(has(ids_in(manager), contract));
  EXPECT_FALSE(has(ids_in(member), contract));
  EXPECT_FALSE(has(ids_in(admin), contract));
  EXPECT_PROBLEM(manager.get("/api/v1/approvals"), 400, "/problems/validation");

  // The manager delegates to the admin: the admin now sees it and decides on their behalf.
  EXPECT_PROBLEM(manager.put_json(
                     "/api/v1/me/delegations",
                     bj::object{{"items", bj::array{bj::object{{"delegateId", org()["manager"].id},
                                                               {"from", "2000-01-01"},
                                                               {"to", "2999-12-31"}}}}}),
                 400, "/problems/validation");  // not to oneself
  auto r =
      manager.put_json("/api/v1/me/delegations",
                       bj::object{{"items", bj::array{bj::object{{"delegateId", org()["admin"].id},
                                                                 {"from", "2000-01-01"},
                                                                 {"to", "2999-12-31"}}}}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(items_of(body_of(manager.get("/api/v1/me/delegations"))).size(), 1u);
  EXPECT_TRUE(has(ids_in(admin), contract));

  r = decide(admin, contract, "approve", "on behalf of the manager",
             bj::object{{"onBehalfOf", org()["manager"].id}});
  ASSERT_STATUS(r, 200);
  const auto decided = body_of(r);
  const auto& decision = decided.at("decisions").as_array().at(0).as_object();
  EXPECT_EQ(str(decision, "approverId"), org()["manager"].id);
  EXPECT_EQ(str(decision, "actorId"), org()["admin"].id);
  EXPECT_EQ(status_of(contract), "approved");
  EXPECT_FALSE(has(ids_in(manager), contract));

  // Clearing the delegation.
  ASSERT_STATUS(manager.put_json("/api/v1/me/delegations", bj::object{{"items", bj::array{}}}),
                200);
  EXPECT_TRUE(items_of(body_of(manager.get("/api/v1/me/delegations"))).empty());
}

// Policies change the organization, so these tests have one of their own.
class WorkflowPolicyTest : public WorkflowTest {
 protected:
  static void SetUpTestSuite() {
    org_ = new Org(make_org(shared_server()));
    add_user(shared_server(), *org_, "manager2", "manager");
  }
};

TEST_F(WorkflowPolicyTest, AllModeNeedsEveryApproverAndAPolicyChangeSparesRunningApprovals) {
  auto admin = as("admin");
  auto member = as("member");
  auto manager = as("manager");
  auto manager2 = as("manager2");

  auto r = admin.get("/api/v1/approval-policies");
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(body_of(r).at("isDefault").as_bool());

  const auto stage = [](const std::string& name, bj::object approvers, const std::string& mode) {
    return bj::object{
        {"name", name}, {"approvers", std::move(approvers)}, {"mode", mode}, {"slaDays", 2}};
  };
  const bj::object both_managers{
      {"name", "Both managers"},
      {"rules", bj::array{}},
      {"default",
       bj::object{
           {"name", "Everything"},
           {"stages",
            bj::array{stage("Managers", bj::object{{"roles", bj::array{"manager"}}}, "all")}}}}};
  EXPECT_PROBLEM(member.put_json("/api/v1/approval-policies", both_managers), 403,
                 "/problems/forbidden");
  bj::object invalid = both_managers;
  invalid["default"].as_object()["stages"].as_array()[0].as_object()["mode"] = "most";
  r = admin.put_json("/api/v1/approval-policies", invalid);
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(r, "default.stages[0].mode")) << r.body;

  r = admin.put_json("/api/v1/approval-policies", both_managers);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(body_of(r).at("version").as_int64(), 1);
  EXPECT_FALSE(body_of(r).at("isDefault").as_bool());

  const auto first = new_contract();
  ASSERT_STATUS(move(member, first, "in_review"), 200);
  r = decide(manager, first, "approve");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "pending");  // all: the other manager still waits
  EXPECT_EQ(status_of(first), "in_review");
  EXPECT_PROBLEM(decide(manager, first, "approve"), 409, "/problems/conflict");  // decided once

  // The policy changes: from now on the admin alone approves.
  const bj::object admin_only{
      {"name", "Admin only"},
      {"rules", bj::array{}},
      {"default",
       bj::object{{"name", "Everything"},
                  {"stages",
                   bj::array{stage("Admin", bj::object{{"roles", bj::array{"admin"}}}, "any")}}}}};
  r = admin.put_json("/api/v1/approval-policies", admin_only);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(body_of(r).at("version").as_int64(), 2);

  // The running approval keeps its snapshot: the admin is no approver of it.
  EXPECT_PROBLEM(decide(admin, first, "approve"), 403, "/problems/forbidden");
  const auto running = body_of(member.get(path(first, "/approval")));
  EXPECT_EQ(str(running, "policyName"), "Both managers");
  ASSERT_STATUS(decide(manager2, first, "approve"), 200);
  EXPECT_EQ(status_of(first), "approved");

  // A new submission follows the new policy.
  const auto second = new_contract();
  ASSERT_STATUS(move(member, second, "in_review"), 200);
  const auto fresh = body_of(member.get(path(second, "/approval")));
  EXPECT_EQ(str(fresh, "policyName"), "Admin only");
  EXPECT_EQ(strings_of(fresh.at("stages").as_array()[0].as_object().at("approverIds")),
            std::vector<std::string>{org()["admin"].id});
  ASSERT_STATUS(decide(admin, second, "approve"), 200);
  EXPECT_EQ(status_of(second), "approved");
}

TEST_F(WorkflowPolicyTest, RulesMatchOnValueAndARuleWithoutStagesApprovesAtOnce) {
  auto admin = as("admin");
  auto member = as("member");
  const bj::object policy{
      {"name", "Small deals pass"},
      {"rules",
       bj::array{bj::object{
           {"name", "Small EUR deals"},
           {"when",
            bj::object{{"values", bj::array{bj::object{{"currency", "EUR"}, {"max", "100.00"}}}}}},
           {"stages", bj::array{}}}}},
      {"default",
       bj::object{
           {"name", "Everything else"},
           {"stages", bj::array{bj::object{{"name", "Admin"},
                                           {"approvers", bj::object{{"roles", bj::array{"admin"}}}},
                                           {"mode", "any"},
                                           {"slaDays", 1}}}}}}};
  ASSERT_STATUS(admin.put_json("/api/v1/approval-policies", policy), 200);
  const auto small = new_contract(
      "member", bj::object{{"value", bj::object{{"amount", "50.00"}, {"currency", "EUR"}}}});
  auto r = move(member, small, "in_review");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "approved");
  EXPECT_EQ(history_of(small).size(), 2u);
  const auto large = new_contract(
      "member", bj::object{{"value", bj::object{{"amount", "5000.00"}, {"currency", "EUR"}}}});
  r = move(member, large, "in_review");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "in_review");
  EXPECT_EQ(str(body_of(member.get(path(large, "/approval"))), "ruleName"), "Everything else");
}

TEST_F(WorkflowPolicyTest, StagesRunInOrderAndTheNextStageIsNotified) {
  auto admin = as("admin");
  auto member = as("member");
  auto manager = as("manager");
  const auto stage = [](const std::string& name, const std::string& role) {
    return bj::object{{"name", name},
                      {"approvers", bj::object{{"roles", bj::array{bj::string(role)}}}},
                      {"mode", "any"},
                      {"slaDays", 3}};
  };
  const bj::object two_stages{
      {"name", "Two stages"},
      {"rules", bj::array{}},
      {"default",
       bj::object{{"name", "Everything"},
                  {"stages", bj::array{stage("Managers", "manager"), stage("Admins", "admin")}}}}};
  ASSERT_STATUS(admin.put_json("/api/v1/approval-policies", two_stages), 200);
  const auto contract = new_contract();
  ASSERT_STATUS(move(member, contract, "in_review"), 200);
  const auto mine = [&](HttpClient& c) {
    for (const auto& a : items_of(body_of(c.get("/api/v1/approvals?assignee=me"))))
      if (str(a.as_object(), "contractId") == contract) return true;
    return false;
  };
  EXPECT_TRUE(mine(manager));
  EXPECT_FALSE(mine(admin));  // the second stage has not started
  EXPECT_PROBLEM(decide(admin, contract, "approve"), 409, "/problems/conflict");

  const auto admin_before = unread(admin);
  auto r = decide(manager, contract, "approve");
  ASSERT_STATUS(r, 200);
  const auto advanced = body_of(r);
  EXPECT_EQ(str(advanced, "status"), "pending");
  EXPECT_EQ(advanced.at("currentStage").as_int64(), 1);
  EXPECT_EQ(status_of(contract), "in_review");
  EXPECT_EQ(unread(admin), admin_before + 1);  // approval_requested for stage 2
  EXPECT_FALSE(mine(manager));
  EXPECT_TRUE(mine(admin));
  ASSERT_STATUS(decide(admin, contract, "approve"), 200);
  EXPECT_EQ(status_of(contract), "approved");
}

TEST_F(WorkflowPolicyTest, ConcurrentDecisionsAreBothKept) {
  auto admin = as("admin");
  auto member = as("member");
  const bj::object both{
      {"name", "Both managers"},
      {"rules", bj::array{}},
      {"default",
       bj::object{{"name", "Everything"},
                  {"stages",
                   bj::array{bj::object{{"name", "Managers"},
                                        {"approvers", bj::object{{"roles", bj::array{"manager"}}}},
                                        {"mode", "all"},
                                        {"slaDays", 2}}}}}}};
  ASSERT_STATUS(admin.put_json("/api/v1/approval-policies", both), 200);
  for (int round = 0; round < 3; ++round) {
    const auto contract = new_contract();
    ASSERT_STATUS(move(member, contract, "in_review"), 200);
    HttpResponse first;
    HttpResponse second;
    std::thread a([&] {
      auto c = as("manager");
      first = decide(c, contract, "approve");
    });
    std::thread b([&] {
      auto c = as("manager2");
      second = decide(c, contract, "approve");
    });
    a.join();
    b.join();
    EXPECT_STATUS(first, 200);
    EXPECT_STATUS(second, 200);
    const auto approval = body_of(member.get(path(contract, "/approval")));
    EXPECT_EQ(approval.at("decisions").as_array().size(), 2u) << approval;
    EXPECT_EQ(str(approval, "status"), "approved");
    EXPECT_EQ(status_of(contract), "approved");
  }
}

}  // namespace
}  // namespace cm::test::api

namespace cm::test::api {
namespace {

// allowedActions lists what the API accepts from this caller now, and nothing it refuses: the
// web UI shows exactly these buttons.
class AllowedActionsTest : public WorkflowTest {
 protected:
  static std::vector<std::string> allowed(const std::string& key, const std::string& contract) {
    auto c = as(key);
    return strings_of(body_of(c.get(path(contract))).at("allowedActions"));
  }
  static bool has(const std::vector<std::string>& actions, const std::string& action) {
    return std::find(actions.begin(), actions.end(), action) != actions.end();
  }
  static HttpResponse retitle(const std::string& key, const std::string& contract) {
    auto c = as(key);
    const auto current = c.get(path(contract));
    return c.patch_json(path(contract), bj::object{{"title", unique_name("Retitled")}},
                        {{"If-Match", current.header("ETag")}});
  }
};

TEST_F(AllowedActionsTest, TheOwnerMaySubmitADraftAndTheListFollowsTheNewState) {
  const auto contract = new_contract("member");
  const auto before = allowed("member", contract);
  EXPECT_EQ(before, (std::vector<std::string>{"update", "delete", "submit", "cancel",
                                              "uploadDocument", "addObligation", "comment"}));
  EXPECT_EQ(retitle("member", contract).status, 200);
  auto member = as("member");
  ASSERT_EQ(move(member, contract, "in_review").status, 200);
  const auto after = allowed("member", contract);
  EXPECT_FALSE(has(after, "submit"));
  EXPECT_FALSE(has(after, "delete"));
  EXPECT_TRUE(has(after, "returnToDraft"));
  EXPECT_PROBLEM(move(member, contract, "in_review"), 409, "/problems/conflict");
  EXPECT_PROBLEM(member.del(path(contract)), 409, "/problems/conflict");
}

TEST_F(AllowedActionsTest, WhatIsNotListedIsRefused) {
  const auto contract = new_contract("member");
  add_user(shared_server(), org(), "member2", "member");
  EXPECT_EQ(allowed("member2", contract), (std::vector<std::string>{"comment"}));
  EXPECT_PROBLEM(retitle("member2", contract), 403, "/problems/forbidden");
  auto other = as("member2");
  EXPECT_PROBLEM(move(other, contract, "in_review"), 403, "/problems/forbidden");

  EXPECT_TRUE(allowed("viewer", contract).empty());
  EXPECT_PROBLEM(retitle("viewer", contract), 403, "/problems/forbidden");
  auto viewer = as("viewer");
  EXPECT_PROBLEM(viewer.post_json(path(contract, "/comments"), bj::object{{"body", "hello"}}), 403,
                 "/problems/forbidden");
}

TEST_F(AllowedActionsTest, EveryContractOfAListCarriesTheCallersActions) {
  new_contract("member");
  auto viewer = as("viewer");
  const auto page = items_of(body_of(viewer.get("/api/v1/contracts?limit=5")));
  ASSERT_FALSE(page.empty());
  for (const auto& c : page) EXPECT_TRUE(c.at("allowedActions").as_array().empty());
}

}  // namespace
}  // namespace cm::test::api
