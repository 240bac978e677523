// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Obligations of contracts and the record of reminders sent for them. Every API query is scoped
// by organization; the daily job reads across organizations.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/obligation.hpp"
#include "core/pagination.hpp"
#include "store/database.hpp"

namespace cm::store {

struct ObligationFilter {
  std::optional<std::string> assignee_id;
  std::optional<ObligationStatus> status;
  std::optional<CivilDate> overdue_on;  // open and due before this date
  std::optional<CivilDate> due_before;  // exclusive
};

class ObligationRepository {
 public:
  explicit ObligationRepository(Connection& conn) : conn_(conn) {}
  void insert(const Obligation& o);
  std::optional<Obligation> find(std::string_view org_id, std::string_view contract_id,
                                 std::string_view id);
  // Earliest due first, keyset-paginated on (due_date, id).
  std::vector<Obligation> list_for_contract(std::string_view org_id, std::string_view contract_id,
                                            const std::optional<Cursor>& after, int limit);
  std::vector<Obligation> list(std::string_view org_id, const ObligationFilter& filter,
                               const std::optional<Cursor>& after, int limit);
  // Optimistic: false when the stored version is not `expected` (the new one is expected + 1).
  bool update(const Obligation& o, std::int64_t expected);
  bool remove(std::string_view org_id, std::string_view id);

  // Open obligations of every organization due on or before `last_due`, after (due_date, id),
  // for the daily job to walk in batches.
  std::vector<Obligation> open_due_by(
      const CivilDate& last_due, const std::optional<std::pair<std::string, std::string>>& after,
      int limit);
  // Records a reminder; true only for the caller whose insert took effect (send it then).
  bool record_reminder(std::string_view obligation_id, const CivilDate& due_date, int offset_days,
                       std::int64_t now);

 private:
  Connection& conn_;
};

}  // namespace cm::store
