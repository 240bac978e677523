// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/report_repository.hpp"

#include <boost/json/parse.hpp>

#include "store/workflow_repository.hpp"

namespace cm::store {

namespace {

std::string s(std::string_view v) {
  return std::string(v);
}

// Index contracts_org_groups (migration 9): one index-only pass over the organization, in GROUP
// BY order (no sort).
constexpr const char* kContractGroups =
    "SELECT status, type, archived, currency, COUNT(*), SUM(value_minor) FROM contracts "
    "WHERE org_id = $1 GROUP BY status, type, archived, currency";

// In force: status active or renewed (core is_in_force).
// Index contracts_org_status_expiration (migration 9): one short range per status.
constexpr const char* kInForceExpiring =
    "SELECT expiration_date, COUNT(*) FROM contracts WHERE org_id = $1 AND status IN "
    "('active', 'renewed') AND expiration_date >= $2 AND expiration_date <= $3 GROUP BY "
    "expiration_date";

// Index obligations_org_due (migration 6).
constexpr const char* kOverdueObligations =
    "SELECT COUNT(*) FROM obligations WHERE org_id = $1 AND status = 'open' AND due_date < $2";

// Index contracts_org_activated (migration 9, partial: activated contracts only).
constexpr const char* kCycleTimes =
    "SELECT activated_at - created_at FROM contracts WHERE org_id = $1 AND activated_at IS NOT "
    "NULL AND activated_at >= $2";

// Index contract_approvals_pending (migration 5, partial).
constexpr const char* kPendingApprovals =
    "SELECT approval FROM contract_approvals WHERE org_id = $1 AND status = 'pending'";

// Index users_org (migration 1).
constexpr const char* kUsers = "SELECT id, name, email FROM users WHERE org_id = $1";

}  // namespace

std::vector<ContractGroup> ReportRepository::contract_groups(std::string_view org_id) {
  std::vector<ContractGroup> out;
  for (const auto& row : conn_.query(kContractGroups, {s(org_id)}).rows)
    out.push_back({row.text(0), row.text(1), row.boolean(2), row.opt_text(3).value_or(""),
                   row.int64(4), row.opt_int64(5).value_or(0)});
  return out;
}

std::vector<ExpirationCount> ReportRepository::in_force_expiring(std::string_view org_id,
                                                                 const DateRange& range) {
  std::vector<ExpirationCount> out;
  for (const auto& row :
       conn_.query(kInForceExpiring, {s(org_id), format_date(range.first), format_date(range.last)})
           .rows)
    if (const auto date = parse_date(row.text(0))) out.push_back({*date, row.int64(1)});
  return out;
}

std::int64_t ReportRepository::overdue_obligations(std::string_view org_id,
                                                   const CivilDate& today) {
  return conn_.query(kOverdueObligations, {s(org_id), format_date(today)}).rows.front().int64(0);
}

std::vector<std::int64_t> ReportRepository::cycle_times(std::string_view org_id,
                                                        std::int64_t since) {
  std::vector<std::int64_t> out;
  const auto result = conn_.query(kCycleTimes, {s(org_id), since});
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(row.int64(0));
  return out;
}

std::vector<Approval> ReportRepository::pending_approvals(std::string_view org_id) {
  std::vector<Approval> out;
  const auto result = conn_.query(kPendingApprovals, {s(org_id)});
  out.reserve(result.rows.size());
  for (const auto& row : result.rows)
    out.push_back(approval_from_json(boost::json::parse(row.text(0)).as_object()));
  return out;
}

std::vector<ApproverInfo> ReportRepository::users(std::string_view org_id) {
  std::vector<ApproverInfo> out;
  for (const auto& row : conn_.query(kUsers, {s(org_id)}).rows)
    out.push_back({row.text(0), row.text(1), row.text(2)});
  return out;
}

}  // namespace cm::store
