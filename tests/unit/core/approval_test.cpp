// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/approval.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

namespace cm {
namespace {

namespace bj = boost::json;

// People of the organization.
const std::string kOwner = "00000000-0000-7000-8000-00000000000a";  // member, owns the contract
const std::string kAnn = "00000000-0000-7000-8000-00000000000b";    // manager
const std::string kBob = "00000000-0000-7000-8000-00000000000c";    // manager
const std::string kCid = "00000000-0000-7000-8000-00000000000d";    // admin
const std::string kDan = "00000000-0000-7000-8000-00000000000e";    // member
const std::string kEve = "00000000-0000-7000-8000-00000000000f";    // manager, inactive
const std::string kVic = "00000000-0000-7000-8000-000000000010";    // viewer

const std::vector<OrgUser> kUsers = {
    {kOwner, Role::member, true}, {kAnn, Role::manager, true}, {kBob, Role::manager, true},
    {kCid, Role::admin, true},    {kDan, Role::member, true},  {kEve, Role::manager, false},
    {kVic, Role::viewer, true},
};

constexpr CivilDate kDay1{2026, 11, 2};
constexpr CivilDate kDay2{2026, 11, 3};
constexpr std::int64_t kT1 = 1'793'000'000'000;
constexpr std::int64_t kT2 = kT1 + 3'600'000;

using Ids = std::vector<std::string>;
using Lines = std::vector<std::string>;

StageTemplate stage(std::string name, ApprovalMode mode, Ids users, std::vector<Role> roles,
                    int sla = 3) {
  return {std::move(name), std::move(users), std::move(roles), mode, sla};
}

// Managers (all of them) then the admin.
ApprovalRule two_stages() {
  return {"two stages",
          {},
          {stage("Managers", ApprovalMode::all, {}, {Role::manager}),
           stage("Admin", ApprovalMode::any, {}, {Role::admin}, 2)}};
}

Approval started(const ApprovalRule& rule, const std::string& owner = kOwner) {
  auto r = start_approval(rule, {"contract-1", owner, "policy", kT1, kDay1}, kUsers);
  if (!r.ok()) {
    ADD_FAILURE() << r.error().detail();
    return {};
  }
  return std::move(r).value();
}

DecisionRequest approve() {
  return {Decision::approve, "", std::nullopt, std::nullopt};
}
DecisionRequest reject(std::string comment = "Fix clause 7") {
  return {Decision::reject, std::move(comment), std::nullopt, std::nullopt};
}

Result<DecisionOutcome> act(Approval& a, const std::string& actor, DecisionRequest request,
                            std::vector<Delegation> delegations = {}, CivilDate today = kDay1) {
  return decide(a, request, {actor, kT2, today}, delegations);
}

DecisionEffect effect(Approval& a, const std::string& actor, DecisionRequest request = approve(),
                      std::vector<Delegation> delegations = {}, CivilDate today = kDay1) {
  auto r = act(a, actor, std::move(request), std::move(delegations), today);
  if (!r.ok()) {
    ADD_FAILURE() << "refused: " << r.error().detail();
    return DecisionEffect::recorded;
  }
  return r->effect;
}

// The error kind of a decision that must be refused, and that it left the approval unchanged.
ErrorKind refusal(Approval& a, const std::string& actor, DecisionRequest request = approve(),
                  std::vector<Delegation> delegations = {}, CivilDate today = kDay1) {
  const Approval before = a;
  auto r = act(a, actor, std::move(request), std::move(delegations), today);
  if (r.ok()) {
    ADD_FAILURE() << "accepted a decision by " << actor;
    return ErrorKind::internal;
  }
  EXPECT_EQ(a, before);
  return r.error().kind();
}

TEST(ApprovalStart, ResolvesApproversAndStartsTheFirstStage) {
  const auto a = started(two_stages());
  EXPECT_EQ(a.status, ApprovalStatus::pending);
  EXPECT_EQ(a.rule_name, "two stages");
  EXPECT_EQ(a.current_stage, 0u);
  ASSERT_EQ(a.stages.size(), 2u);
  // Inactive Eve is skipped.
  EXPECT_EQ(a.stages[0].approver_ids, (Ids{kAnn, kBob}));
  EXPECT_EQ(a.stages[0].status, StageStatus::pending);
  EXPECT_EQ(a.stages[0].started_on, kDay1);
  EXPECT_EQ(a.stages[1].approver_ids, (Ids{kCid}));
  EXPECT_EQ(a.stages[1].status, StageStatus::waiting);
  EXPECT_FALSE(a.stages[1].started_on);
  EXPECT_EQ(awaiting(a), (Ids{kAnn, kBob}));
}

TEST(ApprovalStart, UsersAndRolesCombineWithoutDuplicatesOrViewers) {
  const auto a = started(
      {"r",
       {},
       {stage("Mixed", ApprovalMode::any, {kDan, kAnn, kVic, "unknown"}, {Role::manager})}});
  EXPECT_EQ(a.stages[0].approver_ids, (Ids{kAnn, kBob, kDan}));
}

TEST(ApprovalStart, OwnerIsNeverAnApprover) {
  // The owner is a manager here: the managers' stage goes on without them.
  const auto a = started(two_stages(), kAnn);
  EXPECT_EQ(a.stages[0].approver_ids, (Ids{kBob}));
}

TEST(ApprovalStart, StageLeftWithoutApproversIsRefused) {
  const ApprovalRule rule{"owner only",
                          {},
                          {stage("Legal", ApprovalMode::any, {}, {Role::admin}),
                           stage("Owner check", ApprovalMode::all, {kOwner, kEve, kVic}, {})}};
  auto r = start_approval(rule, {"contract-1", kOwner, "policy", kT1, kDay1}, kUsers);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::unprocessable);
  EXPECT_NE(r.error().detail().find("stage 2 (Owner check)"), std::string::npos)
      << r.error().detail();
  // The owner-excluded admin stage is refused the same way when the owner is the only admin.
  auto only_admin =
      start_approval(two_stages(), {"contract-1", kCid, "policy", kT1, kDay1}, kUsers);
  ASSERT_FALSE(only_admin.ok());
  EXPECT_NE(only_admin.error().detail().find("stage 2 (Admin)"), std::string::npos);
}

TEST(ApprovalStart, RuleWithoutStagesApprovesAtOnce) {
  const auto a = started({"no approval", {}, {}});
  EXPECT_EQ(a.status, ApprovalStatus::approved);
  EXPECT_EQ(a.completed_at, kT1);
  EXPECT_TRUE(awaiting(a).empty());
}

TEST(ApprovalStart, SnapshotIgnoresLaterPolicyEdits) {
  ApprovalPolicy policy{"policy", {}, two_stages()};
  ContractFacts facts{"msa", std::nullopt, {}, {}};
  const auto a = started(select_rule(policy, facts));
  const auto before = a;
  // The admin rewrites the policy: one stage, Dan only, `any`.
  policy.default_rule.stages = {stage("Dan", ApprovalMode::any, {kDan}, {})};
  policy.default_rule.name = "edited";
  EXPECT_EQ(a, before);
  auto b = a;
  EXPECT_EQ(refusal(b, kDan), ErrorKind::forbidden);
  EXPECT_EQ(effect(b, kAnn), DecisionEffect::recorded);  // still `all` managers
  EXPECT_EQ(effect(b, kBob), DecisionEffect::stage_advanced);
  EXPECT_EQ(b.rule_name, "two stages");
}

TEST(ApprovalDecide, OwnerCannotApproveTheirOwnContract) {
  auto a = started({"r", {}, {stage("S", ApprovalMode::any, {kOwner, kAnn}, {})}});
  EXPECT_EQ(a.stages[0].approver_ids, (Ids{kAnn}));
  EXPECT_EQ(refusal(a, kOwner), ErrorKind::forbidden);
  // Not as a delegate either.
  const std::vector<Delegation> to_owner{{kAnn, kOwner, kDay1, kDay2}};
  EXPECT_EQ(refusal(a, kOwner, approve(), to_owner), ErrorKind::forbidden);
  DecisionRequest on_behalf = approve();
  on_behalf.on_behalf_of = kAnn;
  EXPECT_EQ(refusal(a, kOwner, on_behalf, to_owner), ErrorKind::forbidden);
  EXPECT_FALSE(is_awaiting(a, kOwner, kDay1, to_owner));
}

TEST(ApprovalDecide, AnyStageCompletesOnOneApproval) {
  auto a = started({"r", {}, {stage("Managers", ApprovalMode::any, {}, {Role::manager})}});
  auto r = act(a, kBob, {Decision::approve, "Fine", std::nullopt, std::nullopt});
  ASSERT_TRUE(r.ok()) << r.error().detail();
  EXPECT_EQ(r->effect, DecisionEffect::approved);
  EXPECT_EQ(r->decision, (ApprovalDecision{0, kBob, kBob, Decision::approve, "Fine", kT2}));
  EXPECT_EQ(a.status, ApprovalStatus::approved);
  EXPECT_EQ(a.completed_at, kT2);
  EXPECT_EQ(a.stages[0].status, StageStatus::approved);
  EXPECT_EQ(a.stages[0].completed_on, kDay1);
  EXPECT_TRUE(awaiting(a).empty());
  EXPECT_EQ(refusal(a, kAnn), ErrorKind::conflict);  // no longer pending
}

TEST(ApprovalDecide, AllStageNeedsEveryApprover) {
  auto a = started({"r", {}, {stage("Managers", ApprovalMode::all, {}, {Role::manager})}});
  EXPECT_EQ(effect(a, kAnn), DecisionEffect::recorded);
  EXPECT_EQ(a.status, ApprovalStatus::pending);
  EXPECT_EQ(awaiting(a), (Ids{kBob}));
  EXPECT_EQ(refusal(a, kAnn), ErrorKind::conflict);  // already decided
  EXPECT_EQ(effect(a, kBob), DecisionEffect::approved);
  EXPECT_EQ(a.status, ApprovalStatus::approved);
}

TEST(ApprovalDecide, StagesRunInOrder) {
  auto a = started(two_stages());
  // Cid approves stage 2, which has not started.
  EXPECT_EQ(refusal(a, kCid), ErrorKind::conflict);
  EXPECT_EQ(refusal(a, kDan), ErrorKind::forbidden);  // approves nothing
  EXPECT_EQ(effect(a, kAnn), DecisionEffect::recorded);
  EXPECT_EQ(effect(a, kBob, approve(), {}, kDay2), DecisionEffect::stage_advanced);
  EXPECT_EQ(a.current_stage, 1u);
  EXPECT_EQ(a.stages[0].status, StageStatus::approved);
  EXPECT_EQ(a.stages[0].completed_on, kDay2);
  EXPECT_EQ(a.stages[1].status, StageStatus::pending);
  EXPECT_EQ(a.stages[1].started_on, kDay2);
  EXPECT_EQ(awaiting(a), (Ids{kCid}));
  // A client that still shows stage 1 is told the stage moved on.
  DecisionRequest stale = approve();
  stale.stage = 0;
  EXPECT_EQ(refusal(a, kCid, stale), ErrorKind::conflict);
  EXPECT_EQ(refusal(a, kAnn), ErrorKind::conflict);  // approves stage 1 only
  DecisionRequest current = approve();
  current.stage = 1;
  EXPECT_EQ(effect(a, kCid, current), DecisionEffect::approved);
  EXPECT_EQ(a.decisions.size(), 3u);
}

TEST(ApprovalDecide, RejectionEndsTheWholeApproval) {
  auto a = started(two_stages());
  EXPECT_EQ(effect(a, kAnn), DecisionEffect::recorded);
  EXPECT_EQ(refusal(a, kBob, reject("  ")), ErrorKind::validation);  // a reason is required
  EXPECT_EQ(effect(a, kBob, reject()), DecisionEffect::rejected);
  EXPECT_EQ(a.status, ApprovalStatus::rejected);
  EXPECT_EQ(a.stages[0].status, StageStatus::rejected);
  EXPECT_EQ(a.stages[1].status, StageStatus::waiting);
  EXPECT_EQ(a.decisions.back().comment, "Fix clause 7");
  EXPECT_EQ(refusal(a, kCid), ErrorKind::conflict);
  EXPECT_TRUE(awaiting(a).empty());
}

TEST(ApprovalDecide, RefusalsDoNotLeakPastEligibility) {
  auto a = started(two_stages());
  // Dan is not eligible: he hears that, not that his rejection lacks a comment.
  EXPECT_EQ(refusal(a, kDan, reject("")), ErrorKind::forbidden);
}

TEST(ApprovalDelegation, DelegateDecidesWithinTheRange) {
  const std::vector<Delegation> away{{kCid, kDan, kDay1, kDay2}};  // inclusive range
  for (const auto day : {kDay1, kDay2}) {
    auto a = started({"r", {}, {stage("Admin", ApprovalMode::any, {}, {Role::admin})}});
    EXPECT_TRUE(is_awaiting(a, kDan, day, away));
    auto r = act(a, kDan, approve(), away, day);
    ASSERT_TRUE(r.ok()) << r.error().detail();
    EXPECT_EQ(r->decision.approver_id, kCid);
    EXPECT_EQ(r->decision.actor_id, kDan);
    EXPECT_EQ(a.status, ApprovalStatus::approved);
  }
}

TEST(ApprovalDelegation, OutsideTheRangeTheDelegateIsNotEligible) {
  const std::vector<Delegation> away{{kCid, kDan, kDay2, CivilDate{2026, 11, 10}}};
  auto a = started({"r", {}, {stage("Admin", ApprovalMode::any, {}, {Role::admin})}});
  EXPECT_EQ(refusal(a, kDan, approve(), away, kDay1), ErrorKind::forbidden);  // before
  EXPECT_EQ(refusal(a, kDan, approve(), away, CivilDate{2026, 11, 11}), ErrorKind::forbidden);
  EXPECT_FALSE(is_awaiting(a, kDan, kDay1, away));
  // The approver may still decide personally while away.
  EXPECT_EQ(effect(a, kCid, approve(), away, kDay2), DecisionEffect::approved);
}

TEST(ApprovalDelegation, DelegateVotesOnceForEachApprover) {
  const std::vector<Delegation> away{{kAnn, kDan, kDay1, kDay1}, {kBob, kDan, kDay1, kDay1}};
  auto a = started({"r", {}, {stage("Managers", ApprovalMode::all, {}, {Role::manager})}});
  // Delegate of both: must say for whom.
  EXPECT_EQ(refusal(a, kDan, approve(), away), ErrorKind::validation);
  DecisionRequest for_ann = approve();
  for_ann.on_behalf_of = kAnn;
  EXPECT_EQ(effect(a, kDan, for_ann, away), DecisionEffect::recorded);
  EXPECT_EQ(refusal(a, kDan, for_ann, away), ErrorKind::conflict);  // Ann's vote is cast
  // Only Bob is left, so no need to name him.
  EXPECT_EQ(effect(a, kDan, approve(), away), DecisionEffect::approved);
  EXPECT_EQ(a.decisions[1].approver_id, kBob);
  EXPECT_EQ(a.decisions[1].actor_id, kDan);
}

TEST(ApprovalDelegation, OnBehalfOfNeedsADelegation) {
  auto a = started({"r", {}, {stage("Managers", ApprovalMode::all, {}, {Role::manager})}});
  DecisionRequest for_ann = approve();
  for_ann.on_behalf_of = kAnn;
  EXPECT_EQ(refusal(a, kDan, for_ann), ErrorKind::forbidden);
  const std::vector<Delegation> cid_away{{kCid, kDan, kDay1, kDay1}};
  DecisionRequest for_cid = approve();
  for_cid.on_behalf_of = kCid;  // delegated, but Cid does not approve this stage
  EXPECT_EQ(refusal(a, kDan, for_cid, cid_away), ErrorKind::forbidden);
}

TEST(ApprovalQueries, PendingForListsPersonalAndDelegatedWork) {
  std::vector<Approval> all;
  all.push_back(started(two_stages()));
  all.push_back(started({"r", {}, {stage("Admin", ApprovalMode::any, {}, {Role::admin})}}));
  all.push_back(started(two_stages(), kBob));  // Bob owns this one
  const auto names = [&](const std::string& user, std::vector<Delegation> d = {}) {
    std::vector<std::size_t> out;
    for (const auto* a : pending_for(all, user, kDay1, d))
      out.push_back(static_cast<std::size_t>(a - all.data()));
    return out;
  };
  EXPECT_EQ(names(kAnn), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(names(kBob), (std::vector<std::size_t>{0}));
  EXPECT_EQ(names(kCid), (std::vector<std::size_t>{1}));  // stage 2 elsewhere has not started
  EXPECT_EQ(names(kDan), (std::vector<std::size_t>{}));
  EXPECT_EQ(names(kDan, {{kCid, kDan, kDay1, kDay1}}), (std::vector<std::size_t>{1}));
  EXPECT_EQ(effect(all[0], kAnn), DecisionEffect::recorded);
  EXPECT_EQ(names(kAnn), (std::vector<std::size_t>{2}));
}

TEST(ApprovalSla, OverdueAfterTheDueDate) {
  auto a = started(two_stages());  // stage 1 started Nov 2, 3 days
  EXPECT_EQ(due_on(a.stages[0]), (CivilDate{2026, 11, 5}));
  EXPECT_FALSE(due_on(a.stages[1]));
  EXPECT_FALSE(is_overdue(a, CivilDate{2026, 11, 5}));  // due today is not late
  EXPECT_TRUE(is_overdue(a, CivilDate{2026, 11, 6}));
  // Stage 2 starts Nov 6 with 2 days: its own clock.
  EXPECT_EQ(effect(a, kAnn), DecisionEffect::recorded);
  EXPECT_EQ(effect(a, kBob, approve(), {}, CivilDate{2026, 11, 6}), DecisionEffect::stage_advanced);
  EXPECT_EQ(due_on(a.stages[1]), (CivilDate{2026, 11, 8}));
  EXPECT_FALSE(is_overdue(a, CivilDate{2026, 11, 8}));
  EXPECT_TRUE(is_overdue(a, CivilDate{2026, 11, 9}));
  // Month and year ends.
  ApprovalStage s;
  s.sla_days = 5;
  s.started_on = CivilDate{2028, 2, 27};
  EXPECT_EQ(due_on(s), (CivilDate{2028, 3, 3}));  // 2028 is a leap year
  s.started_on = CivilDate{2026, 12, 30};
  EXPECT_EQ(due_on(s), (CivilDate{2027, 1, 4}));
  // A finished approval is never overdue.
  EXPECT_EQ(effect(a, kCid), DecisionEffect::approved);
  EXPECT_FALSE(is_overdue(a, CivilDate{2027, 1, 1}));
}

TEST(ApprovalVoid, MaterialEditVoidsAPendingApproval) {
  auto a = started(two_stages());
  EXPECT_EQ(effect(a, kAnn), DecisionEffect::recorded);
  auto empty_reason = void_approval(a, "  ", kT2);
  ASSERT_FALSE(empty_reason.ok());
  EXPECT_EQ(empty_reason.error().kind(), ErrorKind::validation);
  EXPECT_EQ(a.status, ApprovalStatus::pending);
  ASSERT_TRUE(void_approval(a, "value changed from 10,000 EUR to 90,000 EUR", kT2).ok());
  EXPECT_EQ(a.status, ApprovalStatus::voided);
  EXPECT_EQ(a.void_reason, "value changed from 10,000 EUR to 90,000 EUR");
  EXPECT_EQ(a.completed_at, kT2);
  EXPECT_EQ(a.stages[0].status, StageStatus::voided);
  EXPECT_EQ(a.stages[1].status, StageStatus::voided);
  EXPECT_EQ(a.decisions.size(), 1u);  // history is kept
  EXPECT_TRUE(awaiting(a).empty());
  EXPECT_FALSE(is_overdue(a, CivilDate{2030, 1, 1}));
  EXPECT_EQ(refusal(a, kBob), ErrorKind::conflict);
  auto twice = void_approval(a, "again", kT2);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().kind(), ErrorKind::conflict);
}

TEST(ApprovalVoid, ApprovedCanBeVoidedRejectedCannot) {
  auto approved = started({"r", {}, {stage("Admin", ApprovalMode::any, {}, {Role::admin})}});
  EXPECT_EQ(effect(approved, kCid), DecisionEffect::approved);
  ASSERT_TRUE(void_approval(approved, "main document replaced", kT2).ok());
  EXPECT_EQ(approved.stages[0].status, StageStatus::approved);  // what happened stays true
  EXPECT_EQ(approved.status, ApprovalStatus::voided);
  auto rejected = started({"r", {}, {stage("Admin", ApprovalMode::any, {}, {Role::admin})}});
  EXPECT_EQ(effect(rejected, kCid, reject()), DecisionEffect::rejected);
  auto r = void_approval(rejected, "edit", kT2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::conflict);
}

Lines decision_errors(std::string_view body) {
  auto r = parse_decision_request(bj::parse(body).as_object());
  if (r.ok()) {
    ADD_FAILURE() << "accepted: " << body;
    return {};
  }
  Lines out;
  for (const auto& e : r.error().fields()) out.push_back(e.field + ": " + e.message);
  return out;
}

TEST(ApprovalParse, DecisionRequest) {
  auto r = parse_decision_request(bj::parse(R"({"decision": "reject", "comment": " Too risky ",
      "onBehalfOf": ")" + kAnn + R"(", "stage": 1})")
                                      .as_object());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->decision, Decision::reject);
  EXPECT_EQ(r->comment, "Too risky");
  EXPECT_EQ(r->on_behalf_of, kAnn);
  EXPECT_EQ(r->stage, 1u);
  EXPECT_EQ(decision_errors(R"({"decision": "reject"})"),
            (Lines{"comment: is required to reject (say what must change)"}));
  EXPECT_EQ(decision_errors(R"({"decision": "maybe", "onBehalfOf": "x", "stage": -1, "y": 1})"),
            (Lines{"decision: must be approve or reject", "onBehalfOf: must be a user id",
                   "stage: must be between 0 and 9", "y: unknown field"}));
  EXPECT_EQ(decision_errors(R"({"comment": "x"})"), (Lines{"decision: is required"}));
}

