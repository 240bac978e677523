// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Money is an integer number of minor units plus an ISO 4217 code; never floating point.
// On the wire: {"amount": "125000.00", "currency": "EUR"}, with exactly the currency's decimals
// (fewer are accepted and padded: "125000" and "125000.5" mean 125000.00 and 125000.50).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cm {

struct Money {
  std::int64_t minor = 0;
  std::string currency;
  bool operator==(const Money&) const = default;
};

// The number of decimals of an active ISO 4217 currency, or nullopt for an unknown code.
std::optional<int> currency_decimals(std::string_view code) noexcept;

// Parses a non-negative decimal amount in the currency's precision. Errors describe the problem
// for a field error message ("must have at most 2 decimals for EUR").
Result<std::int64_t> parse_amount(std::string_view amount, std::string_view currency);
std::string format_amount(std::int64_t minor, std::string_view currency);

}  // namespace cm
