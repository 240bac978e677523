// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/contract_query.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cm {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

ContractQuery ok(const Params& params) {
  auto r = parse_contract_query(params);
  if (!r.ok()) {
    std::string all;
    for (const auto& e : r.error().fields()) all += e.field + ": " + e.message + "; ";
    ADD_FAILURE() << all;
    return {};
  }
  return std::move(r).value();
}

// "field: message" of every error.
std::vector<std::string> errors(const Params& params) {
  auto r = parse_contract_query(params);
  if (r.ok()) {
    ADD_FAILURE() << "accepted";
    return {};
  }
  EXPECT_EQ(r.error().kind(), ErrorKind::validation);
  std::vector<std::string> out;
  for (const auto& e : r.error().fields()) out.push_back(e.field + ": " + e.message);
  return out;
}

using Lines = std::vector<std::string>;

TEST(ContractQuery, Defaults) {
  const auto q = ok({});
  EXPECT_TRUE(q.statuses.empty());
  EXPECT_FALSE(q.type);
  EXPECT_FALSE(q.counterparty_id);
  EXPECT_FALSE(q.owner_id);
  EXPECT_FALSE(q.tag);
  EXPECT_FALSE(q.q);
  EXPECT_FALSE(q.expiring_before);
  EXPECT_FALSE(q.expiring_after);
  EXPECT_FALSE(q.min_value_minor);
  EXPECT_FALSE(q.max_value_minor);
  EXPECT_FALSE(q.currency);
  EXPECT_EQ(q.sort.text(), "-createdAt");
  EXPECT_EQ(q.limit, 50);
  EXPECT_FALSE(q.after);
}

TEST(ContractQuery, StatusList) {
  EXPECT_EQ(ok({{"status", "draft"}}).statuses, (std::vector<std::string>{"draft"}));
  EXPECT_EQ(ok({{"status", "active,expired"}}).statuses,
            (std::vector<std::string>{"active", "expired"}));
  EXPECT_EQ(ok({{"status", "active"}, {"status", "renewed"}}).statuses,
            (std::vector<std::string>{"active", "renewed"}));
  for (const auto& s : contract_statuses()) EXPECT_EQ(ok({{"status", s}}).statuses.size(), 1u);
  EXPECT_EQ(errors({{"status", "active,bogus"}}), (Lines{"status: unknown status 'bogus'"}));
  EXPECT_EQ(errors({{"status", "Active"}}), (Lines{"status: unknown status 'Active'"}));
  EXPECT_EQ(errors({{"status", ",active"}}), (Lines{"status: unknown status ''"}));
}

TEST(ContractQuery, SimpleStringFilters) {
  const auto q = ok({{"type", "nda"}, {"tag", "urgent"}, {"q", "Acme"}});
  EXPECT_EQ(q.type, "nda");
  EXPECT_EQ(q.tag, "urgent");
  EXPECT_EQ(q.q, "Acme");
  EXPECT_FALSE(ok({{"q", ""}}).q);  // empty search is no filter
}

TEST(ContractQuery, IdFilters) {
  const auto q = ok({{"counterpartyId", kId}, {"ownerId", kId}});
  EXPECT_EQ(q.counterparty_id, kId);
  EXPECT_EQ(q.owner_id, kId);
  EXPECT_EQ(errors({{"counterpartyId", "acme"}}), (Lines{"counterpartyId: must be an id"}));
  EXPECT_EQ(errors({{"ownerId", "1' OR '1'='1"}}), (Lines{"ownerId: must be an id"}));
}

TEST(ContractQuery, DateFilters) {
  const auto q = ok({{"expiringBefore", "2025-01-01"}, {"expiringAfter", "2024-02-29"}});
  EXPECT_EQ(q.expiring_before, "2025-01-01");
  EXPECT_EQ(q.expiring_after, "2024-02-29");
  EXPECT_EQ(errors({{"expiringBefore", "2023-02-29"}}),
            (Lines{"expiringBefore: must be a date in the form YYYY-MM-DD"}));
  EXPECT_EQ(errors({{"expiringAfter", "tomorrow"}}),
            (Lines{"expiringAfter: must be a date in the form YYYY-MM-DD"}));
}

