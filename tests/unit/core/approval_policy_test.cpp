// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/approval_policy.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "support/literals.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

constexpr const char* kUser = "0190a1b2-0000-7000-8000-000000000001";

using Lines = std::vector<std::string>;

Lines errors_of(std::string_view body) {
  auto r = parse_policy(test::json_object(body));
  if (r.ok()) {
    ADD_FAILURE() << "accepted: " << body;
    return {};
  }
  EXPECT_EQ(r.error().kind(), ErrorKind::validation);
  Lines out;
  for (const auto& e : r.error().fields()) out.push_back(e.field + ": " + e.message);
  return out;
}

ApprovalPolicy parsed(std::string_view body) {
  auto r = parse_policy(test::json_object(body));
  if (!r.ok()) {
    std::string all;
    for (const auto& e : r.error().fields()) all += e.field + ": " + e.message + "; ";
    ADD_FAILURE() << "rejected: " << body << ": " << all;
    return {};
  }
  return std::move(r).value();
}

// A policy of four rules, each with a one-stage marker so tests can tell which rule won.
const char* kPolicy = R"({
  "name": "Company policy",
  "rules": [
    {"name": "big", "when": {"values": [{"currency": "EUR", "min": "100000.00"},
                                        {"currency": "USD", "min": "120000", "max": "500000"}]},
     "stages": [{"name": "CFO", "approvers": {"roles": ["admin"]}, "mode": "any", "slaDays": 5}]},
    {"name": "us-msa", "when": {"types": ["msa"], "countries": ["US"]},
     "stages": [{"name": "Legal US", "approvers": {"roles": ["manager"]}, "mode": "all",
                 "slaDays": 3}]},
    {"name": "tagged", "when": {"tags": ["strategic", "board"]},
     "stages": [{"name": "Board", "approvers": {"userIds": ["0190a1b2-0000-7000-8000-000000000001"]},
                 "mode": "any", "slaDays": 2}]},
    {"name": "small-nda", "when": {"types": ["nda"], "values": [{"currency": "EUR", "max": "999.99"}]},
     "stages": []}
  ],
  "default": {"name": "standard", "stages": [
    {"name": "Manager", "approvers": {"roles": ["manager"]}, "mode": "any", "slaDays": 3}]}
})";

ContractFacts facts(std::string type, std::optional<Money> value = std::nullopt,
                    std::vector<std::string> countries = {}, std::vector<std::string> tags = {}) {
  return {std::move(type), std::move(value), std::move(countries), std::move(tags)};
}

std::string winner(const ContractFacts& f) {
  static const ApprovalPolicy policy = parsed(kPolicy);
  return select_rule(policy, f).name;
}

TEST(ApprovalPolicyParse, ReadsEveryPart) {
  const auto p = parsed(kPolicy);
  EXPECT_EQ(p.name, "Company policy");
  ASSERT_EQ(p.rules.size(), 4u);
  const auto& big = p.rules[0];
  ASSERT_TRUE(big.when.values);
  ASSERT_EQ(big.when.values->size(), 2u);
  EXPECT_EQ((*big.when.values)[0], (ValueRange{"EUR", 10'000'000, std::nullopt}));
  EXPECT_EQ((*big.when.values)[1], (ValueRange{"USD", 12'000'000, 50'000'000}));
  EXPECT_FALSE(big.when.types);
  const auto& us = p.rules[1];
  EXPECT_EQ(us.when.types, (std::vector<std::string>{"msa"}));
  EXPECT_EQ(us.when.countries, (std::vector<std::string>{"US"}));
  ASSERT_EQ(us.stages.size(), 1u);
  EXPECT_EQ(us.stages[0].mode, ApprovalMode::all);
  EXPECT_EQ(us.stages[0].sla_days, 3);
  EXPECT_EQ(us.stages[0].roles, (std::vector<Role>{Role::manager}));
  EXPECT_EQ(p.rules[2].stages[0].user_ids, (std::vector<std::string>{kUser}));
  EXPECT_TRUE(p.rules[3].stages.empty());
  EXPECT_EQ(p.default_rule.name, "standard");
  EXPECT_FALSE(p.default_rule.when.types || p.default_rule.when.values);
}

