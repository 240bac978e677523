// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/permissions.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cm {
namespace {

constexpr const char* kMe = "0190a1b2-0000-7000-8000-000000000001";
constexpr const char* kOther = "0190a1b2-0000-7000-8000-000000000002";

Principal as(Role role) {
  Principal p;
  p.org_id = "0190a1b2-0000-7000-8000-0000000000bb";
  p.actor_id = kMe;
  p.user_id = kMe;
  p.role = role;
  return p;
}

TEST(Permissions, Admin) {
  const auto p = as(Role::admin);
  EXPECT_TRUE(permissions::can_write(p));
  EXPECT_TRUE(permissions::can_manage_users(p));
  EXPECT_TRUE(permissions::can_edit_contract(p, kMe));
  EXPECT_TRUE(permissions::can_edit_contract(p, kOther));
  EXPECT_TRUE(permissions::can_assign_owner(p, kOther));
  EXPECT_TRUE(permissions::can_delete_counterparty(p));
  EXPECT_TRUE(permissions::can_read_full_audit(p));
}

TEST(Permissions, Manager) {
  const auto p = as(Role::manager);
  EXPECT_TRUE(permissions::can_write(p));
  EXPECT_FALSE(permissions::can_manage_users(p));
  EXPECT_TRUE(permissions::can_edit_contract(p, kMe));
  EXPECT_TRUE(permissions::can_edit_contract(p, kOther));
  EXPECT_TRUE(permissions::can_assign_owner(p, kOther));
  EXPECT_TRUE(permissions::can_delete_counterparty(p));
  EXPECT_FALSE(permissions::can_read_full_audit(p));
}

TEST(Permissions, Member) {
  const auto p = as(Role::member);
  EXPECT_TRUE(permissions::can_write(p));
  EXPECT_FALSE(permissions::can_manage_users(p));
  EXPECT_TRUE(permissions::can_edit_contract(p, kMe));
  EXPECT_FALSE(permissions::can_edit_contract(p, kOther));
  EXPECT_FALSE(permissions::can_edit_contract(p, ""));
  EXPECT_TRUE(permissions::can_assign_owner(p, kMe));
  EXPECT_FALSE(permissions::can_assign_owner(p, kOther));
  EXPECT_FALSE(permissions::can_delete_counterparty(p));
  EXPECT_FALSE(permissions::can_read_full_audit(p));
}

TEST(Permissions, Viewer) {
  const auto p = as(Role::viewer);
  EXPECT_FALSE(permissions::can_write(p));
  EXPECT_FALSE(permissions::can_manage_users(p));
  EXPECT_FALSE(permissions::can_edit_contract(p, kMe));  // even their "own" contract
  EXPECT_FALSE(permissions::can_edit_contract(p, kOther));
  EXPECT_FALSE(permissions::can_assign_owner(p, kOther));
  EXPECT_FALSE(permissions::can_delete_counterparty(p));
  EXPECT_FALSE(permissions::can_read_full_audit(p));
}

TEST(Permissions, DefaultPrincipalIsAViewer) {
  const Principal p;
  EXPECT_EQ(p.role, Role::viewer);
  EXPECT_FALSE(permissions::can_write(p));
}

TEST(Roles, RoundTripThroughText) {
  for (Role r : {Role::admin, Role::manager, Role::member, Role::viewer}) {
    EXPECT_EQ(parse_role(to_string(r)), r);
  }
  EXPECT_EQ(to_string(Role::admin), "admin");
  EXPECT_EQ(to_string(Role::viewer), "viewer");
  EXPECT_FALSE(parse_role("Admin"));
  EXPECT_FALSE(parse_role("root"));
  EXPECT_FALSE(parse_role(""));
}

}  // namespace
}  // namespace cm
