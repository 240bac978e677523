// SPDX-License-Identifier: AGPL-3.0-or-later
// Finding contracts: every filter, every sort order, and keyset pagination that neither skips
// nor repeats while new contracts arrive.

#include <functional>
#include <set>

#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

// One organization with a small, known portfolio, shared by the whole suite (read-only tests).
struct Portfolio {
  Org org;
  std::string supplier_a, supplier_b;
  std::map<std::string, std::string> id_by_title;
};

class ContractQueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& server = shared_server();
    p_ = new Portfolio{make_org(server, {"manager", "member"}), {}, {}, {}};
    auto manager = client_for(server, p_->org["manager"].access_token);
    p_->supplier_a = str(create_counterparty(manager, "Supplier A"), "id");
    p_->supplier_b = str(create_counterparty(manager, "Supplier B"), "id");
    const auto party = [](const std::string& id) {
      return bj::array{bj::object{{"counterpartyId", id}, {"role", "supplier"}}};
    };
    const auto money = [](const char* amount, const char* currency) {
      return bj::object{{"amount", amount}, {"currency", currency}};
    };
    const std::string member = p_->org["member"].id;
    const std::vector<bj::object> inputs = {
        contract_input("Alpha NDA", {{"tags", {"legal"}},
                                     {"value", money("1000.00", "EUR")},
                                     {"effectiveDate", "2025-03-01"},
                                     {"expirationDate", "2026-03-01"},
                                     {"parties", party(p_->supplier_a)}}),
        contract_input("Beta supply, 100% guaranteed", {{"type", "purchase"},
                                                        {"tags", {"ops"}},
                                                        {"value", money("5000.00", "EUR")},
                                                        {"effectiveDate", "2025-01-01"},
                                                        {"expirationDate", "2026-06-01"},
                                                        {"ownerId", member}}),
        contract_input("gamma lease", {{"type", "lease"},
                                       {"tags", {"legal", "ops"}},
                                       {"value", money("200000", "JPY")},
                                       {"expirationDate", "2027-01-15"},
                                       {"parties", party(p_->supplier_b)}}),
        contract_input("Delta service",
                       {{"type", "service"}, {"ownerId", member}, {"effectiveDate", "2025-06-01"}}),
        contract_input("EPSILON nda", {{"value", money("99.99", "USD")},
                                       {"expirationDate", "2026-12-31"},
                                       {"parties", party(p_->supplier_a)}}),
    };
    for (const auto& input : inputs) {
      const auto c = create_contract(manager, input);
      p_->id_by_title[str(c, "title")] = str(c, "id");
    }
  }
  static void TearDownTestSuite() {
    delete p_;
    p_ = nullptr;
  }

  HttpClient reader() { return client_for(shared_server(), p_->org["member"].access_token); }

  // The titles the query returns, in order (one page of up to 200).
  std::vector<std::string> titles(const std::string& query) {
    const auto r = reader().get("/api/v1/contracts?limit=200" + (query.empty() ? "" : "&" + query));
    if (r.status != 200) throw std::runtime_error(query + ": " + r.body);
    std::vector<std::string> out;
    for (const auto& item : items_of(body_of(r))) out.push_back(str(item.as_object(), "title"));
    return out;
  }
  std::set<std::string> title_set(const std::string& query) {
    const auto t = titles(query);
    return {t.begin(), t.end()};
  }

  static Portfolio* p_;
};
Portfolio* ContractQueryTest::p_ = nullptr;

using Titles = std::set<std::string>;

TEST_F(ContractQueryTest, FiltersByStatusTypePartyOwnerAndTag) {
  EXPECT_EQ(titles("").size(), 5u);
  EXPECT_EQ(titles("status=draft").size(), 5u);
  EXPECT_TRUE(titles("status=active").empty());
  EXPECT_EQ(titles("status=active,draft").size(), 5u);
  EXPECT_EQ(title_set("type=nda"), (Titles{"Alpha NDA", "EPSILON nda"}));
  EXPECT_EQ(title_set("counterpartyId=" + p_->supplier_a), (Titles{"Alpha NDA", "EPSILON nda"}));
  EXPECT_EQ(title_set("counterpartyId=" + p_->supplier_b), (Titles{"gamma lease"}));
  EXPECT_EQ(title_set("ownerId=" + p_->org["member"].id),
            (Titles{"Beta supply, 100% guaranteed", "Delta service"}));
  EXPECT_EQ(title_set("tag=legal"), (Titles{"Alpha NDA", "gamma lease"}));
  EXPECT_EQ(title_set("tag=legal&type=lease"), (Titles{"gamma lease"}));
}

