// SPDX-License-Identifier: AGPL-3.0-or-later
// Administration: people, API keys for integrations, and organization settings.

#include "core/strings.hpp"
#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

class UsersTest : public ::testing::Test {
 protected:
  ServerProcess& server() { return shared_server(); }
  HttpClient as(Org& org, const std::string& role) {
    return client_for(server(), org[role].access_token);
  }
};

bj::object new_user(const std::string& role, std::string email = {}) {
  return bj::object{{"email", email.empty() ? unique_name("new") + "@example.com" : email},
                    {"name", "New Person"},
                    {"role", role},
                    {"password", "a-long-enough-password"}};
}

TEST_F(UsersTest, AdminCreatesListsReadsAndChangesPeople) {
  Org org = make_org(server(), {"admin"});
  auto admin = as(org, "admin");
  const auto email = unique_name("Hire") + "@Example.com";
  const auto created = admin.post_json("/api/v1/users", new_user("member", email));
  ASSERT_STATUS(created, 201);
  const auto user = body_of(created);
  const auto id = str(user, "id");
  EXPECT_EQ(created.header("Location"), "/api/v1/users/" + id);
  EXPECT_EQ(str(user, "role"), "member");
  EXPECT_EQ(str(user, "email"), to_lower(email));
  EXPECT_EQ(created.body.find("password"), std::string::npos) << created.body;

  // The new person can log in with the password the admin set (email matched case-insensitively).
  EXPECT_STATUS(login_request(server(), email, "a-long-enough-password"), 200);

  const auto list = admin.get("/api/v1/users");
  ASSERT_STATUS(list, 200);
  const auto ids = ids_of(body_of(list));
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end());

  const auto got = admin.get("/api/v1/users/" + id);
  ASSERT_STATUS(got, 200);
  EXPECT_EQ(str(body_of(got), "name"), "New Person");

  const auto patched = admin.patch_json("/api/v1/users/" + id,
                                        bj::object{{"role", "manager"}, {"name", "Promoted"}});
  ASSERT_STATUS(patched, 200);
  EXPECT_EQ(str(body_of(patched), "role"), "manager");
  EXPECT_EQ(str(body_of(patched), "name"), "Promoted");
  EXPECT_EQ(body_of(patched).at("version").as_int64(), body_of(got).at("version").as_int64() + 1);
}

TEST_F(UsersTest, OnlyAdministratorsManagePeopleAndEveryoneReadsTheDirectory) {
  Org org = make_org(server(), {"admin", "member", "viewer"});
  for (const std::string role : {"member", "viewer"}) {
    auto client = as(org, role);
    // The directory names colleagues (owners, approvers, mentions) for every member.
    const auto directory = client.get("/api/v1/users");
    ASSERT_STATUS(directory, 200);
    EXPECT_NE(directory.body.find(org["admin"].id), std::string::npos) << directory.body;
    EXPECT_EQ(directory.body.find("password"), std::string::npos) << directory.body;
    EXPECT_PROBLEM(client.post_json("/api/v1/users", new_user("admin")), 403,
                   "/problems/forbidden");
    EXPECT_PROBLEM(
        client.patch_json("/api/v1/users/" + org[role].id, bj::object{{"role", "admin"}}), 403,
        "/problems/forbidden");
    EXPECT_PROBLEM(client.get("/api/v1/api-keys"), 403, "/problems/forbidden");
  }
  EXPECT_STATUS(as(org, "member").get("/api/v1/users/" + org["member"].id), 200);
  EXPECT_STATUS(as(org, "member").get("/api/v1/users/" + org["admin"].id), 200);
  // Another organization's directory stays out of reach.
  Org other = make_org(server(), {"admin"});
  EXPECT_PROBLEM(as(org, "member").get("/api/v1/users/" + other["admin"].id), 404,
                 "/problems/not-found");
  const auto listed = as(org, "member").get("/api/v1/users");
  EXPECT_EQ(listed.body.find(other["admin"].id), std::string::npos);
}

TEST_F(UsersTest, DuplicateEmailAndInvalidRoleAreRejected) {
  Org org = make_org(server(), {"admin", "member"});
  auto admin = as(org, "admin");
  const auto duplicate = admin.post_json("/api/v1/users", new_user("member", org["member"].email));
  EXPECT_PROBLEM(duplicate, 409, "/problems/conflict");

  const auto bad_role = admin.post_json("/api/v1/users", new_user("superuser"));
  EXPECT_PROBLEM(bad_role, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(bad_role, "role")) << bad_role.body;

  const auto short_password =
      admin.post_json("/api/v1/users", bj::object{{"email", unique_name("x") + "@example.com"},
                                                  {"name", "X"},
                                                  {"role", "member"},
                                                  {"password", "short"}});
  EXPECT_PROBLEM(short_password, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(short_password, "password")) << short_password.body;
}

