// SPDX-License-Identifier: AGPL-3.0-or-later
// Reports: the organization's summary (counts, value in force, expirations, overdue obligations,
// cycle time, approvals waiting). Any authenticated member of the organization may read it;
// the definitions are in core/report.hpp.

#include <boost/json.hpp>
#include <vector>

#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "core/report.hpp"
#include "core/time.hpp"
#include "store/report_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::api {

namespace {

class ReportHandlers {
 public:
  explicit ReportHandlers(const ApiDependencies& deps) : db_(deps.db), calendar_(deps.calendar) {}

  http::Response summary(http::Request& req) {
    const auto& p = principal_of(req);
    std::vector<FieldError> errors;
    for (const auto& [name, value] : req.query) errors.push_back({name, "unknown query parameter"});
    if (!errors.empty()) throw validation_failed(std::move(errors));

    SummaryReport report;
    report.generated_at = now_unix_ms();
    // One read transaction: every figure comes from the same snapshot.
    in_read_transaction(db_, [&](store::Connection& conn) {
      report.today = calendar_.today(conn, p.org_id, report.generated_at);
      store::ReportRepository repo(conn);
      const auto groups = repo.contract_groups(p.org_id);
      report.contracts = count_contracts(groups);
      report.active_value = active_value(groups);
      report.expiring = expiring_buckets(
          repo.in_force_expiring(p.org_id, expiry_range(report.today)), report.today);
      report.overdue_obligations = repo.overdue_obligations(p.org_id, report.today);
      report.cycle_time =
          cycle_time(repo.cycle_times(p.org_id, cycle_window_start(report.generated_at)));
      const auto approvals = repo.pending_approvals(p.org_id);
      report.approvals_waiting = approvals.empty()
                                     ? std::vector<ApproverLoad>{}
                                     : approvals_waiting(approvals, repo.users(p.org_id));
    });
    return json_response(200, to_json(report));
  }

 private:
  store::Database& db_;
  workflow::OrgCalendar& calendar_;
};

}  // namespace

void add_report_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<ReportHandlers>(deps);
  router.add("GET", "/api/v1/reports/summary", [h](http::Request& r) { return h->summary(r); });
}

}  // namespace cm::api