TEST_F(ContractQueryTest, TextSearchIsACaseInsensitiveLiteralSubstring) {
  EXPECT_EQ(title_set("q=alpha"), (Titles{"Alpha NDA"}));
  EXPECT_EQ(title_set("q=NDA"), (Titles{"Alpha NDA", "EPSILON nda"}));
  EXPECT_EQ(title_set("q=" + url_encode("%")), (Titles{"Beta supply, 100% guaranteed"}));
  EXPECT_EQ(title_set("q=" + url_encode("0%")), (Titles{"Beta supply, 100% guaranteed"}));
  EXPECT_TRUE(title_set("q=" + url_encode("_")).empty()) << "'_' must not match any character";
  EXPECT_TRUE(title_set("q=zeta").empty());
}

TEST_F(ContractQueryTest, FiltersByExpirationAndValue) {
  EXPECT_EQ(title_set("expiringBefore=2026-07-01"),
            (Titles{"Alpha NDA", "Beta supply, 100% guaranteed"}));
  EXPECT_EQ(title_set("expiringAfter=2026-07-01"), (Titles{"gamma lease", "EPSILON nda"}));
  EXPECT_EQ(title_set("expiringAfter=2026-04-01&expiringBefore=2027-01-01"),
            (Titles{"Beta supply, 100% guaranteed", "EPSILON nda"}));
  EXPECT_EQ(title_set("minValue=1000.00&currency=EUR"),
            (Titles{"Alpha NDA", "Beta supply, 100% guaranteed"}));
  EXPECT_EQ(title_set("maxValue=1000&currency=EUR"), (Titles{"Alpha NDA"}));
  EXPECT_EQ(title_set("minValue=100000&currency=JPY"), (Titles{"gamma lease"}));
  EXPECT_EQ(title_set("minValue=1&maxValue=99.99&currency=USD"), (Titles{"EPSILON nda"}));
}

TEST_F(ContractQueryTest, BadQueriesAreRejectedWithTheParameterNamed) {
  auto client = reader();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"minValue=10", "currency"},
      {"maxValue=10", "currency"},
      {"minValue=10&currency=EURO", "currency"},
      {"minValue=ten&currency=EUR", "minValue"},
      {"colour=red", "colour"},
      {"limit=0", "limit"},
      {"limit=201", "limit"},
      {"limit=abc", "limit"},
      {"status=bogus", "status"},
      {"sort=description", "sort"},
      {"sort=-value", "sort"},
      {"expiringBefore=2026-02-30", "expiringBefore"},
      {"ownerId=42", "ownerId"},
      {"cursor=garbage", "cursor"},
  };
  for (const auto& [query, field] : cases) {
    SCOPED_TRACE(query);
    const auto r = client.get("/api/v1/contracts?" + query);
    EXPECT_PROBLEM(r, 400, "/problems/validation");
    EXPECT_TRUE(has_field_error(r, field)) << r.body;
  }
  EXPECT_STATUS(client.get("/api/v1/contracts?limit=200"), 200);
  EXPECT_STATUS(client.get("/api/v1/contracts?limit=1"), 200);
}

// The value a sort field orders by, as the API documents it: missing dates last, missing values
// first.
std::string sort_key(const bj::object& c, const std::string& field) {
  if (field == "title") return str(c, "title");
  if (field == "createdAt") return str(c, "createdAt");
  if (field == "updatedAt") return str(c, "updatedAt");
  if (field == "effectiveDate" || field == "expirationDate") {
    const auto v = str(c, field);
    return v.empty() ? "9999-12-31" : v;
  }
  // value: minor units, zero-padded so strings compare like numbers; none sorts first.
  if (c.at("value").is_null()) return "";
  std::string amount = str(c.at("value").as_object(), "amount");
  amount.erase(std::remove(amount.begin(), amount.end(), '.'), amount.end());
  return std::string(20 - amount.size(), '0') + amount;
}

