// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/contract.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/literals.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

constexpr const char* kCp1 = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
constexpr const char* kCp2 = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
constexpr const char* kContractOwner = "0190a1b2-0000-7000-8000-000000000001";

std::vector<std::string> describe(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field + ": " + e.message);
  return out;
}

using Lines = std::vector<std::string>;

// The field errors of a body that must fail to parse.
Lines errors_of(std::string_view body, ChangeMode mode) {
  auto r = parse_contract_changes(test::json_object(body), mode);
  if (r.ok()) {
    ADD_FAILURE() << "accepted: " << body;
    return {};
  }
  EXPECT_EQ(r.error().kind(), ErrorKind::validation);
  return describe(r.error().fields());
}

ContractChanges parsed(std::string_view body, ChangeMode mode) {
  auto r = parse_contract_changes(test::json_object(body), mode);
  if (!r.ok()) {
    std::string all;
    for (const auto& line : describe(r.error().fields())) all += line + "; ";
    ADD_FAILURE() << "rejected: " << body << ": " << r.error().detail() << " " << all;
    return {};
  }
  return std::move(r).value();
}

std::string full_body() {
  return std::string(R"({
    "title": "  Master services agreement  ",
    "type": "msa",
    "description": "Framework for consulting work.",
    "parties": [{"counterpartyId": ")") +
         kCp1 + R"(", "role": "supplier"}, {"counterpartyId": ")" + kCp2 +
         R"(", "role": "customer"}],
    "ownerId": ")" +
         kContractOwner +
         R"(",
    "value": {"amount": "125000.5", "currency": "EUR"},
    "effectiveDate": "2024-01-01",
    "expirationDate": "2025-12-31",
    "autoRenew": true,
    "renewalTermMonths": 12,
    "noticePeriodDays": 90,
    "tags": ["it", "consulting"],
    "customFields": {"costCenter": "CC-42", "priority": 2, "confidential": true}
  })";
}

TEST(ContractParse, CreateWithEveryField) {
  const auto c = parsed(full_body(), ChangeMode::create);
  EXPECT_EQ(c.title, "Master services agreement");  // trimmed
  EXPECT_EQ(c.type, "msa");
  EXPECT_EQ(c.description, "Framework for consulting work.");
  ASSERT_TRUE(c.parties);
  EXPECT_EQ(*c.parties, (std::vector<ContractParty>{{kCp1, "supplier"}, {kCp2, "customer"}}));
  EXPECT_EQ(c.owner_id, kContractOwner);
  ASSERT_TRUE(c.value && *c.value);
  EXPECT_EQ(**c.value, (Money{12'500'050, "EUR"}));
  EXPECT_EQ(c.effective_date, std::optional<std::string>("2024-01-01"));
  EXPECT_EQ(c.expiration_date, std::optional<std::string>("2025-12-31"));
  EXPECT_EQ(c.auto_renew, true);
  EXPECT_EQ(c.renewal_term_months, std::optional<int>(12));
  EXPECT_EQ(c.notice_period_days, std::optional<int>(90));
  EXPECT_EQ(c.tags, (std::vector<std::string>{"it", "consulting"}));
  ASSERT_TRUE(c.custom_fields);
  EXPECT_EQ(c.custom_fields->at("costCenter").as_string(), "CC-42");
  EXPECT_EQ(c.custom_fields->at("priority").as_int64(), 2);
}

TEST(ContractParse, CreateRequiresATitle) {
  EXPECT_EQ(errors_of(R"({"type": "nda"})", ChangeMode::create), (Lines{"title: is required"}));
  EXPECT_EQ(errors_of(R"({"title": null})", ChangeMode::create), (Lines{"title: is required"}));
  const auto minimal = parsed(R"({"title": "NDA"})", ChangeMode::create);
  EXPECT_EQ(minimal.title, "NDA");
  EXPECT_FALSE(minimal.type);
  EXPECT_FALSE(minimal.value);
  EXPECT_FALSE(minimal.tags);
}

