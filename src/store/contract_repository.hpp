// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/contract.hpp"
#include "core/contract_query.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace cm::store {

struct ContractPage {
  std::vector<Contract> items;
  std::optional<Cursor> next;
};

class ContractRepository {
 public:
  explicit ContractRepository(Connection& conn) : conn_(conn) {}

  void insert(const Contract& c);
  std::optional<Contract> find(std::string_view org_id, std::string_view id);
  // find() split in two for AsyncDatabase: the statement (parameters: org id, id) and the
  // reading of its result.
  static const std::string& find_sql();
  static std::optional<Contract> found(const QueryResult& result);
  ContractPage list(std::string_view org_id, const ContractQuery& query);
  // Writes every field and bumps the version; false when `expected_version` is stale.
  bool update(const Contract& c, std::int64_t expected_version);
  bool remove(std::string_view org_id, std::string_view id);
  // For generated data (`contractmgmt seed`): sets activated_at and archived, which insert()
  // leaves to the workflow, without bumping the version.
  void set_seeded_history(std::string_view id, std::optional<std::int64_t> activated_at,
                          bool archived);
  // The ids of the contracts in force that the daily renewal run must look at on `today`: past
  // their expiration, with a termination due, or with a notice deadline in
  // [today, reminder_horizon]. Three index ranges; ascending ids.
  std::vector<std::string> renewal_run_candidates(std::string_view org_id, const CivilDate& today,
                                                  const CivilDate& reminder_horizon);
  // The organization's contracts among `ids` (any order; missing ones are left out).
  std::vector<Contract> find_many(std::string_view org_id, const std::vector<std::string>& ids);
  // Contracts in force whose notice deadline or expiration falls in [today, horizon], sorted by
  // the next of the two dates in that window (`next_date`), then id; keyset after (date, id).
  struct Upcoming {
    Contract contract;
    std::string next_date;
  };
  std::vector<Upcoming> upcoming_renewals(
      std::string_view org_id, const CivilDate& today, const CivilDate& horizon,
      const std::optional<std::pair<std::string, std::string>>& after, int limit);
  // The contracts whose parent is `parent_id`, oldest first, at most `limit`.
  std::vector<Contract> children(std::string_view org_id, std::string_view parent_id, int limit);
  // Records a renewal reminder; false when this (contract, deadline, offset) was sent already.
  bool record_renewal_reminder(const Contract& c, const CivilDate& notice_deadline, int offset_days,
                               std::int64_t now);
  // The renewal reminders recorded for these contracts, as "<contract id>|<deadline>|<offset>".
  std::set<std::string> recorded_renewal_reminders(std::string_view org_id,
                                                   const std::vector<std::string>& contract_ids);
  // Contracts not in a final state, per organization (the contracts_active_total gauge).
  std::map<std::string, std::int64_t> count_active_by_org();
  // Whether the organization has any contract at all (archived ones included): one index probe.
  bool has_any(std::string_view org_id);

 private:
  void write_side_tables(const Contract& c);
  Connection& conn_;
};

// The value a contract sorts by for a sort field, as stored in a cursor.
SortKey contract_sort_key(const Contract& c, std::string_view field);

}  // namespace cm::store
