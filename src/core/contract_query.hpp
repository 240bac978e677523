// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The contract list filters, parsed from the query string and validated before any SQL runs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pagination.hpp"
#include "core/result.hpp"

namespace cm {

struct ContractQuery {
  std::vector<std::string> statuses;
  std::optional<std::string> type;
  std::optional<std::string> counterparty_id;
  std::optional<std::string> owner_id;
  std::optional<std::string> tag;
  std::optional<std::string> q;                // title substring, case-insensitive for ASCII
  std::optional<std::string> expiring_before;  // YYYY-MM-DD, exclusive
  std::optional<std::string> expiring_after;   // YYYY-MM-DD, exclusive
  std::optional<std::int64_t> min_value_minor;
  std::optional<std::int64_t> max_value_minor;
  std::optional<std::string> currency;
  SortSpec sort{"createdAt", true};
  int limit = kDefaultLimit;
  std::optional<Cursor> after;
};

const std::vector<std::string>& contract_sort_fields();
const std::vector<std::string>& contract_statuses();

Result<ContractQuery> parse_contract_query(
    const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace cm
