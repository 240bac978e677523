// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Reading a money object {"amount": "1250.00", "currency": "EUR"} from a request, shared by every
// resource that has one (contract value, obligation amount).

#include <optional>
#include <string_view>

#include "core/json.hpp"
#include "core/money.hpp"

namespace cm {

// Absent: nullopt. null: an empty optional (clear it). Otherwise the parsed Money, or nullopt
// with field errors recorded under `key.amount` / `key.currency`: the amount must be a decimal
// string with at most the currency's minor digits (never a floating-point number), the currency
// an ISO 4217 code.
std::optional<std::optional<Money>> read_money(json::ObjectReader& r, std::string_view key);

}  // namespace cm
