// SPDX-License-Identifier: AGPL-3.0-or-later
// Comments, mentions, watchers and notifications over HTTP, on both databases.

#include <set>

#include "api_fixture.hpp"

namespace cm::test::api {
namespace {

class CollaborationTest : public SharedOrgTest {
 protected:
  std::string new_contract(const std::string& role = "member") {
    auto c = as(role);
    return str(create_contract(c, contract_input(unique_name("Talk"))), "id");
  }
  static std::string comments_of(const std::string& contract) {
    return "/api/v1/contracts/" + contract + "/comments";
  }
  static std::int64_t unread(HttpClient& c) {
    return body_of(c.get("/api/v1/notifications/unread-count")).at("count").as_int64();
  }
};

TEST_F(CollaborationTest, ThreadedCommentsWithMentionsNotifyTheRightPeople) {
  auto member = as("member");
  auto manager = as("manager");
  auto admin = as("admin");
  const auto contract = new_contract("member");
  const auto manager_before = unread(manager);
  const auto member_before = unread(member);
  const auto admin_before = unread(admin);

  // The manager mentions the admin: the admin gets a mention, the owner (member) a comment.
  auto r = manager.post_json(
      comments_of(contract),
      bj::object{{"body", "Please check clause 4, @" + org()["admin"].email + "."}});
  ASSERT_STATUS(r, 201);
  const auto first = body_of(r);
  EXPECT_EQ(first.at("mentions").as_array().size(), 1u);
  EXPECT_EQ(str(first, "authorId"), org()["manager"].id);
  EXPECT_EQ(unread(admin), admin_before + 1);
  EXPECT_EQ(unread(member), member_before + 1);
  EXPECT_EQ(unread(manager), manager_before);  // not for your own comment

  const auto mine = body_of(admin.get("/api/v1/notifications?unread=true&limit=1"));
  const auto& n = items_of(mine).at(0).as_object();
  EXPECT_EQ(str(n, "kind"), "mention");
  EXPECT_EQ(str(n, "entityId"), contract);
  EXPECT_EQ(str(n.at("data").as_object(), "commentId"), str(first, "id"));

  // A reply in the thread.
  r = member.post_json(comments_of(contract),
                       bj::object{{"body", "Done."}, {"parentId", str(first, "id")}});
  ASSERT_STATUS(r, 201);
  EXPECT_EQ(str(body_of(r), "parentId"), str(first, "id"));
  const auto thread = body_of(member.get(comments_of(contract)));
  ASSERT_EQ(items_of(thread).size(), 2u);
  EXPECT_EQ(str(items_of(thread)[0].as_object(), "id"), str(first, "id"));  // oldest first

  // Read one, then all.
  ASSERT_STATUS(admin.post("/api/v1/notifications/" + str(n, "id") + "/read", ""), 204);
  EXPECT_EQ(unread(admin), admin_before);
  ASSERT_STATUS(member.post("/api/v1/notifications/read-all", ""), 200);
  EXPECT_EQ(unread(member), 0);
}

TEST_F(CollaborationTest, MentionsMustBeActiveUsersOfTheOrganization) {
  auto member = as("member");
  const auto contract = new_contract("member");
  const auto outsider = make_org(shared_server(), {"admin"});
  auto r = member.post_json(comments_of(contract),
                            bj::object{{"body", "Hi @" + outsider.users.at("admin").email}});
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(r, "body"));
  // An address without a leading @ is just text.
  r = member.post_json(comments_of(contract), bj::object{{"body", "mail legal@example.com"}});
  ASSERT_STATUS(r, 201);
  EXPECT_TRUE(body_of(r).at("mentions").as_array().empty());
  EXPECT_PROBLEM(member.post_json(comments_of(contract), bj::object{{"body", "   "}}), 400,
                 "/problems/validation");
  EXPECT_PROBLEM(member.post_json(comments_of(contract),
                                  bj::object{{"body", "x"}, {"parentId", new_contract()}}),
                 400, "/problems/validation");
}

TEST_F(CollaborationTest, OnlyAuthorsEditAndDeleteTheirComments) {
  auto member = as("member");
  auto manager = as("manager");
  auto viewer = as("viewer");
  const auto contract = new_contract("member");
  EXPECT_PROBLEM(viewer.post_json(comments_of(contract), bj::object{{"body", "hello"}}), 403,
                 "/problems/forbidden");
  auto r = member.post_json(comments_of(contract), bj::object{{"body", "first draft"}});
  ASSERT_STATUS(r, 201);
  const auto url = comments_of(contract) + "/" + str(body_of(r), "id");
  EXPECT_PROBLEM(manager.patch_json(url, bj::object{{"body", "hijack"}}), 403,
                 "/problems/forbidden");
  EXPECT_PROBLEM(manager.del(url), 403, "/problems/forbidden");

  // Editing adds a mention: only the newly mentioned person hears about it.
  auto admin = as("admin");
  const auto before = unread(admin);
  r = member.patch_json(url, bj::object{{"body", "second draft, @" + org()["admin"].email}});
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(body_of(r).at("edited").as_bool());
  EXPECT_EQ(unread(admin), before + 1);
  ASSERT_STATUS(member.patch_json(url, bj::object{{"body", "third, @" + org()["admin"].email}}),
                200);
  EXPECT_EQ(unread(admin), before + 1);

  EXPECT_STATUS(member.del(url), 204);
  EXPECT_PROBLEM(member.patch_json(url, bj::object{{"body", "again"}}), 404, "/problems/not-found");
  const auto thread = body_of(member.get(comments_of(contract)));
  const auto& gone = items_of(thread).at(0).as_object();
  EXPECT_TRUE(gone.at("deleted").as_bool());
  EXPECT_EQ(str(gone, "body"), "");

  const auto audit = body_of(admin.get("/api/v1/audit?entityId=" + contract + "&limit=50"));
  std::set<std::string> actions;
  for (const auto& e : items_of(audit)) actions.insert(str(e.as_object(), "action"));
  EXPECT_TRUE(actions.count("comment.created") && actions.count("comment.updated") &&
              actions.count("comment.deleted"))
      << bj::serialize(audit);
}

TEST_F(CollaborationTest, WatchersAndPreferencesDecideWhoIsNotified) {
  auto member = as("member");
  auto manager = as("manager");
  auto viewer = as("viewer");
  const auto contract = new_contract("member");
  const auto watchers = "/api/v1/contracts/" + contract + "/watchers";
  ASSERT_STATUS(viewer.put(watchers + "/me", ""), 204);
  ASSERT_STATUS(viewer.put(watchers + "/me", ""), 204);  // idempotent
  auto list = body_of(member.get(watchers));
  ASSERT_EQ(items_of(list).size(), 2u);
  EXPECT_EQ(str(items_of(list)[0].as_object(), "reason"), "owner");

  const auto viewer_before = unread(viewer);
  ASSERT_STATUS(manager.post_json(comments_of(contract), bj::object{{"body", "Update"}}), 201);
  EXPECT_EQ(unread(viewer), viewer_before + 1);

  // The viewer turns comment notifications off; the next comment does not reach them.
  auto r = viewer.put_json("/api/v1/notifications/preferences", bj::object{{"comment", false}});
  ASSERT_STATUS(r, 200);
  EXPECT_FALSE(body_of(r).at("comment").as_bool());
  EXPECT_TRUE(body_of(r).at("mention").as_bool());
  ASSERT_STATUS(manager.post_json(comments_of(contract), bj::object{{"body", "Another"}}), 201);
  EXPECT_EQ(unread(viewer), viewer_before + 1);
  EXPECT_PROBLEM(
      viewer.put_json("/api/v1/notifications/preferences", bj::object{{"telepathy", true}}), 400,
      "/problems/validation");

  ASSERT_STATUS(viewer.del(watchers + "/me"), 204);
  EXPECT_EQ(items_of(body_of(member.get(watchers))).size(), 1u);
}

TEST_F(CollaborationTest, NotificationsArePrivateToTheirRecipient) {
  auto member = as("member");
  auto admin = as("admin");
  const auto contract = new_contract("member");
  ASSERT_STATUS(admin.post_json(comments_of(contract), bj::object{{"body", "ping"}}), 201);
  const auto page = body_of(member.get("/api/v1/notifications?limit=1"));
  const auto id = str(items_of(page).at(0).as_object(), "id");
  EXPECT_PROBLEM(admin.post("/api/v1/notifications/" + id + "/read", ""), 404,
                 "/problems/not-found");
  EXPECT_PROBLEM(member.get("/api/v1/notifications?unread=maybe"), 400, "/problems/validation");
  const auto outsider = make_org(shared_server(), {"admin"});
  auto other = client_for(shared_server(), outsider.users.at("admin").access_token);
  EXPECT_PROBLEM(other.get(comments_of(contract)), 404, "/problems/not-found");
}

}  // namespace
}  // namespace cm::test::api
