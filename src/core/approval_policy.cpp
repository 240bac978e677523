// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/approval_policy.hpp"

#include <algorithm>

#include "core/counterparty.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace cm {

namespace bj = boost::json;
using json::ObjectReader;

std::string_view to_string(ApprovalMode mode) noexcept {
  return mode == ApprovalMode::all ? "all" : "any";
}

std::optional<ApprovalMode> parse_approval_mode(std::string_view text) noexcept {
  if (text == "any") return ApprovalMode::any;
  if (text == "all") return ApprovalMode::all;
  return std::nullopt;
}

ContractFacts facts_of(const Contract& contract, std::vector<std::string> counterparty_countries) {
  return {contract.type, contract.value, std::move(counterparty_countries), contract.tags};
}

namespace {

std::string indexed(std::string_view key, std::size_t i) {
  return std::string(key) + "[" + std::to_string(i) + "]";
}

// A non-empty, bounded list of strings, each checked by `valid` (which returns an error message
// or empty). Duplicates are dropped. nullopt: absent or invalid (errors recorded).
template <class Check>
std::optional<std::vector<std::string>> read_string_list(ObjectReader& r, std::string_view key,
                                                         std::size_t max_items,
                                                         std::size_t max_length, Check valid) {
  if (!r.has(key)) return std::nullopt;
  if (r.is_null(key)) {
    r.error(key, "must not be null (omit it instead)");
    return std::nullopt;
  }
  const auto* arr = r.array(key, true);
  if (!arr) return std::nullopt;
  if (arr->empty()) {
    r.error(key, "must not be empty (omit it instead)");
    return std::nullopt;
  }
  if (arr->size() > max_items) {
    r.error(key, "must have at most " + std::to_string(max_items) + " entries");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    std::string text = v.is_string() ? std::string(trim(std::string_view(v.as_string()))) : "";
    std::string problem;
    if (!v.is_string())
      problem = "must be a string";
    else if (text.empty() || !utf8::is_valid(text) || utf8::length(text) > max_length)
      problem = "must be 1-" + std::to_string(max_length) + " characters";
    else
      problem = valid(text);
    if (!problem.empty()) {
      r.error(indexed(key, i), std::move(problem));
      ok = false;
      continue;
    }
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::string any_text(const std::string&) {
  return {};
}

std::optional<std::int64_t> read_amount(ObjectReader& r, std::string_view key,
                                        const std::optional<std::string>& currency) {
  const auto* v = r.get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    r.error(key, "must be a string such as \"1250.00\" (never a floating-point number)");
    return std::nullopt;
  }
  if (!currency) return std::nullopt;  // the currency error is already recorded
  auto minor = parse_amount(std::string_view(v->as_string()), *currency);
  if (!minor) {
    r.error(key, minor.error().fields().empty() ? minor.error().detail()
                                                : minor.error().fields().front().message);
    return std::nullopt;
  }
  return *minor;
}

std::optional<std::vector<ValueRange>> read_values(ObjectReader& r) {
  if (!r.has("values")) return std::nullopt;
  if (r.is_null("values")) {
    r.error("values", "must not be null (omit it instead)");
    return std::nullopt;
  }
  const auto* arr = r.array("values", true);
  if (!arr) return std::nullopt;
  if (arr->empty()) {
    r.error("values", "must not be empty (omit it instead)");
    return std::nullopt;
  }
  if (arr->size() > kMaxConditionItems) {
    r.error("values", "must have at most " + std::to_string(kMaxConditionItems) + " entries");
    return std::nullopt;
  }
  std::vector<ValueRange> ranges;
  const auto errors_before = r.errors().size();
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string key = indexed("values", i);
    if (!(*arr)[i].is_object()) {
      r.error(key, "must be an object");
      continue;
    }
    ObjectReader item((*arr)[i].as_object(), r.field(key + "."));
    auto currency = item.string("currency", {.min = 3, .max = 3, .required = true});
    if (currency && !currency_decimals(*currency)) {
      item.error("currency", "must be an ISO 4217 currency code such as EUR");
      currency.reset();
    }
    ValueRange range;
    range.min_minor = read_amount(item, "min", currency);
    range.max_minor = read_amount(item, "max", currency);
    bool range_ok = true;
    if (item.errors().empty()) {
      if (!range.min_minor && !range.max_minor) {
        r.error(key, "needs min, max or both");
        range_ok = false;
      } else if (range.min_minor && range.max_minor && *range.min_minor > *range.max_minor)
        item.error("max", "must not be less than min");
    }
    if (currency) {
      range.currency = *currency;
      const bool duplicate = std::any_of(ranges.begin(), ranges.end(), [&](const ValueRange& x) {
        return x.currency == *currency;
      });
      if (duplicate) item.error("currency", "is listed twice");
    }
    auto errs = item.finish();
    if (errs.empty() && range_ok) ranges.push_back(std::move(range));
    for (auto& e : errs) r.errors().push_back(std::move(e));
  }
  if (r.errors().size() != errors_before) return std::nullopt;
  return ranges;
}

RuleConditions read_conditions(ObjectReader& r) {
  RuleConditions c;
  c.types = read_string_list(r, "types", kMaxConditionItems, 50, any_text);
  c.values = read_values(r);
  c.countries =
      read_string_list(r, "countries", 250, 2, [](const std::string& code) -> std::string {
        return is_country_code(code) ? "" : "must be an ISO 3166-1 alpha-2 code such as DE";
      });
  c.tags = read_string_list(r, "tags", kMaxConditionItems, 50, any_text);
  return c;
}

std::optional<StageTemplate> read_stage(ObjectReader& r) {
  StageTemplate s;
  const auto errors_before = r.errors().size();
  s.name = r.string("name", {.min = 1, .max = 200, .required = true}).value_or("");
  if (const auto* approvers = r.object("approvers", true)) {
    ObjectReader a(*approvers, r.field("approvers."));
    s.user_ids = read_string_list(a, "userIds", kMaxStageApprovers, 36,
                                  [](const std::string& id) -> std::string {
                                    return is_valid_id(id) ? "" : "must be a user id";
                                  })
                     .value_or(std::vector<std::string>{});
    const auto roles =
        read_string_list(a, "roles", 3, 20, [](const std::string& text) -> std::string {
          const auto role = parse_role(text);
          if (!role) return "must be one of: admin, manager, member";
          if (*role == Role::viewer) return "viewers cannot approve; use admin, manager or member";
          return "";
        });
    if (roles)
      for (const auto& text : *roles) s.roles.push_back(*parse_role(text));
    auto errs = a.finish();
    if (errs.empty() && s.user_ids.empty() && s.roles.empty())
      errs.push_back({r.field("approvers"), "needs userIds, roles or both"});
    for (auto& e : errs) r.errors().push_back(std::move(e));
  }
  if (auto mode_text = r.string("mode", {.min = 1, .max = 10, .required = true})) {
    if (auto mode = parse_approval_mode(*mode_text))
      s.mode = *mode;
    else
      r.error("mode", "must be any or all");
  }
  if (auto sla = r.integer("slaDays", 1, kMaxSlaDays, true)) s.sla_days = static_cast<int>(*sla);
  if (r.errors().size() != errors_before) return std::nullopt;
  return s;
}

ApprovalRule read_rule(ObjectReader& r, bool is_default) {
  ApprovalRule rule;
  rule.name = r.string("name", {.min = 1, .max = 200, .required = true}).value_or("");
  if (is_default) {
    if (r.has("when")) r.error("when", "is not allowed on the default rule (it always applies)");
  } else if (const auto* when = r.object("when", true)) {
    ObjectReader w(*when, r.field("when."));
    rule.when = read_conditions(w);
    auto errs = w.finish();
    const auto& c = rule.when;
    if (errs.empty() && !c.types && !c.values && !c.countries && !c.tags)
      r.error("when", "needs at least one condition (the default rule covers everything else)");
    for (auto& e : errs) r.errors().push_back(std::move(e));
  }
  if (const auto* stages = r.array("stages", true)) {
    if (stages->size() > kMaxPolicyStages) {
      r.error("stages", "must have at most " + std::to_string(kMaxPolicyStages) + " stages");
    } else {
      for (std::size_t i = 0; i < stages->size(); ++i) {
        const std::string key = indexed("stages", i);
        if (!(*stages)[i].is_object()) {
          r.error(key, "must be an object");
          continue;
        }
        ObjectReader s((*stages)[i].as_object(), r.field(key + "."));
        auto stage = read_stage(s);
        for (auto& e : s.finish()) r.errors().push_back(std::move(e));
        if (stage) rule.stages.push_back(std::move(*stage));
      }
    }
  }
  return rule;
}

bj::object stage_to_json(const StageTemplate& s) {
  bj::object approvers;
  if (!s.user_ids.empty()) approvers["userIds"] = json::string_array(s.user_ids);
  if (!s.roles.empty()) {
    bj::array roles;
    for (auto role : s.roles) roles.push_back(bj::string(to_string(role)));
    approvers["roles"] = std::move(roles);
  }
  return {{"name", s.name},
          {"approvers", std::move(approvers)},
          {"mode", to_string(s.mode)},
          {"slaDays", s.sla_days}};
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool any_in(const std::vector<std::string>& have, const std::vector<std::string>& wanted) {
  return std::any_of(have.begin(), have.end(),
                     [&](const std::string& item) { return contains(wanted, item); });
}

bool value_matches(const std::vector<ValueRange>& ranges, const std::optional<Money>& value) {
  if (!value) return false;
  return std::any_of(ranges.begin(), ranges.end(), [&](const ValueRange& range) {
    return range.currency == value->currency &&
           (!range.min_minor || value->minor >= *range.min_minor) &&
           (!range.max_minor || value->minor <= *range.max_minor);
  });
}

}  // namespace

Result<ApprovalPolicy> parse_policy(const bj::object& body) {
  ObjectReader r(body);
  ApprovalPolicy policy;
  policy.name = r.string("name", {.min = 1, .max = 200, .required = true}).value_or("");
  if (const auto* rules = r.array("rules", true)) {
    if (rules->size() > kMaxPolicyRules) {
      r.error("rules", "must have at most " + std::to_string(kMaxPolicyRules) + " rules");
    } else {
      for (std::size_t i = 0; i < rules->size(); ++i) {
        const std::string key = indexed("rules", i);
        if (!(*rules)[i].is_object()) {
          r.error(key, "must be an object");
          continue;
        }
        ObjectReader rule_reader((*rules)[i].as_object(), r.field(key + "."));
        auto rule = read_rule(rule_reader, false);
        for (auto& e : rule_reader.finish()) r.errors().push_back(std::move(e));
        policy.rules.push_back(std::move(rule));
      }
    }
  }
  if (const auto* def = r.object("default", true)) {
    ObjectReader d(*def, "default.");
    policy.default_rule = read_rule(d, true);
    for (auto& e : d.finish()) r.errors().push_back(std::move(e));
  }
  r.refuse({"id", "orgId", "version", "createdAt", "updatedAt"});
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  return policy;
}

bj::object to_json(const ApprovalRule& rule) {
  bj::object out{{"name", rule.name}};
  const auto& w = rule.when;
  if (w.types || w.values || w.countries || w.tags) {
    bj::object when;
    if (w.types) when["types"] = json::string_array(*w.types);
    if (w.values) {
      bj::array values;
      for (const auto& v : *w.values) {
        bj::object range{{"currency", v.currency}};
        if (v.min_minor) range["min"] = format_amount(*v.min_minor, v.currency);
        if (v.max_minor) range["max"] = format_amount(*v.max_minor, v.currency);
        values.push_back(std::move(range));
      }
      when["values"] = std::move(values);
    }
    if (w.countries) when["countries"] = json::string_array(*w.countries);
    if (w.tags) when["tags"] = json::string_array(*w.tags);
    out["when"] = std::move(when);
  }
  bj::array stages;
  for (const auto& s : rule.stages) stages.push_back(stage_to_json(s));
  out["stages"] = std::move(stages);
  return out;
}

bj::object to_json(const ApprovalPolicy& policy) {
  bj::array rules;
  for (const auto& rule : policy.rules) rules.push_back(to_json(rule));
  return {{"name", policy.name},
          {"rules", std::move(rules)},
          {"default", to_json(policy.default_rule)}};
}

std::vector<FieldError> check_policy_types(const ApprovalPolicy& policy,
                                           const std::vector<std::string>& allowed_types) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const auto& types = policy.rules[i].when.types;
    if (!types) continue;
    for (std::size_t k = 0; k < types->size(); ++k)
      if (!contains(allowed_types, (*types)[k]))
        errors.push_back({indexed("rules", i) + ".when." + indexed("types", k),
                          "is not a contract type of this organization"});
  }
  return errors;
}

bool rule_matches(const RuleConditions& when, const ContractFacts& facts) {
  if (when.types && !contains(*when.types, facts.type)) return false;
  if (when.values && !value_matches(*when.values, facts.value)) return false;
  if (when.countries && !any_in(facts.counterparty_countries, *when.countries)) return false;
  if (when.tags && !any_in(facts.tags, *when.tags)) return false;
  return true;
}

const ApprovalRule& select_rule(const ApprovalPolicy& policy, const ContractFacts& facts) {
  for (const auto& rule : policy.rules)
    if (rule_matches(rule.when, facts)) return rule;
  return policy.default_rule;
}

}  // namespace cm
