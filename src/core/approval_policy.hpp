// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Approval policies: which people must approve a contract before it may be signed. Pure domain
// code (no I/O); storage and the API wrap it.
//
// A policy is an ordered list of rules plus a default rule. The first rule whose conditions all
// hold for the contract wins; otherwise the default applies. Each rule yields stages that run one
// after the other; each stage names its approvers (user ids and/or roles), a mode (`any`: one
// approval completes the stage; `all`: every eligible approver must approve) and an SLA in days.
// A rule with no stages means "no approval needed" (submitting approves at once).
//
// Wire shape (request and response; `to_json` output parses back to the same policy):
// {
//   "name": "Standard policy",
//   "rules": [
//     { "name": "Large EUR/USD deals",
//       "when": {                                   // every given condition must hold
//         "types": ["msa", "sow"],                  // contract type is one of these
//         "values": [                               // the contract's value is in its currency's
//           {"currency": "EUR", "min": "100000.00"},  //   range; min and max are both inclusive
//           {"currency": "USD", "min": "120000.00", "max": "999999.99"}
//         ],                                        //   and optional (at least one of them)
//         "countries": ["US", "GB"],                // some party's country is one of these
//         "tags": ["strategic"]                     // the contract has any of these tags
//       },
//       "stages": [
//         { "name": "Finance", "approvers": {"userIds": ["<uuid>"], "roles": ["manager"]},
//           "mode": "all", "slaDays": 3 }
//       ] }
//   ],
//   "default": { "name": "Everything else", "stages": [ ... ] }
// }
// Amounts are decimal strings in the currency's precision, as for contract values; a contract
// without a value, or with a value in a currency the rule does not list, does not match a
// `values` condition. Omitted conditions match everything; empty lists are refused (omit them),
// and so is a rule without any condition (the default rule is the catch-all).
// Roles are admin, manager, member (viewers cannot approve). Matching of types, tags and
// countries is exact (countries are ISO 3166-1 alpha-2, upper case).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/contract.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"

namespace cm {

inline constexpr std::size_t kMaxPolicyRules = 100;
inline constexpr std::size_t kMaxPolicyStages = 10;
inline constexpr std::size_t kMaxStageApprovers = 50;
inline constexpr std::size_t kMaxConditionItems = 50;
inline constexpr int kMaxSlaDays = 365;

enum class ApprovalMode { any, all };
std::string_view to_string(ApprovalMode mode) noexcept;
std::optional<ApprovalMode> parse_approval_mode(std::string_view text) noexcept;

// A stage as the policy describes it; approvers are resolved to people when an approval starts.
struct StageTemplate {
  std::string name;
  std::vector<std::string> user_ids;
  std::vector<Role> roles;
  ApprovalMode mode = ApprovalMode::any;
  int sla_days = 3;
  bool operator==(const StageTemplate&) const = default;
};

// Value range in one currency, in minor units; both bounds inclusive, each optional.
struct ValueRange {
  std::string currency;
  std::optional<std::int64_t> min_minor;
  std::optional<std::int64_t> max_minor;
  bool operator==(const ValueRange&) const = default;
};

// Absent (nullopt) conditions match everything.
struct RuleConditions {
  std::optional<std::vector<std::string>> types;
  std::optional<std::vector<ValueRange>> values;
  std::optional<std::vector<std::string>> countries;
  std::optional<std::vector<std::string>> tags;
  bool operator==(const RuleConditions&) const = default;
};

struct ApprovalRule {
  std::string name;
  RuleConditions when;  // always empty for the default rule
  std::vector<StageTemplate> stages;
  bool operator==(const ApprovalRule&) const = default;
};

struct ApprovalPolicy {
  std::string name;
  std::vector<ApprovalRule> rules;
  ApprovalRule default_rule;
  bool operator==(const ApprovalPolicy&) const = default;
};

// What matching needs to know about a contract. The countries are those of the contract's
// parties (counterparties), looked up by the caller; parties without a country add nothing.
struct ContractFacts {
  std::string type;
  std::optional<Money> value;
  std::vector<std::string> counterparty_countries;
  std::vector<std::string> tags;
};

ContractFacts facts_of(const Contract& contract, std::vector<std::string> counterparty_countries);

// Strict: unknown fields, wrong types, bad ids, currencies, countries and roles, min > max,
// duplicate currencies, limits. Errors are ErrorKind::validation with paths such as
// `rules[1].stages[0].slaDays`. Read-only fields (id, orgId, version, createdAt, updatedAt) are
// refused; storage adds them.
Result<ApprovalPolicy> parse_policy(const boost::json::object& body);
boost::json::object to_json(const ApprovalPolicy& policy);
boost::json::object to_json(const ApprovalRule& rule);

// Field errors for rule types the organization does not use (`rules[0].when.types[1]`).
std::vector<FieldError> check_policy_types(const ApprovalPolicy& policy,
                                           const std::vector<std::string>& allowed_types);

bool rule_matches(const RuleConditions& when, const ContractFacts& facts);
// The first matching rule, else the policy's default rule. The reference lives as long as the
// policy; copy it (start_approval does) before the policy can change.
const ApprovalRule& select_rule(const ApprovalPolicy& policy, const ContractFacts& facts);

}  // namespace cm