TEST(ContractParse, UpdateOnlyCarriesGivenFields) {
  const auto c = parsed(R"({"noticePeriodDays": 30})", ChangeMode::update);
  EXPECT_FALSE(c.title);
  EXPECT_FALSE(c.type);
  EXPECT_FALSE(c.description);
  EXPECT_FALSE(c.parties);
  EXPECT_FALSE(c.value);
  EXPECT_FALSE(c.effective_date);
  EXPECT_FALSE(c.auto_renew);
  EXPECT_EQ(c.notice_period_days, std::optional<std::optional<int>>(30));
  EXPECT_FALSE(c.empty());
}

TEST(ContractParse, UpdateMustChangeSomething) {
  auto r = parse_contract_changes(test::json_object("{}"), ChangeMode::update);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::validation);
  EXPECT_EQ(r.error().detail(), "The request changes nothing.");
  // A create with no title fails for the title, not for being empty.
  EXPECT_EQ(errors_of("{}", ChangeMode::create), (Lines{"title: is required"}));
}

TEST(ContractParse, UpdateRejectsNullTitle) {
  EXPECT_EQ(errors_of(R"({"title": null})", ChangeMode::update),
            (Lines{"title: must not be null"}));
}

TEST(ContractParse, NullClearsNullableFieldsOnUpdate) {
  const auto c = parsed(R"({"value": null, "effectiveDate": null, "expirationDate": null,
                            "renewalTermMonths": null, "noticePeriodDays": null,
                            "customFields": null, "description": null})",
                        ChangeMode::update);
  ASSERT_TRUE(c.value);
  EXPECT_FALSE(*c.value);
  ASSERT_TRUE(c.effective_date);
  EXPECT_FALSE(*c.effective_date);
  ASSERT_TRUE(c.expiration_date);
  EXPECT_FALSE(*c.expiration_date);
  ASSERT_TRUE(c.renewal_term_months);
  EXPECT_FALSE(*c.renewal_term_months);
  ASSERT_TRUE(c.notice_period_days);
  EXPECT_FALSE(*c.notice_period_days);
  ASSERT_TRUE(c.custom_fields);
  EXPECT_TRUE(c.custom_fields->empty());
  EXPECT_EQ(c.description, std::optional<std::string>(""));

  Contract k;
  k.value = Money{100, "EUR"};
  k.effective_date = "2024-01-01";
  k.expiration_date = "2025-01-01";
  k.renewal_term_months = 12;
  k.notice_period_days = 30;
  k.custom_fields = test::json_object(R"({"a": 1})");
  k.description = "old";
  apply_changes(k, c);
  EXPECT_FALSE(k.value);
  EXPECT_FALSE(k.effective_date);
  EXPECT_FALSE(k.expiration_date);
  EXPECT_FALSE(k.renewal_term_months);
  EXPECT_FALSE(k.notice_period_days);
  EXPECT_TRUE(k.custom_fields.empty());
  EXPECT_EQ(k.description, "");
}

