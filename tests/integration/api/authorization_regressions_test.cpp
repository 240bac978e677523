// SPDX-License-Identifier: AGPL-3.0-or-later
// Authorization defects found by the matrix review, each kept from coming back. An API key acts
// for the admin who created it (its `user_id`) with its own role: a viewer key must not borrow its
// creator's standing to write, and no key may act on its creator's personal authority
// (delegations of approval power).

#include "api_fixture.hpp"

namespace cm::test::api {
namespace {

// One organization for the suite, in which the admin alone approves.
class AuthorizationRegressionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    org_ = new Org(make_org(shared_server(), {"admin", "member"}));
    add_user(shared_server(), *org_, "bystander", "member");
    add_user(shared_server(), *org_, "commenter", "member");
    admin_approves_everything();
  }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }

  static HttpClient as(const std::string& key) {
    return client_for(shared_server(), (*org_)[key].access_token);
  }
  static HttpClient with_key(const std::string& role) {
    auto admin = as("admin");
    const auto r = admin.post_json("/api/v1/api-keys",
                                   bj::object{{"name", unique_name("key")}, {"role", role}});
    if (r.status != 201) throw std::runtime_error("api key: " + r.body);
    return client_for(shared_server(), str(body_of(r), "secret"));
  }
  static std::string path(const std::string& contract, const std::string& rest = "") {
    return "/api/v1/contracts/" + contract + rest;
  }
  static void admin_approves_everything() {
    const bj::object policy{
        {"name", "Admin only"},
        {"rules", bj::array{}},
        {"default",
         bj::object{{"name", "Everything"},
                    {"stages",
                     bj::array{bj::object{{"name", "Admin"},
                                          {"approvers", bj::object{{"roles", bj::array{"admin"}}}},
                                          {"mode", "any"},
                                          {"slaDays", 2}}}}}}};
    auto admin = as("admin");
    const auto r = admin.put_json("/api/v1/approval-policies", policy);
    if (r.status != 200) throw std::runtime_error("policy: " + r.body);
  }
  // The member's contract, waiting for approval.
  static std::string contract_in_review() {
    auto owner = as("member");
    const auto id = str(create_contract(owner, contract_input(unique_name("Reviewed"))), "id");
    const auto r = owner.post_json(path(id, "/transitions"), bj::object{{"to", "in_review"}});
    if (r.status != 200) throw std::runtime_error("submit: " + r.body);
    return id;
  }
  static std::string status_of(const std::string& contract) {
    auto admin = as("admin");
    return str(body_of(admin.get(path(contract))), "status");
  }

  static Org& org() { return *org_; }

 private:
  static inline Org* org_ = nullptr;
};

TEST_F(AuthorizationRegressionTest, AViewerKeyCannotDecideAnApprovalForTheAdminWhoCreatedIt) {
  const auto contract = contract_in_review();
  auto viewer_key = with_key("viewer");
  EXPECT_PROBLEM(viewer_key.post_json(path(contract, "/approval/decisions"),
                                      bj::object{{"decision", "approve"}}),
                 403, "/problems/forbidden");
  EXPECT_PROBLEM(viewer_key.post_json(path(contract, "/approval/decisions"),
                                      bj::object{{"decision", "reject"}, {"comment", "no"}}),
                 403, "/problems/forbidden");
  EXPECT_EQ(status_of(contract), "in_review");
  // The admin, in person, is the approver.
  auto admin = as("admin");
  EXPECT_STATUS(
      admin.post_json(path(contract, "/approval/decisions"), bj::object{{"decision", "approve"}}),
      200);
  EXPECT_EQ(status_of(contract), "approved");
}

TEST_F(AuthorizationRegressionTest, NoApiKeyCanDelegateItsCreatorsApprovalPower) {
  const auto contract = contract_in_review();
  const bj::object to_bystander{
      {"items", bj::array{bj::object{
                    {"delegateId", org()["bystander"].id}, {"from", day(-1)}, {"to", day(5)}}}}};
  for (const char* role : {"viewer", "member", "manager", "admin"}) {
    auto key = with_key(role);
    EXPECT_PROBLEM(key.put_json("/api/v1/me/delegations", to_bystander), 403, "/problems/forbidden")
        << role << " key";
  }
  // So the bystander is no delegate of the admin and cannot approve on the admin's behalf.
  auto admin = as("admin");
  EXPECT_EQ(items_of(body_of(admin.get("/api/v1/me/delegations"))).size(), 0u);
  auto bystander = as("bystander");
  EXPECT_PROBLEM(
      bystander.post_json(path(contract, "/approval/decisions"),
                          bj::object{{"decision", "approve"}, {"onBehalfOf", org()["admin"].id}}),
      403, "/problems/forbidden");
  EXPECT_EQ(status_of(contract), "in_review");
  // The admin in person still delegates.
  EXPECT_STATUS(admin.put_json("/api/v1/me/delegations", to_bystander), 200);
  EXPECT_STATUS(
      bystander.post_json(path(contract, "/approval/decisions"),
                          bj::object{{"decision", "approve"}, {"onBehalfOf", org()["admin"].id}}),
      200);
}

TEST_F(AuthorizationRegressionTest, ViewersCannotEditOrDeleteComments) {
  auto admin = as("admin");
  const auto contract = str(create_contract(admin, contract_input(unique_name("Discussed"))), "id");
  auto r = admin.post_json(path(contract, "/comments"), bj::object{{"body", "The admin's view."}});
  ASSERT_STATUS(r, 201);
  const auto comment = path(contract, "/comments/" + str(body_of(r), "id"));

  // A viewer key acts for the admin, but may not write in the admin's name.
  auto viewer_key = with_key("viewer");
  EXPECT_PROBLEM(viewer_key.patch_json(comment, bj::object{{"body", "Rewritten by a key."}}), 403,
                 "/problems/forbidden");
  EXPECT_PROBLEM(viewer_key.del(comment), 403, "/problems/forbidden");

  // A member demoted to viewer keeps reading their comments but no longer changes them.
  auto member = as("commenter");
  r = member.post_json(path(contract, "/comments"), bj::object{{"body", "The member's view."}});
  ASSERT_STATUS(r, 201);
  const auto own = path(contract, "/comments/" + str(body_of(r), "id"));
  ASSERT_STATUS(
      admin.patch_json("/api/v1/users/" + org()["commenter"].id, bj::object{{"role", "viewer"}}),
      200);
  EXPECT_PROBLEM(member.patch_json(own, bj::object{{"body", "Changed."}}), 403,
                 "/problems/forbidden");
  EXPECT_PROBLEM(member.del(own), 403, "/problems/forbidden");

  const auto list = body_of(admin.get(path(contract, "/comments")));
  ASSERT_EQ(items_of(list).size(), 2u);
  EXPECT_EQ(str(items_of(list)[0].as_object(), "body"), "The admin's view.");
  EXPECT_EQ(str(items_of(list)[1].as_object(), "body"), "The member's view.");
  // The author, in person, still edits.
  EXPECT_STATUS(admin.patch_json(comment, bj::object{{"body", "The admin's revised view."}}), 200);
}

}  // namespace
}  // namespace cm::test::api
