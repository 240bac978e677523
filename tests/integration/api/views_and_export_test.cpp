// SPDX-License-Identifier: AGPL-3.0-or-later
// The contracts list as the web UI keeps and shares it, on both databases: saved views private to
// their owner, validated as the list reads them; and the CSV export of the current filter.

#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

class ViewsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { org_ = new Org(make_org(shared_server())); }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }
  static HttpClient as(const std::string& key) {
    return client_for(shared_server(), (*org_)[key].access_token);
  }
  static bj::object view(std::string name, std::string query, bj::array columns = {}) {
    return bj::object{{"name", std::move(name)}, {"query", std::move(query)}, {"columns", columns}};
  }
  static Org* org_;
};
Org* ViewsTest::org_ = nullptr;

TEST_F(ViewsTest, APersonSavesRenamesAndDeletesTheirViewsAndNobodyElseSeesThem) {
  auto member = as("member");
  const auto created = member.post_json(
      "/api/v1/views", view("Expiring NDAs", "?status=active&type=nda&sort=-expirationDate",
                            bj::array{"title", "expirationDate"}));
  ASSERT_STATUS(created, 201);
  const auto v = body_of(created);
  EXPECT_EQ(str(v, "query"), "status=active&type=nda&sort=-expirationDate");
  EXPECT_EQ(v.at("columns").as_array().size(), 2u);
  EXPECT_EQ(created.header("Location"), "/api/v1/views/" + str(v, "id"));
  const auto id = str(v, "id");

  EXPECT_EQ(items_of(body_of(member.get("/api/v1/views"))).size(), 1u);
  for (const auto* other : {"admin", "manager", "viewer"}) {
    auto c = as(other);
    EXPECT_TRUE(items_of(body_of(c.get("/api/v1/views"))).empty()) << other;
    EXPECT_PROBLEM(c.patch_json("/api/v1/views/" + id, bj::object{{"name", "mine"}}), 404,
                   "/problems/not-found");
    EXPECT_PROBLEM(c.del("/api/v1/views/" + id), 404, "/problems/not-found");
  }
  auto stranger =
      client_for(shared_server(), make_org(shared_server(), {"admin"})["admin"].access_token);
  EXPECT_PROBLEM(stranger.del("/api/v1/views/" + id), 404, "/problems/not-found");

  const auto renamed = member.patch_json("/api/v1/views/" + id, bj::object{{"name", "Renewals"}},
                                         {{"If-Match", created.header("ETag")}});
  ASSERT_STATUS(renamed, 200);
  EXPECT_EQ(str(body_of(renamed), "name"), "Renewals");
  EXPECT_EQ(str(body_of(renamed), "query"), "status=active&type=nda&sort=-expirationDate");
  // The old ETag is stale now.
  EXPECT_PROBLEM(member.patch_json("/api/v1/views/" + id, bj::object{{"name", "Again"}},
                                   {{"If-Match", created.header("ETag")}}),
                 412, "/problems/precondition-failed");
  EXPECT_STATUS(member.del("/api/v1/views/" + id), 204);
  EXPECT_TRUE(items_of(body_of(member.get("/api/v1/views"))).empty());
}

TEST_F(ViewsTest, AViewAlwaysOpens) {
  auto member = as("member");
  for (const auto* bad :
       {"status=sleeping", "sort=nonsense", "minValue=abc&currency=EUR", "cursor=abc", "q=%zz"}) {
    const auto r = member.post_json("/api/v1/views", view(unique_name("Bad"), bad));
    EXPECT_PROBLEM(r, 400, "/problems/validation");
    EXPECT_TRUE(has_field_error(r, "query")) << bad << ": " << r.body;
  }
  const auto r = member.post_json("/api/v1/views", view("", "", bj::array{"ok", "no spaces"}));
  EXPECT_TRUE(has_field_error(r, "name")) << r.body;
  EXPECT_TRUE(has_field_error(r, "columns")) << r.body;
}

TEST_F(ViewsTest, NamesAreUniquePerPerson) {
  auto manager = as("manager");
  const auto name = unique_name("All");
  ASSERT_STATUS(manager.post_json("/api/v1/views", view(name, "")), 201);
  const auto again = manager.post_json("/api/v1/views", view(name, "status=draft"));
  EXPECT_PROBLEM(again, 409, "/problems/conflict");
  EXPECT_TRUE(has_field_error(again, "name"));
  auto admin = as("admin");
  EXPECT_STATUS(admin.post_json("/api/v1/views", view(name, "")), 201);
}

// Parses the CSV our export writes (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back().front().empty()) rows.pop_back();
  return rows;
}

TEST_F(ViewsTest, TheExportHoldsEveryContractOfTheFilterReadableInASpreadsheet) {
  auto manager = as("manager");
  const auto supplier = str(create_counterparty(manager, "Acme, \"the\" supplier"), "id");
  const auto tag = unique_name("export");
  for (int i = 0; i < 205; ++i)  // more than one page of the list
    create_contract(manager, contract_input("Deal " + std::to_string(i), {{"tags", {tag}}}));
  create_contract(manager,
                  contract_input("=HYPERLINK(\"http://evil.example\")",
                                 {{"tags", {tag}},
                                  {"value", bj::object{{"amount", "1250.50"}, {"currency", "EUR"}}},
                                  {"expirationDate", "2031-05-31"},
                                  {"parties", bj::array{bj::object{{"counterpartyId", supplier},
                                                                   {"role", "supplier"}}}}}));
  const auto r = manager.get("/api/v1/contracts/export?tag=" + tag + "&sort=title");
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(r.header("Content-Type").starts_with("text/csv")) << r.header("Content-Type");
  EXPECT_NE(r.header("Content-Disposition").find("attachment; filename=\"contracts-"),
            std::string::npos);
  EXPECT_EQ(r.header("X-Export-Rows"), "206");
  const auto rows = parse_csv(r.body);
  ASSERT_EQ(rows.size(), 207u);
  EXPECT_EQ(rows[0][0], "id");
  EXPECT_EQ(rows[0][1], "title");
  // Sorted by title: "=HYPERLINK" sorts before "Deal ..." and goes out as text.
  const auto& evil = rows[1];
  EXPECT_EQ(evil[1], "'=HYPERLINK(\"http://evil.example\")");
  EXPECT_EQ(evil[4], "Acme, \"the\" supplier (supplier)");
  EXPECT_EQ(evil[5], (*org_)["manager"].email);
  EXPECT_EQ(evil[6], "1250.50");
  EXPECT_EQ(evil[7], "EUR");
  EXPECT_EQ(evil[9], "2031-05-31");
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].size(), rows[0].size());

  EXPECT_PROBLEM(manager.get("/api/v1/contracts/export?limit=5"), 400, "/problems/validation");
  EXPECT_PROBLEM(manager.get("/api/v1/contracts/export?status=sleeping"), 400,
                 "/problems/validation");
  // Another organization exports none of it.
  auto stranger =
      client_for(shared_server(), make_org(shared_server(), {"admin"})["admin"].access_token);
  const auto theirs = stranger.get("/api/v1/contracts/export?tag=" + tag);
  ASSERT_STATUS(theirs, 200);
  EXPECT_EQ(parse_csv(theirs.body).size(), 1u);
}

}  // namespace
}  // namespace cm::test::api
