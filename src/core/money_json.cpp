// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/money_json.hpp"

#include <string>

namespace cm {

std::optional<std::optional<Money>> read_money(json::ObjectReader& r, std::string_view key) {
  if (!r.has(key)) return std::nullopt;
  if (r.is_null(key)) return std::optional<Money>{};
  const auto* obj = r.object(key);
  if (!obj) return std::nullopt;
  json::ObjectReader inner(*obj, r.field(key) + ".");
  auto currency = inner.string("currency", {.min = 3, .max = 3, .required = true});
  const auto* amount_json = inner.get("amount");
  std::optional<std::string> amount;
  if (!amount_json || amount_json->is_null()) {
    inner.error("amount", "is required");
  } else if (amount_json->is_string()) {
    amount = std::string(amount_json->as_string());
  } else {
    inner.error("amount", "must be a string such as \"1250.00\" (never a floating-point number)");
  }
  if (currency && !currency_decimals(*currency)) {
    inner.error("currency", "must be an ISO 4217 currency code such as EUR");
    currency.reset();
  }
  std::optional<Money> money;
  if (currency && amount) {
    auto minor = parse_amount(*amount, *currency);
    if (minor)
      money = Money{*minor, *currency};
    else
      inner.error("amount", minor.error().fields().front().message);
  }
  for (auto& e : inner.finish()) r.errors().push_back(std::move(e));
  if (!money) return std::nullopt;
  return std::optional<Money>{*money};
}

}  // namespace cm
