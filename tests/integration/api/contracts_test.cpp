// SPDX-License-Identifier: AGPL-3.0-or-later
// Contracts: creating (with every validation rule and idempotent retries), reading, editing with
// optimistic concurrency, deleting drafts, who may do what, and organizations never seeing each
// other's contracts.

#include <set>
#include <thread>

#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

class ContractsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    org_ = new Org(make_org(shared_server()));
    add_user(shared_server(), *org_, "member2", "member");
  }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }
  ServerProcess& server() { return shared_server(); }
  HttpClient as(const std::string& key) { return client_for(server(), (*org_)[key].access_token); }
  static Org* org_;
};
Org* ContractsTest::org_ = nullptr;

TEST_F(ContractsTest, CreateReturnsTheDraftWithLocationAndVersion) {
  auto member = as("member");
  const auto r = member.post_json(
      "/api/v1/contracts",
      contract_input("Master services agreement",
                     {{"type", "msa"},
                      {"value", bj::object{{"amount", "1000.5"}, {"currency", "EUR"}}},
                      {"effectiveDate", "2026-01-01"},
                      {"expirationDate", "2026-12-31"},
                      {"tags", {"legal", "priority"}},
                      {"customFields", bj::object{{"costCenter", "CC-42"}, {"renewable", true}}}}));
  ASSERT_STATUS(r, 201);
  const auto c = body_of(r);
  const auto id = str(c, "id");
  EXPECT_EQ(r.header("Location"), "/api/v1/contracts/" + id);
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  EXPECT_EQ(str(c, "status"), "draft");
  EXPECT_EQ(c.at("version").as_int64(), 1);
  EXPECT_EQ(str(c, "ownerId"), (*org_)["member"].id);
  EXPECT_EQ(str(c.at("value").as_object(), "amount"), "1000.50");
  EXPECT_EQ(str(c.at("value").as_object(), "currency"), "EUR");
  EXPECT_EQ(c.at("tags").as_array().size(), 2u);
  EXPECT_TRUE(str(c, "createdAt").ends_with("Z"));

  const auto got = member.get("/api/v1/contracts/" + id);
  ASSERT_STATUS(got, 200);
  EXPECT_EQ(got.header("ETag"), "\"1\"");
  EXPECT_EQ(body_of(got), c);

  // HEAD answers like GET, without the body (a client checking the ETag before a download).
  const auto head = member.head("/api/v1/contracts/" + id);
  EXPECT_STATUS(head, 200);
  EXPECT_EQ(head.header("ETag"), "\"1\"");
  EXPECT_TRUE(head.body.empty());
}

struct InvalidCase {
  const char* name;
  bj::object body;
  const char* field;
};

TEST_F(ContractsTest, EveryValidationRuleNamesTheField) {
  auto member = as("member");
  bj::array many_tags;
  for (int i = 0; i < 51; ++i) many_tags.push_back(bj::string("t" + std::to_string(i)));
  const std::vector<InvalidCase> cases = {
      {"empty title", contract_input(""), "title"},
      {"301-character title", contract_input(std::string(301, 'x')), "title"},
      {"missing title", bj::object{{"type", "nda"}}, "title"},
      {"misspelt field", contract_input("T", {{"titel", "typo"}}), "titel"},
      {"title of the wrong JSON type", bj::object{{"title", 5}, {"type", "nda"}}, "title"},
      {"impossible date", contract_input("T", {{"effectiveDate", "2026-02-30"}}), "effectiveDate"},
      {"effective after expiration",
       contract_input("T", {{"effectiveDate", "2026-06-01"}, {"expirationDate", "2026-05-31"}}),
       "expirationDate"},
      {"unknown currency",
       contract_input("T", {{"value", bj::object{{"amount", "1.00"}, {"currency", "XXX"}}}}),
       "value.currency"},
      {"lower-case currency",
       contract_input("T", {{"value", bj::object{{"amount", "1.00"}, {"currency", "eur"}}}}),
       "value.currency"},
      {"negative amount",
       contract_input("T", {{"value", bj::object{{"amount", "-5.00"}, {"currency", "EUR"}}}}),
       "value.amount"},
      {"yen with decimals",
       contract_input("T", {{"value", bj::object{{"amount", "100.5"}, {"currency", "JPY"}}}}),
       "value.amount"},
      {"amount as a number",
       contract_input("T", {{"value", bj::object{{"amount", 1000.5}, {"currency", "EUR"}}}}),
       "value.amount"},
      {"51 tags", contract_input("T", {{"tags", many_tags}}), "tags"},
      {"nested custom field",
       contract_input("T", {{"customFields", bj::object{{"nested", bj::object{{"a", 1}}}}}}),
       "customFields.nested"},
      {"auto-renew without a term", contract_input("T", {{"autoRenew", true}}),
       "renewalTermMonths"},
      {"unknown type", contract_input("T", {{"type", "marriage"}}), "type"},
      {"read-only field", contract_input("T", {{"status", "active"}}), "status"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = member.post_json("/api/v1/contracts", c.body);
    EXPECT_PROBLEM(r, 400, "/problems/validation");
    EXPECT_TRUE(has_field_error(r, c.field))
        << "expected an error for " << c.field << ": " << r.body;
  }
  // Nothing was created along the way.
  const auto list = member.get("/api/v1/contracts?q=" + url_encode("T") +
                               "&limit=200&ownerId=" + (*org_)["member"].id);
  ASSERT_STATUS(list, 200);
  for (const auto& item : items_of(body_of(list))) EXPECT_NE(str(item.as_object(), "title"), "T");
}

TEST_F(ContractsTest, CounterpartyOfAnotherOrganizationIsRejected) {
  Org other = make_org(server(), {"member"});
  auto outsider = client_for(server(), other["member"].access_token);
  const auto foreign = str(create_counterparty(outsider, "Their supplier"), "id");
  const auto r = as("member").post_json(
      "/api/v1/contracts",
      contract_input(
          "Borrowed party",
          {{"parties", bj::array{bj::object{{"counterpartyId", foreign}, {"role", "supplier"}}}}}));
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(r, "parties[0].counterpartyId")) << r.body;
}