TEST(ApprovalPolicyParse, ToJsonParsesBackToTheSamePolicy) {
  const auto p = parsed(kPolicy);
  const auto json = to_json(p);
  EXPECT_EQ(parsed(bj::serialize(json)), p);
  // Amounts are written in the currency's precision, as strings.
  EXPECT_EQ(json.at("rules").as_array()[0].at("when").at("values").as_array()[1].at("min"),
            "120000.00");
  EXPECT_FALSE(json.at("default").as_object().contains("when"));
}

TEST(ApprovalPolicyParse, RequiredFields) {
  EXPECT_EQ(errors_of("{}"),
            (Lines{"name: is required", "rules: is required", "default: is required"}));
  EXPECT_EQ(
      errors_of(R"({"name": "p", "rules": [{"name": "r", "when": {"tags": ["x"]},
      "stages": [{}]}], "default": {"name": "d", "stages": []}})"),
      (Lines{"rules[0].stages[0].name: is required", "rules[0].stages[0].approvers: is required",
             "rules[0].stages[0].mode: is required", "rules[0].stages[0].slaDays: is required"}));
}

TEST(ApprovalPolicyParse, FieldErrorsNameThePath) {
  EXPECT_EQ(errors_of(R"({"name": "p", "id": "x", "extra": 1, "rules": [
      {"name": "r", "when": {"types": [], "countries": ["XX", "de"], "tags": [7], "colour": "red",
       "values": [{"currency": "EUR", "min": 100}, {"currency": "ZZZ", "min": "1"},
                  {"currency": "USD", "min": "5.00", "max": "4.99"}, {"currency": "JPY"},
                  {"currency": "EUR", "min": "1.001"}]},
       "stages": [{"name": "s", "approvers": {"userIds": ["nope"], "roles": ["viewer", "boss"]},
                   "mode": "some", "slaDays": 0}]}],
      "default": {"name": "d", "when": {"tags": ["x"]},
                  "stages": [{"name": "s", "approvers": {}, "mode": "any", "slaDays": 366}]}})"),
            (Lines{
                "rules[0].when.types: must not be empty (omit it instead)",
                "rules[0].when.values[0].min: must be a string such as \"1250.00\" (never a "
                "floating-point number)",
                "rules[0].when.values[1].currency: must be an ISO 4217 currency code such as EUR",
                "rules[0].when.values[2].max: must not be less than min",
                "rules[0].when.values[3]: needs min, max or both",
                "rules[0].when.values[4].min: must have at most 2 decimals for EUR",
                "rules[0].when.countries[0]: must be an ISO 3166-1 alpha-2 code such as DE",
                "rules[0].when.countries[1]: must be an ISO 3166-1 alpha-2 code such as DE",
                "rules[0].when.tags[0]: must be a string",
                "rules[0].when.colour: unknown field",
                "rules[0].stages[0].approvers.userIds[0]: must be a user id",
                "rules[0].stages[0].approvers.roles[0]: viewers cannot approve; use admin, "
                "manager or member",
                "rules[0].stages[0].approvers.roles[1]: must be one of: admin, manager, member",
                "rules[0].stages[0].mode: must be any or all",
                "rules[0].stages[0].slaDays: must be between 1 and 365",
                "default.when: is not allowed on the default rule (it always applies)",
                "default.stages[0].approvers: needs userIds, roles or both",
                "default.stages[0].slaDays: must be between 1 and 365",
                "id: is read-only",
                "extra: unknown field",
            }));
}

TEST(ApprovalPolicyParse, RefusesDuplicateCurrencyNullsAndRuleWithoutCondition) {
  EXPECT_EQ(errors_of(R"({"name": "p", "rules": [
      {"name": "a", "when": {"values": [{"currency": "EUR", "min": "1"},
                                        {"currency": "EUR", "max": "2"}]}, "stages": []},
      {"name": "b", "when": {}, "stages": []},
      {"name": "c", "when": {"tags": null, "values": null}, "stages": []}],
      "default": {"name": "d", "stages": []}})"),
            (Lines{"rules[0].when.values[1].currency: is listed twice",
                   "rules[1].when: needs at least one condition (the default rule covers "
                   "everything else)",
                   "rules[2].when.values: must not be null (omit it instead)",
                   "rules[2].when.tags: must not be null (omit it instead)"}));
}