TEST(ContractParse, ReadOnlyFieldsAreRejected) {
  for (const char* field :
       {"id", "status", "version", "createdAt", "updatedAt", "createdBy", "orgId"}) {
    for (auto mode : {ChangeMode::create, ChangeMode::update}) {
      const std::string body = std::string(R"({"title": "x", ")") + field + R"(": "v"})";
      EXPECT_EQ(errors_of(body, mode), (Lines{std::string(field) + ": is read-only"})) << body;
    }
  }
}

TEST(ContractParse, UnknownFieldsAreRejected) {
  EXPECT_EQ(errors_of(R"({"title": "x", "titel": "y"})", ChangeMode::create),
            (Lines{"titel: unknown field"}));
}

TEST(ContractParse, TitleRules) {
  EXPECT_EQ(errors_of(R"({"title": "   "})", ChangeMode::create),
            (Lines{"title: must not be empty"}));
  EXPECT_EQ(errors_of(R"({"title": 5})", ChangeMode::create), (Lines{"title: must be a string"}));
  const std::string at_limit = R"({"title": ")" + std::string(300, 'a') + R"("})";
  EXPECT_EQ(parsed(at_limit, ChangeMode::create).title, std::string(300, 'a'));
  const std::string too_long = R"({"title": ")" + std::string(301, 'a') + R"("})";
  EXPECT_EQ(errors_of(too_long, ChangeMode::create),
            (Lines{"title: must be at most 300 characters"}));
  // Limits count code points: 300 × "é" (600 bytes) is fine.
  std::string accents;
  for (int i = 0; i < 300; ++i) accents += "\xc3\xa9";
  EXPECT_TRUE(parsed(R"({"title": ")" + accents + R"("})", ChangeMode::create).title);
}

TEST(ContractParse, TypeAndDescriptionRules) {
  EXPECT_EQ(errors_of(R"({"title": "x", "type": ""})", ChangeMode::create),
            (Lines{"type: must not be empty"}));
  EXPECT_EQ(
      errors_of(R"({"title": "x", "type": ")" + std::string(51, 't') + R"("})", ChangeMode::create),
      (Lines{"type: must be at most 50 characters"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "description": ")" + std::string(10'001, 'd') + R"("})",
                      ChangeMode::create),
            (Lines{"description: must be at most 10000 characters"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "description": []})", ChangeMode::create),
            (Lines{"description: must be a string"}));
}

TEST(ContractParse, OwnerMustBeAnId) {
  EXPECT_EQ(errors_of(R"({"title": "x", "ownerId": "alice"})", ChangeMode::create),
            (Lines{"ownerId: must be a user id"}));
}

TEST(ContractParse, PartiesRules) {
  const std::string cp = kCp1;
  EXPECT_EQ(errors_of(R"({"title": "x", "parties": {}})", ChangeMode::create),
            (Lines{"parties: must be an array"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "parties": [1]})", ChangeMode::create),
            (Lines{"parties[0]: must be an object"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "parties": [{"role": "buyer"}]})", ChangeMode::create),
            (Lines{"parties[0].counterpartyId: is required"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "parties": [{"counterpartyId": ")" + cp + R"("}]})",
                      ChangeMode::create),
            (Lines{"parties[0].role: is required"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "parties": [{"counterpartyId": "nope", "role": "b"}]})",
                      ChangeMode::create),
            (Lines{"parties[0].counterpartyId: must be a counterparty id"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "parties": [{"counterpartyId": ")" + cp +
                          R"(", "role": "b"}, {"counterpartyId": ")" + cp +
                          R"(", "role": "b", "share": 5}]})",
                      ChangeMode::create),
            (Lines{"parties[1].share: unknown field"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "parties": [{"counterpartyId": ")" + cp +
                          R"(", "role": ")" + std::string(51, 'r') + R"("}]})",
                      ChangeMode::create),
            (Lines{"parties[0].role: must be at most 50 characters"}));
  std::string many = R"({"title": "x", "parties": [)";
  for (std::size_t i = 0; i <= kMaxParties; ++i)
    many += std::string(i ? "," : "") + R"({"counterpartyId": ")" + cp + R"(", "role": "r)" +
            std::to_string(i) + R"("})";
  many += "]}";
  EXPECT_EQ(errors_of(many, ChangeMode::create), (Lines{"parties: must have at most 50 entries"}));
}

TEST(ContractParse, PartiesAreDeduplicatedByCounterpartyAndRole) {
  const std::string cp1 = kCp1, cp2 = kCp2;
  const auto c = parsed(R"({"title": "x", "parties": [
      {"counterpartyId": ")" +
                            cp1 + R"(", "role": "supplier"},
      {"counterpartyId": ")" +
                            cp1 + R"(", "role": " supplier "},
      {"counterpartyId": ")" +
                            cp1 + R"(", "role": "guarantor"},
      {"counterpartyId": ")" +
                            cp2 + R"(", "role": "supplier"}]})",
                        ChangeMode::create);
  ASSERT_TRUE(c.parties);
  EXPECT_EQ(*c.parties,
            (std::vector<ContractParty>{{cp1, "supplier"}, {cp1, "guarantor"}, {cp2, "supplier"}}));
  // An empty list is allowed (clears the parties).
  const auto cleared = parsed(R"({"parties": []})", ChangeMode::update);
  ASSERT_TRUE(cleared.parties);
  EXPECT_TRUE(cleared.parties->empty());
}

