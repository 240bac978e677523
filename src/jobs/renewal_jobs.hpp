// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The renewal job, registered by the composition root (src/app/job_setup.cpp):
//   renewals.daily  hourly, so each organization's day is handled soon after its midnight:
//                   for every contract in force, a scheduled termination that is due takes
//                   effect, a contract past its expiration expires or (autoRenew) renews, and
//                   the reminders owed before its notice deadline go to the owner and watchers
//                   (the organization's renewalReminderDays, default 90, 60, 30, 7).
// Each contract is handled in its own transaction. Two workers on the same contract: one wins
// the version check, the other skips it; reminders are recorded under a unique key
// (contract, notice deadline, offset) in the notification's transaction, so none is sent twice.

#include <cstdint>
#include <string_view>

#include "jobs/handler_registry.hpp"
#include "jobs/scheduler.hpp"
#include "store/database.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::jobs {

inline constexpr const char* kRenewalsDailyJob = "renewals.daily";

void register_renewal_jobs(HandlerRegistry& handlers, Scheduler& scheduler, store::Database& db,
                           workflow::OrgCalendar& calendar);

struct RenewalRunReport {
  std::int64_t expired = 0;
  std::int64_t renewed = 0;
  std::int64_t terminated = 0;
  std::int64_t reminders = 0;
};

// One run at `now_ms` (each organization's today from its time zone); safe to run concurrently
// and repeatedly.
RenewalRunReport run_renewals(store::Database& db, workflow::OrgCalendar& calendar,
                              std::int64_t now_ms, const JobContext* ctx = nullptr);
// The same run for one organization only (`seed --demo`, which must not touch the others);
// nothing when it does not exist.
RenewalRunReport run_renewals_for_org(store::Database& db, workflow::OrgCalendar& calendar,
                                      std::string_view org_id, std::int64_t now_ms);

}  // namespace cm::jobs
