// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/renewal_jobs.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/calendar.hpp"
#include "store/contract_repository.hpp"
#include "store/organization_repository.hpp"
#include "workflow/org_calendar.hpp"
#include "workflow/renewals.hpp"

namespace cm::jobs {

namespace {

constexpr int kRenewalBatch = 200;

struct OrgDay {
  Organization org;
  CivilDate today;
  workflow::OrgCalendar* calendar = nullptr;
};

std::optional<CivilDate> active_since(const OrgDay& day, const Contract& contract) {
  if (!contract.activated_at) return std::nullopt;
  return day.calendar->today_in(day.org.time_zone, *contract.activated_at);
}

// Whether a contract needs a write today: a lifecycle move, or a reminder not recorded yet. Most
// candidates need none once their reminder went out, and a write transaction per contract would
// cost a commit (an fsync on SQLite) each.
bool has_work(const std::set<std::string>& recorded, const OrgDay& day, const Contract& contract) {
  if (decide_expiry(contract, day.today).action != ExpiryAction::none) return true;
  for (const auto& r : owed_renewal_reminders(contract, day.org.renewal_reminder_days, day.today,
                                              active_since(day, contract)))
    if (!recorded.contains(contract.id + "|" + format_date(r.notice_deadline) + "|" +
                           std::to_string(r.offset_days)))
      return true;
  return false;
}

// One contract, in its own transaction. A concurrent run that changed it first wins.
void handle_contract(store::Database& db, const OrgDay& day, const std::string& contract_id,
                     RenewalRunReport& report) {
  auto lease = db.acquire();
  store::Transaction tx(*lease, store::Transaction::Mode::write);
  auto contract = store::ContractRepository(*lease).find(day.org.id, contract_id);
  if (!contract) return;
  const auto actor = AuditActor::system(day.org.id, kRenewalsDailyJob);
  try {
    switch (workflow::run_expiry(*lease, actor, *contract, day.today)) {
      case ExpiryAction::expire:
        ++report.expired;
        break;
      case ExpiryAction::renew:
        ++report.renewed;
        break;
      case ExpiryAction::terminate:
        ++report.terminated;
        break;
      case ExpiryAction::none:
        break;
    }
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::precondition_failed) return;  // another worker got there first
    throw;
  }
  if (workflow::send_renewal_reminders(*lease, *contract, day.org.renewal_reminder_days, day.today,
                                       active_since(day, *contract)))
    ++report.reminders;
  tx.commit();
}

// One organization's run on its date; false when the worker asked to stop.
bool run_org_day(store::Database& db, const OrgDay& day, const JobContext* ctx,
                 RenewalRunReport& report) {
  const int largest_offset = day.org.renewal_reminder_days.empty()
                                 ? 0
                                 : *std::max_element(day.org.renewal_reminder_days.begin(),
                                                     day.org.renewal_reminder_days.end());
  const auto horizon = add_days(day.today, largest_offset);
  std::vector<std::string> candidates;
  {
    auto lease = db.acquire();
    candidates =
        store::ContractRepository(*lease).renewal_run_candidates(day.org.id, day.today, horizon);
  }
  for (std::size_t start = 0; start < candidates.size(); start += kRenewalBatch) {
    if (ctx && ctx->should_stop()) return false;
    const std::vector<std::string> ids(
        candidates.begin() + static_cast<std::ptrdiff_t>(start),
        candidates.begin() +
            static_cast<std::ptrdiff_t>(std::min(candidates.size(), start + kRenewalBatch)));
    std::vector<std::string> to_handle;
    {
      auto lease = db.acquire();
      store::ContractRepository contracts(*lease);
      const auto recorded = contracts.recorded_renewal_reminders(day.org.id, ids);
      for (const auto& c : contracts.find_many(day.org.id, ids))
        if (has_work(recorded, day, c)) to_handle.push_back(c.id);
    }
    for (const auto& id : to_handle) handle_contract(db, day, id, report);
  }
  return true;
}

}  // namespace

RenewalRunReport run_renewals(store::Database& db, workflow::OrgCalendar& calendar,
                              std::int64_t now_ms, const JobContext* ctx) {
  RenewalRunReport report;
  std::vector<OrgDay> days;
  {
    auto lease = db.acquire();
    for (auto& org : store::OrganizationRepository(*lease).list_all()) {
      const auto today = calendar.today_in(org.time_zone, now_ms);
      days.push_back({std::move(org), today, &calendar});
    }
  }
  for (const auto& day : days)
    if (!run_org_day(db, day, ctx, report)) break;
  return report;
}

RenewalRunReport run_renewals_for_org(store::Database& db, workflow::OrgCalendar& calendar,
                                      std::string_view org_id, std::int64_t now_ms) {
  RenewalRunReport report;
  std::optional<Organization> org;
  {
    auto lease = db.acquire();
    org = store::OrganizationRepository(*lease).find_by_id(org_id);
  }
  if (!org) return report;
  const auto today = calendar.today_in(org->time_zone, now_ms);
  run_org_day(db, OrgDay{std::move(*org), today, &calendar}, nullptr, report);
  return report;
}

void register_renewal_jobs(HandlerRegistry& handlers, Scheduler& scheduler, store::Database& db,
                           workflow::OrgCalendar& calendar) {
  handlers.add(kRenewalsDailyJob, [&db, &calendar](const Job&, JobContext& ctx) {
    run_renewals(db, calendar, now_unix_ms(), &ctx);
    if (ctx.should_stop()) return JobOutcome::retry("stopped before the end; resumes next run");
    return JobOutcome::success();
  });
  scheduler.add({kRenewalsDailyJob, Schedule::every(std::chrono::minutes(60))});
}

}  // namespace cm::jobs