TEST(ContractParse, ValueRules) {
  const auto mode = ChangeMode::create;
  EXPECT_EQ(errors_of(R"({"title": "x", "value": "100 EUR"})", mode),
            (Lines{"value: must be an object"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "value": {"currency": "EUR"}})", mode),
            (Lines{"value.amount: is required"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "value": {"amount": "1"}})", mode),
            (Lines{"value.currency: is required"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "value": {"amount": 100.5, "currency": "EUR"}})", mode),
            (Lines{"value.amount: must be a string such as \"1250.00\" (never a floating-point "
                   "number)"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "value": {"amount": "1", "currency": "XXX"}})", mode),
            (Lines{"value.currency: must be an ISO 4217 currency code such as EUR"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "value": {"amount": "1", "currency": "EURO"}})", mode),
            (Lines{"value.currency: must be at most 3 characters"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "value": {"amount": "1.234", "currency": "EUR"}})", mode),
            (Lines{"value.amount: must have at most 2 decimals for EUR"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "value": {"amount": "-1", "currency": "EUR"}})", mode),
            (Lines{"value.amount: must not be negative"}));
  EXPECT_EQ(
      errors_of(R"({"title": "x", "value": {"amount": "1", "currency": "EUR", "fx": 1}})", mode),
      (Lines{"value.fx: unknown field"}));
  const auto yen =
      parsed(R"({"title": "x", "value": {"amount": "5000", "currency": "JPY"}})", mode);
  ASSERT_TRUE(yen.value && *yen.value);
  EXPECT_EQ(**yen.value, (Money{5000, "JPY"}));
}

TEST(ContractParse, DateRules) {
  const auto mode = ChangeMode::create;
  for (const char* bad : {"2023-02-29", "2024-13-01", "01/02/2024", "", "2024-1-1"}) {
    EXPECT_EQ(errors_of(R"({"title": "x", "effectiveDate": ")" + std::string(bad) + R"("})", mode),
              (Lines{"effectiveDate: must be a date in the form YYYY-MM-DD"}))
        << bad;
  }
  EXPECT_EQ(errors_of(R"({"title": "x", "expirationDate": "2024-01-01T00:00:00Z"})", mode),
            (Lines{"expirationDate: must be a date in the form YYYY-MM-DD"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "expirationDate": 20240101})", mode),
            (Lines{"expirationDate: must be a string"}));
  const auto leap = parsed(R"({"title": "x", "expirationDate": "2024-02-29"})", mode);
  EXPECT_EQ(leap.expiration_date, std::optional<std::optional<std::string>>("2024-02-29"));
}

TEST(ContractParse, RenewalAndNoticeRules) {
  const auto mode = ChangeMode::create;
  EXPECT_EQ(errors_of(R"({"title": "x", "autoRenew": "yes"})", mode),
            (Lines{"autoRenew: must be true or false"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "renewalTermMonths": 0})", mode),
            (Lines{"renewalTermMonths: must be between 1 and 120"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "renewalTermMonths": 121})", mode),
            (Lines{"renewalTermMonths: must be between 1 and 120"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "renewalTermMonths": 1.5})", mode),
            (Lines{"renewalTermMonths: must be an integer"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "noticePeriodDays": -1})", mode),
            (Lines{"noticePeriodDays: must be between 0 and 3650"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "noticePeriodDays": 3651})", mode),
            (Lines{"noticePeriodDays: must be between 0 and 3650"}));
  const auto edges = parsed(
      R"({"title": "x", "renewalTermMonths": 120, "noticePeriodDays": 0, "autoRenew": false})",
      mode);
  EXPECT_EQ(edges.renewal_term_months, std::optional<std::optional<int>>(120));
  EXPECT_EQ(edges.notice_period_days, std::optional<std::optional<int>>(0));
  EXPECT_EQ(edges.auto_renew, false);
}

TEST(ContractParse, TagsAreTrimmedAndDeduplicated) {
  const auto c =
      parsed(R"({"title": "x", "tags": ["b", " a ", "b", "a", "c"]})", ChangeMode::create);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"b", "a", "c"}));
}

