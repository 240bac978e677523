// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/contract.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/money_json.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "core/utf8.hpp"

namespace cm {

namespace bj = boost::json;

const std::vector<std::string>& default_contract_types() {
  static const std::vector<std::string> kTypes = {
      "nda",        "msa",   "sow",     "purchase",    "sales", "service",
      "employment", "lease", "license", "partnership", "other"};
  return kTypes;
}

bool ContractChanges::empty() const noexcept {
  return !title && !type && !description && !parties && !owner_id && !value && !effective_date &&
         !expiration_date && !auto_renew && !renewal_term_months && !notice_period_days && !tags &&
         !custom_fields && !legal_hold && !parent_id && !relation && !applies_to_parent;
}

namespace {

using json::ObjectReader;

std::optional<std::optional<std::string>> read_date_text(ObjectReader& r, std::string_view key) {
  if (!r.has(key)) return std::nullopt;
  if (r.is_null(key)) return std::optional<std::string>{};
  auto text = r.string(key, {.min = 0, .max = 100});
  if (!text) return std::nullopt;
  if (!parse_date(*text)) {
    r.error(key, "must be a date in the form YYYY-MM-DD");
    return std::nullopt;
  }
  return std::optional<std::string>{*text};
}

std::optional<std::optional<Money>> read_value(ObjectReader& r) {
  return read_money(r, "value");
}

std::optional<std::vector<ContractParty>> read_parties(ObjectReader& r) {
  const auto* arr = r.array("parties");
  if (!arr) return std::nullopt;
  if (arr->size() > kMaxParties) {
    r.error("parties", "must have at most " + std::to_string(kMaxParties) + " entries");
    return std::nullopt;
  }
  std::vector<ContractParty> parties;
  const auto errors_before = r.errors().size();
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string prefix = "parties[" + std::to_string(i) + "].";
    if (!(*arr)[i].is_object()) {
      r.errors().push_back({r.field("parties[" + std::to_string(i) + "]"), "must be an object"});
      continue;
    }
    ObjectReader item((*arr)[i].as_object(), r.field(prefix));
    auto cp = item.string("counterpartyId", {.min = 1, .max = 36, .required = true});
    auto role = item.string("role", {.min = 1, .max = 50, .required = true});
    if (cp && !is_valid_id(*cp)) item.error("counterpartyId", "must be a counterparty id");
    auto errs = item.finish();
    if (errs.empty() && cp && role) {
      const bool duplicate = std::any_of(
          parties.begin(), parties.end(),
          [&](const ContractParty& p) { return p.counterparty_id == *cp && p.role == *role; });
      if (!duplicate) parties.push_back({*cp, *role});
    }
    for (auto& e : errs) r.errors().push_back(std::move(e));
  }
  if (r.errors().size() != errors_before) return std::nullopt;
  return parties;
}

std::optional<std::vector<std::string>> read_tags(ObjectReader& r) {
  const auto* arr = r.array("tags");
  if (!arr) return std::nullopt;
  if (arr->size() > kMaxTags) {
    r.error("tags", "must have at most " + std::to_string(kMaxTags) + " tags");
    return std::nullopt;
  }
  std::vector<std::string> tags;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    const std::string key = "tags[" + std::to_string(i) + "]";
    if (!v.is_string()) {
      r.errors().push_back({r.field(key), "must be a string"});
      continue;
    }
    std::string tag(trim(std::string_view(v.as_string())));
    if (tag.empty() || utf8::length(tag) > 50 || !utf8::is_valid(tag)) {
      r.errors().push_back({r.field(key), "must be 1-50 characters"});
      continue;
    }
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  }
  return tags;
}