TEST(ContractQuery, ValueFiltersUseTheCurrencyPrecision) {
  const auto q = ok({{"minValue", "1000"}, {"maxValue", "2500.5"}, {"currency", "EUR"}});
  EXPECT_EQ(q.currency, "EUR");
  EXPECT_EQ(q.min_value_minor, 100'000);
  EXPECT_EQ(q.max_value_minor, 250'050);
  EXPECT_EQ(ok({{"minValue", "1000"}, {"currency", "JPY"}}).min_value_minor, 1000);
  // Order of parameters does not matter.
  EXPECT_EQ(ok({{"currency", "KWD"}, {"maxValue", "1.5"}}).max_value_minor, 1500);
  // A currency alone is accepted (note: the store only applies it together with a bound).
  EXPECT_EQ(ok({{"currency", "USD"}}).currency, "USD");
}

TEST(ContractQuery, ValueFilterErrors) {
  EXPECT_EQ(errors({{"minValue", "10"}}),
            (Lines{"currency: is required with minValue or maxValue"}));
  EXPECT_EQ(errors({{"maxValue", "10"}}),
            (Lines{"currency: is required with minValue or maxValue"}));
  EXPECT_EQ(errors({{"currency", "XXX"}}), (Lines{"currency: must be an ISO 4217 currency code"}));
  EXPECT_EQ(errors({{"minValue", "1.234"}, {"currency", "EUR"}}),
            (Lines{"minValue: must have at most 2 decimals for EUR"}));
  EXPECT_EQ(errors({{"maxValue", "-5"}, {"currency", "EUR"}}),
            (Lines{"maxValue: must not be negative"}));
  EXPECT_EQ(errors({{"minValue", "ten"}, {"currency", "EUR"}}),
            (Lines{"minValue: must be a decimal number such as \"1250.00\""}));
}

TEST(ContractQuery, UnknownParametersAreRejected) {
  EXPECT_EQ(errors({{"stauts", "active"}}), (Lines{"stauts: unknown query parameter"}));
  EXPECT_EQ(errors({{"offset", "10"}}), (Lines{"offset: unknown query parameter"}));
  EXPECT_EQ(errors({{"", ""}}), (Lines{": unknown query parameter"}));
}

TEST(ContractQuery, OverlongValuesAreRejected) {
  EXPECT_EQ(errors({{"q", std::string(1001, 'a')}}), (Lines{"q: is too long"}));
  EXPECT_EQ(ok({{"q", std::string(1000, 'a')}}).q->size(), 1000u);
}

TEST(ContractQuery, LimitBounds) {
  EXPECT_EQ(ok({{"limit", "1"}}).limit, 1);
  EXPECT_EQ(ok({{"limit", "200"}}).limit, 200);
  for (const char* bad : {"0", "201", "-1", "abc", "", "5 "}) {
    EXPECT_EQ(errors({{"limit", bad}}), (Lines{"limit: must be an integer from 1 to 200"})) << bad;
  }
}

TEST(ContractQuery, SortParsing) {
  for (const auto& field : contract_sort_fields()) {
    // Sorting by value is only meaningful within one currency, so give one.
    EXPECT_EQ(ok({{"sort", field}, {"currency", "EUR"}}).sort.text(), field);
    EXPECT_EQ(ok({{"sort", "-" + field}, {"currency", "EUR"}}).sort.text(), "-" + field);
  }
  const auto q = ok({{"sort", "-expirationDate"}});
  EXPECT_EQ(q.sort.field, "expirationDate");
  EXPECT_TRUE(q.sort.descending);
  const auto e = errors({{"sort", "status"}});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.front().rfind("sort: must be one of createdAt, updatedAt, title", 0), 0u)
      << e.front();
}

TEST(ContractQuery, CursorMustMatchTheSort) {
  const auto cursor = encode_cursor({"title", std::string("Acme NDA"), kId});
  const auto q = ok({{"sort", "title"}, {"cursor", cursor}});
  ASSERT_TRUE(q.after);
  EXPECT_EQ(q.after->key, SortKey(std::string("Acme NDA")));
  EXPECT_EQ(q.after->id, kId);
  // The same cursor with another sort, or with the default sort, is refused.
  EXPECT_EQ(errors({{"sort", "-title"}, {"cursor", cursor}}),
            (Lines{"cursor: is invalid or was made for another sort order"}));
  EXPECT_EQ(errors({{"cursor", cursor}}),
            (Lines{"cursor: is invalid or was made for another sort order"}));
  // The default sort's cursor works without an explicit sort parameter.
  const auto by_created = encode_cursor({"-createdAt", std::int64_t{1'700'000'000'000}, kId});
  EXPECT_TRUE(ok({{"cursor", by_created}}).after);
  EXPECT_EQ(errors({{"cursor", "garbage"}}),
            (Lines{"cursor: is invalid or was made for another sort order"}));
}

TEST(ContractQuery, CursorIsNotCheckedAgainstAnInvalidSort) {
  const auto cursor = encode_cursor({"title", std::string("a"), kId});
  const auto e = errors({{"sort", "nope"}, {"cursor", cursor}});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.front().rfind("sort:", 0), 0u);
}

TEST(ContractQuery, ReportsEveryErrorAtOnce) {
  const auto e = errors({{"limit", "0"},
                         {"sort", "bogus"},
                         {"ownerId", "x"},
                         {"expiringBefore", "x"},
                         {"bogus", "1"},
                         {"minValue", "1"}});
  std::set<std::string> fields;
  for (const auto& line : e) fields.insert(line.substr(0, line.find(':')));
  EXPECT_EQ(fields, (std::set<std::string>{"limit", "sort", "ownerId", "expiringBefore", "bogus",
                                           "currency"}));
}

}  // namespace
}  // namespace cm