TEST(ContractParse, TagRules) {
  const auto mode = ChangeMode::create;
  EXPECT_EQ(errors_of(R"({"title": "x", "tags": "a,b"})", mode), (Lines{"tags: must be an array"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "tags": ["ok", 1, "  "]})", mode),
            (Lines{"tags[1]: must be a string", "tags[2]: must be 1-50 characters"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "tags": [")" + std::string(51, 't') + R"("]})", mode),
            (Lines{"tags[0]: must be 1-50 characters"}));
  std::string many = R"({"title": "x", "tags": [)";
  for (std::size_t i = 0; i <= kMaxTags; ++i)
    many += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
  many += "]}";
  EXPECT_EQ(errors_of(many, mode), (Lines{"tags: must have at most 50 tags"}));
}

TEST(ContractParse, CustomFieldRules) {
  const auto mode = ChangeMode::create;
  EXPECT_EQ(errors_of(R"({"title": "x", "customFields": []})", mode),
            (Lines{"customFields: must be an object"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "customFields": {"bad key": 1}})", mode),
            (Lines{"customFields.bad key: names must be 1-64 letters, digits or underscores"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "customFields": {"nested": {"a": 1}}})", mode),
            (Lines{"customFields.nested: must be a string, number, boolean or date"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "customFields": {"list": [1]}})", mode),
            (Lines{"customFields.list: must be a string, number, boolean or date"}));
  EXPECT_EQ(errors_of(R"({"title": "x", "customFields": {"n": null}})", mode),
            (Lines{"customFields.n: must be a string, number, boolean or date"}));
  EXPECT_EQ(
      errors_of(R"({"title": "x", "customFields": {"s": ")" + std::string(1001, 's') + R"("}})",
                mode),
      (Lines{"customFields.s: must be at most 1000 characters"}));
  EXPECT_EQ(
      errors_of(R"({"title": "x", "customFields": {")" + std::string(65, 'k') + R"(": 1}})", mode)
          .size(),
      1u);
  std::string many = R"({"title": "x", "customFields": {)";
  for (std::size_t i = 0; i <= kMaxCustomFields; ++i)
    many += (i ? ",\"f" : "\"f") + std::to_string(i) + "\": 1";
  many += "}}";
  EXPECT_EQ(errors_of(many, mode), (Lines{"customFields: must have at most 50 fields"}));
}

TEST(ContractParse, ReportsEveryErrorAtOnce) {
  const auto errors = errors_of(
      R"({"title": "", "ownerId": "x", "noticePeriodDays": -5, "bogus": 1, "status": "active"})",
      ChangeMode::create);
  const std::set<std::string> got(errors.begin(), errors.end());
  EXPECT_EQ(got, (std::set<std::string>{"title: must not be empty", "ownerId: must be a user id",
                                        "noticePeriodDays: must be between 0 and 3650",
                                        "bogus: unknown field", "status: is read-only"}));
}

TEST(ContractApply, OnlyGivenFieldsChange) {
  Contract k;
  k.title = "Old";
  k.type = "nda";
  k.tags = {"keep"};
  k.owner_id = kContractOwner;
  k.value = Money{100, "EUR"};
  const auto c =
      parsed(R"({"title": "New", "autoRenew": true, "renewalTermMonths": 6})", ChangeMode::update);
  apply_changes(k, c);
  EXPECT_EQ(k.title, "New");
  EXPECT_EQ(k.type, "nda");
  EXPECT_EQ(k.tags, (std::vector<std::string>{"keep"}));
  EXPECT_EQ(k.owner_id, kContractOwner);
  EXPECT_EQ(k.value, (Money{100, "EUR"}));
  EXPECT_TRUE(k.auto_renew);
  EXPECT_EQ(k.renewal_term_months, 6);
}

Contract valid_contract() {
  Contract k;
  k.title = "T";
  k.type = "nda";
  k.effective_date = "2024-01-01";
  k.expiration_date = "2024-12-31";
  return k;
}

TEST(ContractValidate, ValidContractHasNoErrors) {
  EXPECT_TRUE(validate_contract(valid_contract(), default_contract_types()).empty());
  auto same_day = valid_contract();
  same_day.expiration_date = same_day.effective_date;
  EXPECT_TRUE(validate_contract(same_day, default_contract_types()).empty());
  auto open_ended = valid_contract();
  open_ended.expiration_date.reset();
  EXPECT_TRUE(validate_contract(open_ended, default_contract_types()).empty());
}