TEST_F(ContractsTest, BodiesMustBeJsonOfReasonableSize) {
  auto member = as("member");
  const auto text = member.post("/api/v1/contracts", R"({"title":"T","type":"nda"})",
                                {{"Content-Type", "text/plain"}});
  EXPECT_PROBLEM(text, 415, "/problems/unsupported-media-type");
  const auto none = member.post("/api/v1/contracts", R"({"title":"T","type":"nda"})");
  EXPECT_PROBLEM(none, 415, "/problems/unsupported-media-type");

  const auto malformed = member.post("/api/v1/contracts", R"({"title": "T", )",
                                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_TRUE(malformed.header("Content-Type").starts_with("application/problem+json"));

  const auto array = member.post("/api/v1/contracts", R"(["not", "an", "object"])",
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(array.status, 400) << array.body;

  const std::string huge =
      R"({"title":"T","type":"nda","description":")" + std::string(11 * 1024 * 1024, 'a') + "\"}";
  const auto too_big =
      member.post("/api/v1/contracts", huge, {{"Content-Type", "application/json"}});
  EXPECT_PROBLEM(too_big, 413, "/problems/payload-too-large");
  // The server is fine afterwards.
  EXPECT_STATUS(member.get("/api/v1/contracts?limit=1"), 200);
}

TEST_F(ContractsTest, IdempotencyKeyMakesRetriesSafe) {
  auto member = as("member");
  const auto key = unique_name("idem");
  const auto body = contract_input("Sent twice", {{"tags", {"retry"}}});
  const auto first = member.post_json("/api/v1/contracts", body, {{"Idempotency-Key", key}});
  ASSERT_STATUS(first, 201);
  EXPECT_FALSE(first.has_header("Idempotent-Replayed"));
  const auto second = member.post_json("/api/v1/contracts", body, {{"Idempotency-Key", key}});
  ASSERT_STATUS(second, 201);
  EXPECT_EQ(second.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(str(body_of(second), "id"), str(body_of(first), "id"));
  EXPECT_EQ(second.header("Location"), first.header("Location"));

  const auto list = member.get("/api/v1/contracts?tag=retry&limit=200");
  ASSERT_STATUS(list, 200);
  EXPECT_EQ(items_of(body_of(list)).size(), 1u) << "the retry created a second contract";

  const auto different = member.post_json("/api/v1/contracts", contract_input("Something else"),
                                          {{"Idempotency-Key", key}});
  EXPECT_PROBLEM(different, 422, "/problems/unprocessable");

  // Keys belong to their caller: another person with the same key creates their own contract.
  const auto other = as("member2").post_json("/api/v1/contracts", body, {{"Idempotency-Key", key}});
  ASSERT_STATUS(other, 201);
  EXPECT_NE(str(body_of(other), "id"), str(body_of(first), "id"));
}

TEST_F(ContractsTest, ConcurrentRetriesWithOneIdempotencyKeyCreateOneContract) {
  const auto key = unique_name("double-click");
  const auto body = contract_input("Clicked many times", {{"tags", {key}}});
  constexpr int kClients = 6;
  std::vector<HttpResponse> responses(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i)
    threads.emplace_back([&, i] {
      auto client = as("member");
      responses[i] = client.post_json("/api/v1/contracts", body, {{"Idempotency-Key", key}});
    });
  for (auto& t : threads) t.join();
  std::set<std::string> ids;
  for (const auto& r : responses) {
    // A retry that arrives while the first is still running may be told so (409); nothing else.
    if (r.status == 409) {
      EXPECT_PROBLEM(r, 409, "/problems/conflict");
      continue;
    }
    ASSERT_STATUS(r, 201);
    ids.insert(str(body_of(r), "id"));
  }
  EXPECT_EQ(ids.size(), 1u);
  const auto list = as("member").get("/api/v1/contracts?tag=" + url_encode(key));
  ASSERT_STATUS(list, 200);
  EXPECT_EQ(items_of(body_of(list)).size(), 1u) << list.body;
}

TEST_F(ContractsTest, UpdatesNeedTheVersionTheEditorSaw) {
  auto member = as("member");
  const auto id = str(create_contract(member, contract_input("Versioned")), "id");
  const auto path = "/api/v1/contracts/" + id;

  EXPECT_PROBLEM(member.patch_json(path, bj::object{{"title", "No precondition"}}), 428,
                 "/problems/precondition-required");
  const auto ok = member.patch_json(
      path, bj::object{{"title", "Renamed"}, {"noticePeriodDays", 30}}, {{"If-Match", "\"1\""}});
  ASSERT_STATUS(ok, 200);
  EXPECT_EQ(ok.header("ETag"), "\"2\"");
  EXPECT_EQ(body_of(ok).at("version").as_int64(), 2);
  EXPECT_EQ(str(body_of(ok), "title"), "Renamed");
  EXPECT_EQ(body_of(ok).at("noticePeriodDays").as_int64(), 30);

  const auto stale =
      member.patch_json(path, bj::object{{"title", "Lost update"}}, {{"If-Match", "\"1\""}});
  EXPECT_PROBLEM(stale, 412, "/problems/precondition-failed");
  EXPECT_EQ(str(body_of(member.get(path)), "title"), "Renamed");

  const auto invalid = member.patch_json(path, bj::object{{"title", ""}}, {{"If-Match", "\"2\""}});
  EXPECT_PROBLEM(invalid, 400, "/problems/validation");
  const auto nothing = member.patch_json(path, bj::object{}, {{"If-Match", "\"2\""}});
  EXPECT_PROBLEM(nothing, 400, "/problems/validation");
}

TEST_F(ContractsTest, DraftsCanBeDeleted) {
  auto member = as("member");
  const auto id = str(create_contract(member, contract_input("Short-lived")), "id");
  EXPECT_STATUS(member.del("/api/v1/contracts/" + id), 204);
  EXPECT_PROBLEM(member.get("/api/v1/contracts/" + id), 404, "/problems/not-found");
  EXPECT_PROBLEM(member.del("/api/v1/contracts/" + id), 404, "/problems/not-found");
  EXPECT_PROBLEM(member.get("/api/v1/contracts/not-an-id"), 404, "/problems/not-found");
}

TEST_F(ContractsTest, RolesDecideWhoMayWriteWhat) {
  auto viewer = as("viewer");
  EXPECT_PROBLEM(viewer.post_json("/api/v1/contracts", contract_input("Viewer's")), 403,
                 "/problems/forbidden");

  auto member = as("member");
  const auto mine = str(create_contract(member, contract_input("Member one's")), "id");
  auto member2 = as("member2");
  const auto theirs = str(create_contract(member2, contract_input("Member two's")), "id");

  EXPECT_STATUS(viewer.get("/api/v1/contracts/" + mine), 200);
  EXPECT_PROBLEM(viewer.patch_json("/api/v1/contracts/" + mine, bj::object{{"title", "x"}},
                                   {{"If-Match", "\"1\""}}),
                 403, "/problems/forbidden");
  EXPECT_PROBLEM(viewer.del("/api/v1/contracts/" + mine), 403, "/problems/forbidden");

  EXPECT_PROBLEM(member.patch_json("/api/v1/contracts/" + theirs, bj::object{{"title", "Hijack"}},
                                   {{"If-Match", "\"1\""}}),
                 403, "/problems/forbidden");
  EXPECT_PROBLEM(member.del("/api/v1/contracts/" + theirs), 403, "/problems/forbidden");
  EXPECT_STATUS(member.patch_json("/api/v1/contracts/" + mine,
                                  bj::object{{"title", "Mine, edited"}}, {{"If-Match", "\"1\""}}),
                200);
  // A member cannot create a contract for somebody else or give theirs away.
  EXPECT_PROBLEM(member.post_json("/api/v1/contracts",
                                  contract_input("For two", {{"ownerId", (*org_)["member2"].id}})),
                 403, "/problems/forbidden");
  EXPECT_PROBLEM(
      member.patch_json("/api/v1/contracts/" + mine, bj::object{{"ownerId", (*org_)["member2"].id}},
                        {{"If-Match", "\"2\""}}),
      403, "/problems/forbidden");

  auto manager = as("manager");
  const auto reassigned = manager.patch_json(
      "/api/v1/contracts/" + theirs,
      bj::object{{"title", "Managed"}, {"ownerId", (*org_)["member"].id}}, {{"If-Match", "\"1\""}});
  ASSERT_STATUS(reassigned, 200);
  EXPECT_EQ(str(body_of(reassigned), "ownerId"), (*org_)["member"].id);
  // Now it is the first member's to edit.
  EXPECT_STATUS(member.patch_json("/api/v1/contracts/" + theirs, bj::object{{"title", "Mine now"}},
                                  {{"If-Match", "\"2\""}}),
                200);
}

TEST_F(ContractsTest, AnotherOrganizationSeesNothing) {
  auto member = as("member");
  const auto contract =
      create_contract(member, contract_input(unique_name("Secret deal"), {{"tags", {"secret"}}}));
  const auto id = str(contract, "id");
  const auto title = str(contract, "title");

  Org other = make_org(server(), {"admin"});
  auto outsider = client_for(server(), other["admin"].access_token);
  const auto path = "/api/v1/contracts/" + id;
  EXPECT_PROBLEM(outsider.get(path), 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.patch_json(path, bj::object{{"title", "Mine"}}, {{"If-Match", "\"1\""}}),
                 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.del(path), 404, "/problems/not-found");
  // The same answer as for an id that never existed.
  EXPECT_EQ(str(body_of(outsider.get(path)), "detail"),
            str(body_of(outsider.get("/api/v1/contracts/01890000-0000-7000-8000-000000000000")),
                "detail"));

  const auto list = outsider.get("/api/v1/contracts?limit=200");
  ASSERT_STATUS(list, 200);
  EXPECT_TRUE(items_of(body_of(list)).empty()) << list.body;
  EXPECT_TRUE(items_of(body_of(outsider.get("/api/v1/contracts?q=" + url_encode(title)))).empty());
  EXPECT_TRUE(items_of(body_of(outsider.get("/api/v1/contracts?tag=secret"))).empty());

  const auto audit = outsider.get("/api/v1/audit?entityId=" + id);
  ASSERT_STATUS(audit, 200);
  EXPECT_TRUE(items_of(body_of(audit)).empty()) << audit.body;
  const auto all_audit = outsider.get("/api/v1/audit?limit=200");
  EXPECT_EQ(all_audit.body.find(id), std::string::npos);

  // Nor its people or counterparties.
  EXPECT_PROBLEM(outsider.get("/api/v1/users/" + (*org_)["member"].id), 404, "/problems/not-found");
  EXPECT_PROBLEM(
      outsider.patch_json("/api/v1/users/" + (*org_)["member"].id, bj::object{{"active", false}}),
      404, "/problems/not-found");
  const auto cp = str(create_counterparty(member, unique_name("Private supplier")), "id");
  EXPECT_PROBLEM(outsider.get("/api/v1/counterparties/" + cp), 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.del("/api/v1/counterparties/" + cp), 404, "/problems/not-found");
  EXPECT_TRUE(items_of(body_of(outsider.get("/api/v1/counterparties"))).empty());

  // And the contract is untouched.
  const auto still = member.get(path);
  ASSERT_STATUS(still, 200);
  EXPECT_EQ(body_of(still).at("version").as_int64(), 1);
}

}  // namespace
}  // namespace cm::test::api