TEST_F(ContractQueryTest, SortsByEveryAllowedFieldBothWaysAndPagesInThatOrder) {
  auto client = reader();
  for (const std::string field :
       {"createdAt", "updatedAt", "title", "effectiveDate", "expirationDate", "value"}) {
    for (const bool descending : {false, true}) {
      // Amounts only compare within one currency, so a value sort comes with a currency filter.
      const std::string sort =
          (descending ? "-" : "") + field + (field == "value" ? "&currency=EUR" : "");
      SCOPED_TRACE(sort);
      const auto all = client.get("/api/v1/contracts?limit=200&sort=" + sort);
      ASSERT_STATUS(all, 200);
      const auto items = items_of(body_of(all));
      ASSERT_EQ(items.size(), field == "value" ? 2u : 5u);
      std::vector<std::string> ids;
      for (std::size_t i = 0; i < items.size(); ++i) {
        ids.push_back(str(items[i].as_object(), "id"));
        if (i == 0) continue;
        const auto prev = sort_key(items[i - 1].as_object(), field);
        const auto cur = sort_key(items[i].as_object(), field);
        if (descending) {
          EXPECT_GE(prev, cur) << "position " << i;
        } else {
          EXPECT_LE(prev, cur) << "position " << i;
        }
      }
      // Two at a time gives the same sequence.
      std::vector<std::string> paged;
      std::string cursor;
      int pages = 0;
      do {
        const auto r = client.get("/api/v1/contracts?limit=2&sort=" + sort +
                                  (cursor.empty() ? "" : "&cursor=" + url_encode(cursor)));
        ASSERT_STATUS(r, 200);
        const auto page = body_of(r);
        for (const auto& id : ids_of(page)) paged.push_back(id);
        cursor =
            page.at("nextCursor").is_null() ? "" : std::string(page.at("nextCursor").as_string());
        ASSERT_LT(++pages, 10);
      } while (!cursor.empty());
      EXPECT_EQ(paged, ids);
    }
  }
  // Title order, spelled out.
  EXPECT_EQ(titles("sort=title").front(), "Alpha NDA");
  EXPECT_EQ(titles("sort=-value&currency=EUR").front(), "Beta supply, 100% guaranteed");
  EXPECT_EQ(titles("sort=value&currency=EUR").front(), "Alpha NDA");
  // Without a currency the order would mix JPY and EUR amounts: refused.
  EXPECT_PROBLEM(client.get("/api/v1/contracts?sort=value"), 400, "/problems/validation");
}

TEST_F(ContractQueryTest, KeysetPaginationIsStableWhileContractsAreAdded) {
  Org org = make_org(shared_server(), {"member"});
  auto member = client_for(shared_server(), org["member"].access_token);
  std::vector<std::string> originals;
  for (int i = 0; i < 6; ++i)
    originals.push_back(
        str(create_contract(member, contract_input("Original " + std::to_string(i))), "id"));

  for (const std::string sort : {"", "createdAt", "title"}) {
    SCOPED_TRACE("sort=" + sort);
    const std::string base = "/api/v1/contracts?limit=3" + (sort.empty() ? "" : "&sort=" + sort);
    const auto first = member.get(base);
    ASSERT_STATUS(first, 200);
    const auto page1 = body_of(first);
    ASSERT_EQ(items_of(page1).size(), 3u);
    ASSERT_TRUE(page1.at("nextCursor").is_string());

    // Others keep working while we read.
    std::vector<std::string> added;
    for (int i = 0; i < 2; ++i)
      added.push_back(
          str(create_contract(member, contract_input("Added " + sort + std::to_string(i))), "id"));

    std::vector<std::string> seen = ids_of(page1);
    std::string cursor(page1.at("nextCursor").as_string());
    while (!cursor.empty()) {
      const auto r = member.get(base + "&cursor=" + url_encode(cursor));
      ASSERT_STATUS(r, 200);
      const auto page = body_of(r);
      for (const auto& id : ids_of(page)) seen.push_back(id);
      cursor =
          page.at("nextCursor").is_null() ? "" : std::string(page.at("nextCursor").as_string());
    }
    const std::set<std::string> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), seen.size()) << "a contract was listed twice";
    for (const auto& id : originals)
      EXPECT_TRUE(unique.count(id)) << "contract " << id << " was skipped";
    for (const auto& id : added) originals.push_back(id);  // they exist for the next round
  }
}

}  // namespace
}  // namespace cm::test::api