bool is_custom_field_key(std::string_view key) {
  return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<bj::object> read_custom_fields(ObjectReader& r) {
  if (!r.has("customFields")) return std::nullopt;
  if (r.is_null("customFields")) return bj::object{};
  const auto* obj = r.object("customFields");
  if (!obj) return std::nullopt;
  if (obj->size() > kMaxCustomFields) {
    r.error("customFields", "must have at most " + std::to_string(kMaxCustomFields) + " fields");
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& kv : *obj) {
    const std::string field = "customFields." + std::string(kv.key());
    if (!is_custom_field_key(kv.key())) {
      r.errors().push_back({r.field(field), "names must be 1-64 letters, digits or underscores"});
      ok = false;
      continue;
    }
    const auto& v = kv.value();
    const bool scalar = v.is_string() || v.is_number() || v.is_bool();
    if (!scalar) {
      r.errors().push_back({r.field(field), "must be a string, number, boolean or date"});
      ok = false;
    } else if (v.is_string() &&
               (utf8::length(v.as_string()) > 1000 || !utf8::is_valid(v.as_string()))) {
      r.errors().push_back({r.field(field), "must be at most 1000 characters"});
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return *obj;
}

std::optional<std::optional<std::string>> read_parent_id(ObjectReader& r) {
  if (!r.has("parentId")) return std::nullopt;
  if (r.is_null("parentId")) return std::optional<std::string>{};
  auto id = r.string("parentId", {.min = 1, .max = 36});
  if (!id) return std::nullopt;
  if (!is_valid_id(*id)) {
    r.error("parentId", "must be a contract id");
    return std::nullopt;
  }
  return std::optional<std::string>{*id};
}

std::optional<std::optional<std::string>> read_relation(ObjectReader& r) {
  if (!r.has("relation")) return std::nullopt;
  if (r.is_null("relation")) return std::optional<std::string>{};
  auto text = r.string("relation", {.min = 1, .max = 20});
  if (!text) return std::nullopt;
  if (std::find(std::begin(kContractRelations), std::end(kContractRelations), *text) ==
      std::end(kContractRelations)) {
    r.error("relation", "must be one of: amendment, sow, renewal, addendum, order");
    return std::nullopt;
  }
  return std::optional<std::string>{*text};
}

std::optional<std::vector<std::string>> read_applies_to_parent(ObjectReader& r) {
  const auto* arr = r.array("appliesToParent");
  if (!arr) return std::nullopt;
  std::vector<std::string> terms;
  for (const auto& v : *arr) {
    const bool known =
        v.is_string() && std::find(std::begin(kAmendableTerms), std::end(kAmendableTerms),
                                   std::string_view(v.as_string())) != std::end(kAmendableTerms);
    if (!known) {
      r.error("appliesToParent", "entries must be \"value\" or \"expirationDate\"");
      return std::nullopt;
    }
    if (std::find(terms.begin(), terms.end(), v.as_string()) == terms.end())
      terms.emplace_back(v.as_string());
  }
  return terms;
}

}  // namespace

Result<ContractChanges> parse_contract_changes(const bj::object& body, ChangeMode mode) {
  ObjectReader r(body);
  const bool creating = mode == ChangeMode::create;
  ContractChanges c;
  c.title = r.string("title", {.min = 1, .max = 300, .required = creating});
  // null means "clear" only for optional fields; these always have a value.
  for (const char* non_nullable :
       {"title", "type", "ownerId", "autoRenew", "parties", "tags", "legalHold", "appliesToParent"})
    if (!creating && r.is_null(non_nullable)) r.error(non_nullable, "must not be null");
  c.type = r.string("type", {.min = 1, .max = 50});
  if (r.has("description")) c.description = r.string("description", {.max = 10'000}).value_or("");
  if (r.has("parties")) c.parties = read_parties(r);
  c.owner_id = r.string("ownerId", {.min = 1, .max = 36});
  if (c.owner_id && !is_valid_id(*c.owner_id)) r.error("ownerId", "must be a user id");
  c.value = read_value(r);
  c.effective_date = read_date_text(r, "effectiveDate");
  c.expiration_date = read_date_text(r, "expirationDate");
  c.auto_renew = r.boolean("autoRenew");
  c.legal_hold = r.boolean("legalHold");
  c.renewal_term_months = r.nullable_int("renewalTermMonths", 1, 120);
  c.notice_period_days = r.nullable_int("noticePeriodDays", 0, 3650);
  if (r.has("tags")) c.tags = read_tags(r);
  c.custom_fields = read_custom_fields(r);
  c.parent_id = read_parent_id(r);
  c.relation = read_relation(r);
  if (r.has("appliesToParent")) c.applies_to_parent = read_applies_to_parent(r);
  r.refuse({"terminationEffectiveDate", "id", "status", "version", "createdAt", "updatedAt",
            "createdBy", "orgId", "activatedAt", "terminatedAt", "terminationReason", "signedAt",
            "renewalCount", "archived", "noticeDeadline", "daysToExpiry"});
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  if (!creating && c.empty()) return nothing_to_change();
  return c;
}

void apply_changes(Contract& k, const ContractChanges& c) {
  if (c.title) k.title = *c.title;
  if (c.type) k.type = *c.type;
  if (c.description) k.description = *c.description;
  if (c.parties) k.parties = *c.parties;
  if (c.owner_id) k.owner_id = *c.owner_id;
  if (c.value) k.value = *c.value;
  if (c.effective_date) k.effective_date = *c.effective_date;
  if (c.expiration_date) k.expiration_date = *c.expiration_date;
  if (c.auto_renew) k.auto_renew = *c.auto_renew;
  if (c.legal_hold) k.legal_hold = *c.legal_hold;
  if (c.renewal_term_months) k.renewal_term_months = *c.renewal_term_months;
  if (c.notice_period_days) k.notice_period_days = *c.notice_period_days;
  if (c.tags) k.tags = *c.tags;
  if (c.custom_fields) k.custom_fields = *c.custom_fields;
  if (c.parent_id) k.parent_id = *c.parent_id;
  if (c.relation) k.relation = *c.relation;
  if (c.applies_to_parent) k.applies_to_parent = *c.applies_to_parent;
}

std::vector<FieldError> validate_contract(const Contract& k,
                                          const std::vector<std::string>& allowed_types) {
  std::vector<FieldError> errors;
  if (std::find(allowed_types.begin(), allowed_types.end(), k.type) == allowed_types.end()) {
    std::string list;
    for (const auto& t : allowed_types) list += (list.empty() ? "" : ", ") + t;
    errors.push_back({"type", "must be one of: " + list});
  }
  if (k.effective_date && k.expiration_date && *k.effective_date > *k.expiration_date)
    errors.push_back({"expirationDate", "must not be before effectiveDate"});
  if (k.auto_renew && !k.renewal_term_months)
    errors.push_back({"renewalTermMonths", "is required when autoRenew is true"});
  if (k.parent_id && !k.relation)
    errors.push_back({"relation", "is required when parentId is set"});
  if (!k.parent_id && k.relation) errors.push_back({"parentId", "is required with a relation"});
  if (k.parent_id && *k.parent_id == k.id)
    errors.push_back({"parentId", "must not be the contract itself"});
  if (!k.applies_to_parent.empty() && k.relation != "amendment")
    errors.push_back({"appliesToParent", "is only for contracts whose relation is amendment"});
  for (const auto& term : k.applies_to_parent) {
    if (term == "value" && !k.value)
      errors.push_back({"appliesToParent", "applies value, but the amendment has no value"});
    if (term == "expirationDate" && !k.expiration_date)
      errors.push_back(
          {"appliesToParent", "applies expirationDate, but the amendment has no expirationDate"});
  }
  return errors;
}

bj::value money_to_json(const std::optional<Money>& value) {
  if (!value) return nullptr;
  return bj::object{{"amount", format_amount(value->minor, value->currency)},
                    {"currency", value->currency}};
}

bj::object to_json(const Contract& k) {
  bj::array parties;
  for (const auto& p : k.parties)
    parties.push_back(bj::object{{"counterpartyId", p.counterparty_id}, {"role", p.role}});
  bj::array tags;
  for (const auto& t : k.tags) tags.push_back(bj::string(t));
  bj::array applies;
  for (const auto& t : k.applies_to_parent) applies.push_back(bj::string(t));
  const auto opt_string = [](const std::optional<std::string>& s) -> bj::value {
    return s ? bj::value(bj::string(*s)) : bj::value(nullptr);
  };
  const auto opt_int = [](const std::optional<int>& i) -> bj::value {
    return i ? bj::value(*i) : bj::value(nullptr);
  };
  const auto opt_instant = [](const std::optional<std::int64_t>& t) -> bj::value {
    return t ? bj::value(bj::string(format_rfc3339(*t))) : bj::value(nullptr);
  };
  return bj::object{
      {"id", k.id},
      {"title", k.title},
      {"type", k.type},
      {"status", k.status},
      {"description", k.description},
      {"parties", std::move(parties)},
      {"ownerId", k.owner_id},
      {"value", money_to_json(k.value)},
      {"effectiveDate", opt_string(k.effective_date)},
      {"expirationDate", opt_string(k.expiration_date)},
      {"autoRenew", k.auto_renew},
      {"legalHold", k.legal_hold},
      {"renewalTermMonths", opt_int(k.renewal_term_months)},
      {"noticePeriodDays", opt_int(k.notice_period_days)},
      {"tags", std::move(tags)},
      {"customFields", k.custom_fields},
      {"version", k.version},
      {"createdAt", format_rfc3339(k.created_at)},
      {"updatedAt", format_rfc3339(k.updated_at)},
      {"createdBy", k.created_by},
      {"activatedAt", opt_instant(k.activated_at)},
      {"terminatedAt", opt_instant(k.terminated_at)},
      {"terminationReason", opt_string(k.termination_reason)},
      {"signedAt", opt_instant(k.signed_at)},
      {"renewalCount", k.renewal_count},
      {"archived", k.archived},
      {"terminationEffectiveDate", opt_string(k.termination_effective_date)},
      {"parentId", opt_string(k.parent_id)},
      {"relation", opt_string(k.relation)},
      {"appliesToParent", std::move(applies)},
  };
}

}  // namespace cm