TEST(ApprovalParse, Delegation) {
  auto d = parse_delegation(
      bj::parse(R"({"delegateId": ")" + kDan + R"(", "from": "2026-11-02", "to": "2026-11-02"})")
          .as_object(),
      kCid);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (Delegation{kCid, kDan, kDay1, kDay1}));
  EXPECT_EQ(bj::serialize(to_json(*d)), R"({"userId":")" + kCid + R"(","delegateId":")" + kDan +
                                            R"(","from":"2026-11-02","to":"2026-11-02"})");
  auto bad = parse_delegation(
      bj::parse(R"({"delegateId": ")" + kCid + R"(", "from": "2026-02-30", "to": "x"})")
          .as_object(),
      kCid);
  ASSERT_FALSE(bad.ok());
  Lines lines;
  for (const auto& e : bad.error().fields()) lines.push_back(e.field + ": " + e.message);
  EXPECT_EQ(lines, (Lines{"delegateId: must be someone else",
                          "from: must be a date in the form YYYY-MM-DD",
                          "to: must be a date in the form YYYY-MM-DD"}));
  auto backwards = parse_delegation(
      bj::parse(R"({"delegateId": ")" + kDan + R"(", "from": "2026-11-03", "to": "2026-11-02"})")
          .as_object(),
      kCid);
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().fields().at(0).field, "to");
}

