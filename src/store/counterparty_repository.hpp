// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/counterparty.hpp"
#include "core/pagination.hpp"
#include "store/database.hpp"

namespace cm::store {

class CounterpartyRepository {
 public:
  explicit CounterpartyRepository(Connection& conn) : conn_(conn) {}

  void insert(const Counterparty& c);
  std::optional<Counterparty> find(std::string_view org_id, std::string_view id);
  // Ordered by name; `q` filters by a case-insensitive name substring.
  std::vector<Counterparty> list(std::string_view org_id, const std::optional<std::string>& q,
                                 int limit, const std::optional<Cursor>& after);
  // False when the version is stale (or the row is gone).
  bool update(const Counterparty& c, std::int64_t expected_version);
  bool is_referenced(std::string_view org_id, std::string_view id);
  bool remove(std::string_view org_id, std::string_view id);
  // Which of the ids exist in the organization.
  std::vector<std::string> existing_ids(std::string_view org_id,
                                        const std::vector<std::string>& ids);

 private:
  Connection& conn_;
};

// `%`, `_` and `\` escaped for LIKE ... ESCAPE '\'.
std::string like_pattern(std::string_view text);

}  // namespace cm::store
