// SPDX-License-Identifier: AGPL-3.0-or-later
// Counterparties: the companies and people contracts are made with.

#include <set>

#include "core/strings.hpp"
#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

class CounterpartiesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { org_ = new Org(make_org(shared_server())); }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }
  ServerProcess& server() { return shared_server(); }
  HttpClient as(const std::string& role) {
    return client_for(server(), (*org_)[role].access_token);
  }
  static Org* org_;
};
Org* CounterpartiesTest::org_ = nullptr;

TEST_F(CounterpartiesTest, CreateReadUpdateDelete) {
  auto member = as("member");
  const auto created = member.post_json("/api/v1/counterparties",
                                        bj::object{{"name", "Acme GmbH"},
                                                   {"kind", "company"},
                                                   {"country", "DE"},
                                                   {"contactEmail", "legal@acme.example"}});
  ASSERT_STATUS(created, 201);
  const auto cp = body_of(created);
  const auto id = str(cp, "id");
  EXPECT_EQ(created.header("Location"), "/api/v1/counterparties/" + id);
  EXPECT_EQ(created.header("ETag"), "\"1\"");
  EXPECT_EQ(str(cp, "country"), "DE");

  const auto got = member.get("/api/v1/counterparties/" + id);
  ASSERT_STATUS(got, 200);
  EXPECT_EQ(str(body_of(got), "name"), "Acme GmbH");

  const auto bad_country =
      member.post_json("/api/v1/counterparties", bj::object{{"name", "X"}, {"country", "XX"}});
  EXPECT_PROBLEM(bad_country, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(bad_country, "country"));
  const auto typo =
      member.post_json("/api/v1/counterparties", bj::object{{"name", "X"}, {"nmae", "Y"}});
  EXPECT_PROBLEM(typo, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(typo, "nmae")) << typo.body;

  const auto patched = member.patch_json("/api/v1/counterparties/" + id,
                                         bj::object{{"name", "Acme AG"}}, {{"If-Match", "\"1\""}});
  ASSERT_STATUS(patched, 200);
  EXPECT_EQ(patched.header("ETag"), "\"2\"");
  EXPECT_EQ(str(body_of(patched), "name"), "Acme AG");

  EXPECT_STATUS(as("manager").del("/api/v1/counterparties/" + id), 204);
  EXPECT_PROBLEM(member.get("/api/v1/counterparties/" + id), 404, "/problems/not-found");
}

TEST_F(CounterpartiesTest, UpdatesNeedTheCurrentVersion) {
  auto member = as("member");
  const auto id = str(create_counterparty(member, unique_name("Versioned")), "id");
  const auto path = "/api/v1/counterparties/" + id;
  EXPECT_PROBLEM(member.patch_json(path, bj::object{{"notes", "no precondition"}}), 428,
                 "/problems/precondition-required");
  ASSERT_STATUS(member.patch_json(path, bj::object{{"notes", "first"}}, {{"If-Match", "\"1\""}}),
                200);
  EXPECT_PROBLEM(member.patch_json(path, bj::object{{"notes", "stale"}}, {{"If-Match", "\"1\""}}),
                 412, "/problems/precondition-failed");
  const auto now = member.get(path);
  EXPECT_EQ(str(body_of(now), "notes"), "first");
  EXPECT_PROBLEM(
      as("viewer").patch_json(path, bj::object{{"notes", "viewer"}}, {{"If-Match", "\"2\""}}), 403,
      "/problems/forbidden");
}

TEST_F(CounterpartiesTest, ListSearchesByNameAndPagesThroughEveryoneOnce) {
  Org org = make_org(server(), {"member"});
  auto member = client_for(server(), org["member"].access_token);
  const std::vector<std::string> names = {"Echo Ltd", "alpha Corp", "Delta Inc", "Charlie SA",
                                          "Bravo plc"};
  for (const auto& n : names) create_counterparty(member, n);

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const auto r = member.get("/api/v1/counterparties?limit=2" +
                              (cursor.empty() ? "" : "&cursor=" + url_encode(cursor)));
    ASSERT_STATUS(r, 200);
    const auto page = body_of(r);
    EXPECT_LE(items_of(page).size(), 2u);
    for (const auto& item : items_of(page)) seen.push_back(str(item.as_object(), "name"));
    cursor = page.at("nextCursor").is_null() ? "" : std::string(page.at("nextCursor").as_string());
    ASSERT_LT(++pages, 10);
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5u)
      << "someone was listed twice";
  auto sorted = seen;
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return to_lower(a) < to_lower(b); });
  // By name; whether "alpha" sorts first (case-insensitive) or last (byte order) is the server's
  // call, but the order must be one of the two and stable.
  std::vector<std::string> bytewise = seen;
  std::sort(bytewise.begin(), bytewise.end());
  EXPECT_TRUE(seen == sorted || seen == bytewise) << "not sorted by name";

  const auto search = member.get("/api/v1/counterparties?q=" + url_encode("ELTA"));
  ASSERT_STATUS(search, 200);
  const auto found = items_of(body_of(search));
  ASSERT_EQ(found.size(), 1u) << search.body;
  EXPECT_EQ(str(found[0].as_object(), "name"), "Delta Inc");

  EXPECT_PROBLEM(member.get("/api/v1/counterparties?limit=0"), 400, "/problems/validation");
  EXPECT_PROBLEM(member.get("/api/v1/counterparties?colour=red"), 400, "/problems/validation");
}

TEST_F(CounterpartiesTest, DeletionIsForManagersAndOnlyWhenUnused) {
  auto member = as("member");
  auto manager = as("manager");
  const auto used = str(create_counterparty(member, unique_name("Used")), "id");
  const auto unused = str(create_counterparty(member, unique_name("Unused")), "id");
  create_contract(
      member,
      contract_input(
          "Uses a counterparty",
          {{"parties", bj::array{bj::object{{"counterpartyId", used}, {"role", "supplier"}}}}}));
  EXPECT_PROBLEM(member.del("/api/v1/counterparties/" + unused), 403, "/problems/forbidden");
  EXPECT_PROBLEM(manager.del("/api/v1/counterparties/" + used), 409, "/problems/conflict");
  EXPECT_STATUS(manager.get("/api/v1/counterparties/" + used), 200);
  EXPECT_STATUS(manager.del("/api/v1/counterparties/" + unused), 204);
  EXPECT_PROBLEM(manager.del("/api/v1/counterparties/" + unused), 404, "/problems/not-found");
}

}  // namespace
}  // namespace cm::test::api