TEST_F(UsersTest, TheLastActiveAdministratorCannotBeRemoved) {
  Org org = make_org(server(), {"admin"});
  auto admin = as(org, "admin");
  const auto& id = org["admin"].id;
  EXPECT_PROBLEM(admin.patch_json("/api/v1/users/" + id, bj::object{{"active", false}}), 409,
                 "/problems/conflict");
  EXPECT_PROBLEM(admin.patch_json("/api/v1/users/" + id, bj::object{{"role", "viewer"}}), 409,
                 "/problems/conflict");

  // With a second admin, the first may step down.
  const auto second = admin.post_json("/api/v1/users", new_user("admin"));
  ASSERT_STATUS(second, 201);
  EXPECT_STATUS(admin.patch_json("/api/v1/users/" + id, bj::object{{"role", "manager"}}), 200);
}

TEST_F(UsersTest, ApiKeysActWithTheirRoleUntilRevoked) {
  Org org = make_org(server(), {"admin"});
  auto admin = as(org, "admin");
  const auto created =
      admin.post_json("/api/v1/api-keys", bj::object{{"name", "CRM sync"}, {"role", "viewer"}});
  ASSERT_STATUS(created, 201);
  const auto key = body_of(created);
  const auto secret = str(key, "secret");
  const auto key_id = str(key, "id");
  ASSERT_TRUE(secret.starts_with("cm_")) << created.body;

  const auto list = admin.get("/api/v1/api-keys");
  ASSERT_STATUS(list, 200);
  EXPECT_EQ(ids_of(body_of(list)), std::vector<std::string>{key_id});
  EXPECT_EQ(list.body.find(secret), std::string::npos) << "the secret is shown only once";
  EXPECT_EQ(list.body.find("\"secret\""), std::string::npos);

  auto integration = client_for(server(), secret);
  EXPECT_STATUS(integration.get("/api/v1/contracts"), 200);
  const auto me = integration.get("/api/v1/me");
  ASSERT_STATUS(me, 200);
  EXPECT_EQ(str(body_of(me), "actorType"), "api_key");
  EXPECT_PROBLEM(integration.post_json("/api/v1/contracts", contract_input("From the viewer key")),
                 403, "/problems/forbidden");

  // A writer key can create.
  const auto writer =
      admin.post_json("/api/v1/api-keys", bj::object{{"name", "writer"}, {"role", "member"}});
  ASSERT_STATUS(writer, 201);
  auto writer_client = client_for(server(), str(body_of(writer), "secret"));
  EXPECT_STATUS(writer_client.post_json("/api/v1/contracts", contract_input("From the member key")),
                201);

  EXPECT_STATUS(admin.del("/api/v1/api-keys/" + key_id), 204);
  EXPECT_PROBLEM(integration.get("/api/v1/contracts"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(admin.del("/api/v1/api-keys/" + key_id), 404, "/problems/not-found");
  EXPECT_PROBLEM(client_for(server(), "cm_made_up_key_value").get("/api/v1/contracts"), 401,
                 "/problems/unauthenticated");
}

TEST_F(UsersTest, OrganizationSettingsLimitContractTypes) {
  Org org = make_org(server(), {"admin", "manager"});
  auto admin = as(org, "admin");
  const auto got = admin.get("/api/v1/organization");
  ASSERT_STATUS(got, 200);
  EXPECT_EQ(str(body_of(got), "id"), org.id);
  EXPECT_EQ(str(body_of(got), "name"), org.name);

  EXPECT_PROBLEM(
      as(org, "manager").patch_json("/api/v1/organization", bj::object{{"contractTypes", {"nda"}}}),
      403, "/problems/forbidden");
  const auto bad =
      admin.patch_json("/api/v1/organization", bj::object{{"contractTypes", {"Not Valid!"}}});
  EXPECT_PROBLEM(bad, 400, "/problems/validation");

  const auto patched =
      admin.patch_json("/api/v1/organization", bj::object{{"contractTypes", {"nda", "supply"}}});
  ASSERT_STATUS(patched, 200);
  const auto types = body_of(patched).at("contractTypes").as_array();
  EXPECT_EQ(types, (bj::array{"nda", "supply"}));

  auto manager = as(org, "manager");
  EXPECT_STATUS(
      manager.post_json("/api/v1/contracts", contract_input("Supply deal", {{"type", "supply"}})),
      201);
  const auto rejected =
      manager.post_json("/api/v1/contracts", contract_input("A lease", {{"type", "lease"}}));
  EXPECT_PROBLEM(rejected, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(rejected, "type")) << rejected.body;
}

}  // namespace
}  // namespace cm::test::api
