// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/contract_query.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

namespace cm {

const std::vector<std::string>& contract_sort_fields() {
  static const std::vector<std::string> kFields = {"createdAt",     "updatedAt",      "title",
                                                   "effectiveDate", "expirationDate", "value"};
  return kFields;
}

const std::vector<std::string>& contract_statuses() {
  static const std::vector<std::string> kStatuses = {
      "draft",   "in_review",  "approved", "out_for_signature", "active",
      "expired", "terminated", "renewed",  "cancelled"};
  return kStatuses;
}

Result<ContractQuery> parse_contract_query(
    const std::vector<std::pair<std::string, std::string>>& params) {
  ContractQuery q;
  std::vector<FieldError> errors;
  std::optional<std::string_view> limit, sort, cursor, min_value, max_value;
  const auto id_param = [&](const std::string& name, const std::string& value) {
    if (!is_valid_id(value)) errors.push_back({name, "must be an id"});
    return value;
  };
  const auto date_param = [&](const std::string& name, const std::string& value) {
    if (!parse_date(value)) errors.push_back({name, "must be a date in the form YYYY-MM-DD"});
    return value;
  };
  for (const auto& [name, value] : params) {
    if (value.size() > 1000) {
      errors.push_back({name, "is too long"});
    } else if (name == "status") {
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string one(rest.substr(0, comma));
        const auto& all = contract_statuses();
        if (std::find(all.begin(), all.end(), one) == all.end())
          errors.push_back({"status", "unknown status '" + one + "'"});
        else
          q.statuses.push_back(one);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
    } else if (name == "type")
      q.type = value;
    else if (name == "counterpartyId")
      q.counterparty_id = id_param(name, value);
    else if (name == "ownerId")
      q.owner_id = id_param(name, value);
    else if (name == "tag")
      q.tag = value;
    else if (name == "q") {
      if (!value.empty()) q.q = value;
    } else if (name == "expiringBefore")
      q.expiring_before = date_param(name, value);
    else if (name == "expiringAfter")
      q.expiring_after = date_param(name, value);
    else if (name == "minValue")
      min_value = value;
    else if (name == "maxValue")
      max_value = value;
    else if (name == "currency")
      q.currency = value;
    else if (name == "sort")
      sort = value;
    else if (name == "limit")
      limit = value;
    else if (name == "cursor")
      cursor = value;
    else
      errors.push_back({name, "unknown query parameter"});
  }
  if ((min_value || max_value) && !q.currency)
    errors.push_back({"currency", "is required with minValue or maxValue"});
  if (q.currency && !currency_decimals(*q.currency))
    errors.push_back({"currency", "must be an ISO 4217 currency code"});
  else if (q.currency) {
    const auto amount = [&](const char* name,
                            std::string_view text) -> std::optional<std::int64_t> {
      auto r = parse_amount(text, *q.currency);
      if (!r) {
        errors.push_back({name, r.error().fields().front().message});
        return std::nullopt;
      }
      return *r;
    };
    if (min_value) q.min_value_minor = amount("minValue", *min_value);
    if (max_value) q.max_value_minor = amount("maxValue", *max_value);
  }
  auto limit_result = parse_limit(limit);
  if (limit_result)
    q.limit = *limit_result;
  else
    errors.push_back(limit_result.error().fields().front());
  auto sort_result = parse_sort(sort, contract_sort_fields(), q.sort);
  if (sort_result)
    q.sort = *sort_result;
  else
    errors.push_back(sort_result.error().fields().front());
  if (sort_result && q.sort.field == "value" && !q.currency)
    errors.push_back({"sort",
                      "sorting by value needs a currency filter (amounts in different currencies "
                      "do not compare)"});
  if (cursor && sort_result) {
    auto c = decode_cursor(*cursor, q.sort.text());
    if (c)
      q.after = *c;
    else
      errors.push_back(c.error().fields().front());
  }
  if (!errors.empty())
    return Error(ErrorKind::validation, "Invalid query parameters.", std::move(errors));
  return q;
}

}  // namespace cm