TEST(ContractValidate, TypeMustBeAllowedForTheOrganization) {
  auto k = valid_contract();
  k.type = "lease";
  EXPECT_TRUE(validate_contract(k, default_contract_types()).empty());
  EXPECT_EQ(describe(validate_contract(k, {"nda", "msa"})),
            (Lines{"type: must be one of: nda, msa"}));
  k.type = "NDA";
  EXPECT_EQ(validate_contract(k, default_contract_types()).size(), 1u);
}

TEST(ContractValidate, ExpirationMustNotPrecedeEffective) {
  auto k = valid_contract();
  k.effective_date = "2025-01-01";
  k.expiration_date = "2024-12-31";
  EXPECT_EQ(describe(validate_contract(k, default_contract_types())),
            (Lines{"expirationDate: must not be before effectiveDate"}));
}

TEST(ContractValidate, AutoRenewNeedsARenewalTerm) {
  auto k = valid_contract();
  k.auto_renew = true;
  EXPECT_EQ(describe(validate_contract(k, default_contract_types())),
            (Lines{"renewalTermMonths: is required when autoRenew is true"}));
  k.renewal_term_months = 12;
  EXPECT_TRUE(validate_contract(k, default_contract_types()).empty());
}

TEST(ContractValidate, PatchCannotSneakInAnEarlierExpiration) {
  auto k = valid_contract();
  const auto c = parsed(R"({"expirationDate": "2023-06-30"})", ChangeMode::update);
  apply_changes(k, c);
  EXPECT_EQ(describe(validate_contract(k, default_contract_types())),
            (Lines{"expirationDate: must not be before effectiveDate"}));
}