TEST(ApprovalPolicyParse, Limits) {
  std::string rules;
  for (std::size_t i = 0; i <= kMaxPolicyRules; ++i)
    rules += std::string(i ? "," : "") + R"({"name": "r", "when": {"tags": ["x"]}, "stages": []})";
  EXPECT_EQ(errors_of(R"({"name": "p", "rules": [)" + rules +
                      R"(], "default": {"name": "d", "stages": []}})"),
            (Lines{"rules: must have at most 100 rules"}));
  std::string stages;
  for (std::size_t i = 0; i <= kMaxPolicyStages; ++i)
    stages += std::string(i ? "," : "") +
              R"({"name": "s", "approvers": {"roles": ["admin"]}, "mode": "any", "slaDays": 1})";
  EXPECT_EQ(errors_of(R"({"name": "p", "rules": [], "default": {"name": "d", "stages": [)" +
                      stages + "]}}"),
            (Lines{"default.stages: must have at most 10 stages"}));
}

TEST(ApprovalPolicyParse, ChecksTypesAgainstTheOrganization) {
  const auto p = parsed(kPolicy);
  EXPECT_TRUE(check_policy_types(p, default_contract_types()).empty());
  const auto errors = check_policy_types(p, {"nda", "sow"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "rules[1].when.types[0]");
}

TEST(ApprovalPolicyMatch, DefaultWhenNothingMatches) {
  EXPECT_EQ(winner(facts("sow")), "standard");
  EXPECT_EQ(winner(facts("msa", std::nullopt, {"DE"})), "standard");
}

TEST(ApprovalPolicyMatch, ValueThresholdsAreInclusivePerCurrency) {
  EXPECT_EQ(winner(facts("sow", Money{10'000'000, "EUR"})), "big");  // exactly the minimum
  EXPECT_EQ(winner(facts("sow", Money{9'999'999, "EUR"})), "standard");
  EXPECT_EQ(winner(facts("sow", Money{12'000'000, "USD"})), "big");
  EXPECT_EQ(winner(facts("sow", Money{11'999'999, "USD"})), "standard");
  EXPECT_EQ(winner(facts("sow", Money{50'000'000, "USD"})), "big");  // exactly the maximum
  EXPECT_EQ(winner(facts("sow", Money{50'000'001, "USD"})), "standard");
  // Another currency, however large, does not match a value condition.
  EXPECT_EQ(winner(facts("sow", Money{900'000'000'000, "GBP"})), "standard");
  EXPECT_EQ(winner(facts("nda", Money{99'999, "EUR"})), "small-nda");
  EXPECT_EQ(winner(facts("nda", Money{100'000, "EUR"})), "standard");
  // No value: the NDA rule's value condition does not hold.
  EXPECT_EQ(winner(facts("nda")), "standard");
}

TEST(ApprovalPolicyMatch, AllConditionsOfARuleMustHold) {
  EXPECT_EQ(winner(facts("msa", std::nullopt, {"DE", "US"})), "us-msa");  // any party's country
  EXPECT_EQ(winner(facts("sow", std::nullopt, {"US"})), "standard");      // type differs
  EXPECT_EQ(winner(facts("msa", std::nullopt, {})), "standard");          // no country known
}

TEST(ApprovalPolicyMatch, TagsMatchAnyOf) {
  EXPECT_EQ(winner(facts("sow", std::nullopt, {}, {"it", "board"})), "tagged");
  EXPECT_EQ(winner(facts("sow", std::nullopt, {}, {"Board"})), "standard");  // exact match
  EXPECT_EQ(winner(facts("sow", std::nullopt, {}, {})), "standard");
}

TEST(ApprovalPolicyMatch, FirstMatchingRuleWins) {
  // Matches "big", "us-msa" and "tagged"; the first in order wins.
  const auto all = facts("msa", Money{20'000'000, "EUR"}, {"US"}, {"strategic"});
  EXPECT_EQ(winner(all), "big");
  auto p = parsed(kPolicy);
  std::swap(p.rules[0], p.rules[2]);
  EXPECT_EQ(select_rule(p, all).name, "tagged");
}

TEST(ApprovalPolicyMatch, FactsOfAContract) {
  Contract c;
  c.type = "msa";
  c.value = Money{5, "EUR"};
  c.tags = {"board"};
  const auto f = facts_of(c, {"US"});
  EXPECT_EQ(f.type, "msa");
  EXPECT_EQ(f.value, (Money{5, "EUR"}));
  EXPECT_EQ(f.counterparty_countries, (std::vector<std::string>{"US"}));
  EXPECT_EQ(f.tags, (std::vector<std::string>{"board"}));
  EXPECT_EQ(winner(f), "us-msa");
}

}  // namespace
}  // namespace cm
