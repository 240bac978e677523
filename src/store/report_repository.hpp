// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The queries behind the summary report (core/report.hpp has the definitions). Each is one
// GROUP BY or range query on an index of migration 9 (or an older one), scoped by organization;
// the report runs them all in one read transaction, so the figures are of one snapshot.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/approval.hpp"
#include "core/report.hpp"
#include "store/database.hpp"

namespace cm::store {

class ReportRepository {
 public:
  explicit ReportRepository(Connection& conn) : conn_(conn) {}

  // Contracts by status, type, archived flag and currency: count and value sum.
  std::vector<ContractGroup> contract_groups(std::string_view org_id);
  // Contracts in force per expiration date within `range` (inclusive).
  std::vector<ExpirationCount> in_force_expiring(std::string_view org_id, const DateRange& range);
  // Open obligations due before `today`.
  std::int64_t overdue_obligations(std::string_view org_id, const CivilDate& today);
  // activated_at - created_at (ms) of the contracts activated at or after `since` (unix ms).
  std::vector<std::int64_t> cycle_times(std::string_view org_id, std::int64_t since);
  // The organization's pending approvals.
  std::vector<Approval> pending_approvals(std::string_view org_id);
  // Names and emails of the organization's users.
  std::vector<ApproverInfo> users(std::string_view org_id);

 private:
  Connection& conn_;
};

}  // namespace cm::store