TEST(ContractJson, Shape) {
  Contract k;
  k.id = "0190a1b2-0000-7000-8000-0000000000aa";
  k.org_id = "0190a1b2-0000-7000-8000-0000000000bb";
  k.title = "MSA";
  k.type = "msa";
  k.status = "active";
  k.description = "d";
  k.parties = {{kCp1, "supplier"}};
  k.owner_id = kContractOwner;
  k.value = Money{12'500'050, "EUR"};
  k.effective_date = "2024-01-01";
  k.auto_renew = true;
  k.renewal_term_months = 12;
  k.tags = {"a", "b"};
  k.custom_fields = test::json_object(R"({"x": 1})");
  k.version = 3;
  k.created_at = 1'700'000'000'123;
  k.updated_at = 1'700'000'001'000;
  k.created_by = kContractOwner;
  const auto j = to_json(k);

  std::set<std::string> keys;
  for (const auto& kv : j) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"id",
                                         "title",
                                         "type",
                                         "status",
                                         "description",
                                         "parties",
                                         "ownerId",
                                         "value",
                                         "effectiveDate",
                                         "expirationDate",
                                         "autoRenew",
                                         "legalHold",
                                         "renewalTermMonths",
                                         "noticePeriodDays",
                                         "tags",
                                         "customFields",
                                         "version",
                                         "createdAt",
                                         "updatedAt",
                                         "createdBy",
                                         "activatedAt",
                                         "terminatedAt",
                                         "terminationReason",
                                         "signedAt",
                                         "renewalCount",
                                         "archived",
                                         "terminationEffectiveDate",
                                         "parentId",
                                         "relation",
                                         "appliesToParent"}));
  EXPECT_EQ(j.at("id").as_string(), k.id);
  EXPECT_EQ(j.at("status").as_string(), "active");
  EXPECT_EQ(bj::serialize(j.at("parties")),
            std::string(R"([{"counterpartyId":")") + kCp1 + R"(","role":"supplier"}])");
  EXPECT_EQ(j.at("value"), bj::parse(R"({"amount": "125000.50", "currency": "EUR"})"));
  EXPECT_EQ(j.at("effectiveDate").as_string(), "2024-01-01");
  EXPECT_TRUE(j.at("expirationDate").is_null());
  EXPECT_EQ(j.at("autoRenew").as_bool(), true);
  EXPECT_EQ(j.at("renewalTermMonths").as_int64(), 12);
  EXPECT_TRUE(j.at("noticePeriodDays").is_null());
  EXPECT_EQ(j.at("tags"), bj::parse(R"(["a", "b"])"));
  EXPECT_EQ(j.at("customFields"), bj::parse(R"({"x": 1})"));
  EXPECT_EQ(j.at("version").as_int64(), 3);
  EXPECT_EQ(j.at("createdAt").as_string(), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(j.at("updatedAt").as_string(), "2023-11-14T22:13:21.000Z");

  Contract bare;
  EXPECT_TRUE(to_json(bare).at("value").is_null());
  EXPECT_TRUE(to_json(bare).at("parties").as_array().empty());
}

TEST(ContractJson, ParsedOutputRoundTripsThroughTheParser) {
  // A contract's JSON, minus read-only fields, is accepted back as an update.
  Contract k;
  apply_changes(k, parsed(full_body(), ChangeMode::create));
  auto j = to_json(k);
  for (const char* ro : {"id", "status", "version", "createdAt", "updatedAt", "createdBy",
                         "activatedAt", "terminatedAt", "terminationReason", "signedAt",
                         "renewalCount", "archived", "terminationEffectiveDate"})
    j.erase(ro);
  const auto again = parsed(bj::serialize(j), ChangeMode::update);
  Contract k2;
  apply_changes(k2, again);
  EXPECT_EQ(bj::serialize(to_json(k2)), bj::serialize(to_json(k)));
}

TEST(ContractRelations, ParentAndRelationGoTogetherAndOnlyAmendmentsApplyTerms) {
  const std::vector<std::string> types = default_contract_types();
  Contract k;
  k.id = "c2";
  k.owner_id = kContractOwner;
  k.parent_id = "c1";
  auto missing_relation = validate_contract(k, types);
  ASSERT_EQ(missing_relation.size(), 1u);
  EXPECT_EQ(missing_relation[0].field, "relation");
  k.relation = "sow";
  EXPECT_TRUE(validate_contract(k, types).empty());
  k.applies_to_parent = {"value"};
  EXPECT_FALSE(validate_contract(k, types).empty());  // a sow does not amend
  k.relation = "amendment";
  auto no_value = validate_contract(k, types);  // applies a value it does not have
  ASSERT_EQ(no_value.size(), 1u);
  EXPECT_EQ(no_value[0].field, "appliesToParent");
  k.value = Money{100, "EUR"};
  EXPECT_TRUE(validate_contract(k, types).empty());
  k.parent_id = "c2";
  EXPECT_FALSE(validate_contract(k, types).empty());  // its own parent

  EXPECT_FALSE(
      parse_contract_changes(test::json_object(R"({"relation": "spouse"})"), ChangeMode::update)
          .ok());
  EXPECT_FALSE(parse_contract_changes(test::json_object(R"({"appliesToParent": ["title"]})"),
                                      ChangeMode::update)
                   .ok());
  EXPECT_FALSE(
      parse_contract_changes(test::json_object(R"({"parentId": "nope"})"), ChangeMode::update)
          .ok());
  auto ok = parse_contract_changes(
      test::json_object(
          R"({"parentId": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "relation": "amendment",
              "appliesToParent": ["expirationDate", "value", "value"]})"),
      ChangeMode::update);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok->applies_to_parent, (std::vector<std::string>{"expirationDate", "value"}));
}

TEST(ContractTypes, DefaultsIncludeOther) {
  const auto& types = default_contract_types();
  EXPECT_NE(std::find(types.begin(), types.end(), "other"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), Contract{}.type), types.end());
}

}  // namespace
}  // namespace cm

TEST(ContractParse, NullIsRefusedForFieldsThatAlwaysHaveAValue) {
  for (const char* field : {"title", "type", "ownerId", "autoRenew", "parties", "tags"}) {
    SCOPED_TRACE(field);
    boost::json::object body{{field, nullptr}};
    auto result = cm::parse_contract_changes(body, cm::ChangeMode::update);
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.error().fields().size(), 1u);
    EXPECT_EQ(result.error().fields().front().field, field);
    EXPECT_EQ(result.error().fields().front().message, "must not be null");
  }
}