TEST(ApprovalJson, ShowsStagesWhoDecidedAndWhoIsPending) {
  auto a = started(two_stages());
  ASSERT_TRUE(act(a, kAnn, {Decision::approve, "ok", std::nullopt, std::nullopt}).ok());
  const auto j = to_json(a);
  EXPECT_EQ(j.at("status"), "pending");
  EXPECT_EQ(j.at("currentStage"), 0);
  EXPECT_EQ(j.at("ruleName"), "two stages");
  EXPECT_TRUE(j.at("voidReason").is_null());
  const auto& s0 = j.at("stages").as_array()[0].as_object();
  EXPECT_EQ(s0.at("status"), "pending");
  EXPECT_EQ(s0.at("mode"), "all");
  EXPECT_EQ(s0.at("startedOn"), "2026-11-02");
  EXPECT_EQ(s0.at("dueOn"), "2026-11-05");
  EXPECT_EQ(bj::serialize(s0.at("approverIds")), R"([")" + kAnn + R"(",")" + kBob + R"("])");
  EXPECT_EQ(bj::serialize(s0.at("awaiting")), R"([")" + kBob + R"("])");
  const auto& s1 = j.at("stages").as_array()[1].as_object();
  EXPECT_EQ(s1.at("status"), "waiting");
  EXPECT_TRUE(s1.at("startedOn").is_null());
  EXPECT_TRUE(s1.at("awaiting").as_array().empty());
  const auto& d0 = j.at("decisions").as_array()[0].as_object();
  EXPECT_EQ(d0.at("approverId"), kAnn.c_str());
  EXPECT_EQ(d0.at("actorId"), kAnn.c_str());
  EXPECT_EQ(d0.at("decision"), "approve");
  EXPECT_EQ(d0.at("comment"), "ok");
  EXPECT_EQ(d0.at("at").as_string(), format_rfc3339(kT2));
  ASSERT_TRUE(void_approval(a, "dates changed", kT2).ok());
  const auto v = to_json(a);
  EXPECT_EQ(v.at("status"), "void");
  EXPECT_TRUE(v.at("currentStage").is_null());
  EXPECT_EQ(v.at("voidReason"), "dates changed");
}

}  // namespace
}  // namespace cm
