// SPDX-License-Identifier: AGPL-3.0-or-later
// Approvals are stored as the JSON of the core Approval; reading one back must give the same
// approval, whatever stage it reached (no database needed).

#include "store/workflow_repository.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/approval.hpp"

namespace cm::store::testing {
namespace {

const std::string kOwner = "0190a1b2-0000-7000-8000-000000000001";
const std::string kAlice = "0190a1b2-0000-7000-8000-000000000002";
const std::string kBob = "0190a1b2-0000-7000-8000-000000000003";
const std::string kCarol = "0190a1b2-0000-7000-8000-000000000004";

Approval round_trip(const Approval& a) {
  const auto text = boost::json::serialize(to_json(a));
  return approval_from_json(boost::json::parse(text).as_object());
}

Approval started() {
  ApprovalRule rule;
  rule.name = "Two stages";
  StageTemplate first;
  first.name = "Managers";
  first.roles = {Role::manager};
  first.mode = ApprovalMode::all;
  first.sla_days = 2;
  StageTemplate second;
  second.name = "Admin";
  second.user_ids = {kCarol};
  rule.stages = {first, second};
  const std::vector<OrgUser> users{{kOwner, Role::member, true},
                                   {kAlice, Role::manager, true},
                                   {kBob, Role::manager, true},
                                   {kCarol, Role::admin, true}};
  auto a = start_approval(rule, {"contract-1", kOwner, "Policy", 1'700'000'000'123, {2024, 2, 28}},
                          users);
  EXPECT_TRUE(a.ok());
  return *a;
}

TEST(ApprovalSnapshotTest, PendingDecidedAndVoidApprovalsReadBackUnchanged) {
  auto a = started();
  EXPECT_EQ(round_trip(a), a);

  DecisionRequest approve;
  auto outcome = decide(a, approve, {kAlice, 1'700'000'100'456, {2024, 2, 29}}, {});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(round_trip(a), a);
  outcome = decide(a, approve, {kBob, 1'700'000'200'789, {2024, 3, 1}}, {});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->effect, DecisionEffect::stage_advanced);
  EXPECT_EQ(round_trip(a), a);

  auto voided = a;
  ASSERT_TRUE(void_approval(voided, "material edit: value", 1'700'000'300'000).ok());
  EXPECT_EQ(round_trip(voided), voided);

  DecisionRequest reject;
  reject.decision = Decision::reject;
  reject.comment = "no \"budget\" — sorry";
  outcome = decide(a, reject, {kCarol, 1'700'000'400'000, {2024, 3, 2}}, {});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->effect, DecisionEffect::rejected);
  EXPECT_EQ(round_trip(a), a);
}

}  // namespace
}  // namespace cm::store::testing
