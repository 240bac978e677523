// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/contract_actions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace cm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kCaller = "0190a1b2-0000-7000-8000-000000000001";
constexpr const char* kSomeoneElse = "0190a1b2-0000-7000-8000-000000000002";

Principal caller(Role role) {
  Principal p;
  p.org_id = "0190a1b2-0000-7000-8000-0000000000bb";
  p.actor_id = kCaller;
  p.user_id = kCaller;
  p.role = role;
  return p;
}

Contract contract(std::string status, std::string owner = kCaller) {
  Contract c;
  c.status = std::move(status);
  c.owner_id = std::move(owner);
  return c;
}

std::vector<std::string> actions(const Contract& c, const Principal& p) {
  std::vector<std::string> out;
  for (auto a : allowed_contract_actions(c, p)) out.emplace_back(a);
  return out;
}

TEST(ContractActions, OwnerOfADraftMayEditSubmitCancelAndDeleteIt) {
  EXPECT_THAT(actions(contract("draft"), caller(Role::member)),
              ElementsAre("update", "delete", "submit", "cancel", "uploadDocument", "addObligation",
                          "comment"));
}

TEST(ContractActions, AMemberMayOnlyCommentOnSomeoneElsesContract) {
  EXPECT_THAT(actions(contract("draft", kSomeoneElse), caller(Role::member)),
              ElementsAre("comment"));
  EXPECT_THAT(actions(contract("active", kSomeoneElse), caller(Role::member)),
              ElementsAre("comment"));
}

TEST(ContractActions, AViewerMayDoNothing) {
  for (auto status : {"draft", "in_review", "approved", "active", "expired"})
    EXPECT_THAT(actions(contract(status), caller(Role::viewer)), IsEmpty()) << status;
}

TEST(ContractActions, FollowTheLifecycle) {
  const auto manager = caller(Role::manager);
  EXPECT_THAT(actions(contract("in_review", kSomeoneElse), manager),
              ElementsAre("update", "returnToDraft", "cancel", "uploadDocument", "addObligation",
                          "comment", "setLegalHold"));
  EXPECT_THAT(actions(contract("approved", kSomeoneElse), manager),
              ElementsAre("update", "returnToDraft", "cancel", "sendForSignature", "uploadDocument",
                          "addObligation", "comment", "setLegalHold"));
  EXPECT_THAT(actions(contract("out_for_signature", kSomeoneElse), manager),
              ElementsAre("update", "cancel", "uploadDocument", "addObligation", "comment",
                          "setLegalHold"));
  for (auto in_force : {"active", "renewed"})
    EXPECT_THAT(actions(contract(in_force, kSomeoneElse), manager),
                ElementsAre("update", "renew", "terminate", "uploadDocument", "addObligation",
                            "comment", "setLegalHold"))
        << in_force;
  EXPECT_THAT(actions(contract("terminated", kSomeoneElse), manager),
              ElementsAre("update", "archive", "uploadDocument", "addObligation", "comment",
                          "setLegalHold"));
}

TEST(ContractActions, AnArchivedContractIsNotArchivedAgainAndAHeldDraftIsNotDeleted) {
  auto closed = contract("expired");
  closed.archived = true;
  EXPECT_THAT(actions(closed, caller(Role::admin)),
              ElementsAre("update", "uploadDocument", "addObligation", "comment", "setLegalHold"));
  auto held = contract("draft");
  held.legal_hold = true;
  const auto admin_actions = actions(held, caller(Role::admin));
  EXPECT_EQ(std::count(admin_actions.begin(), admin_actions.end(), "delete"), 0);
}

TEST(ContractActions, AnApiKeyActsWithItsRole) {
  auto key = caller(Role::manager);
  key.actor_type = ActorType::api_key;
  key.actor_id = "0190a1b2-0000-7000-8000-0000000000cc";
  EXPECT_THAT(actions(contract("active", kSomeoneElse), key),
              ElementsAre("update", "renew", "terminate", "uploadDocument", "addObligation",
                          "comment", "setLegalHold"));
}

}  // namespace
}  // namespace cm
