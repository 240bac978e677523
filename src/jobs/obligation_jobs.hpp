// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The obligation jobs, registered by the composition root (src/app/job_setup.cpp):
//   obligations.daily  periodic (hourly, so each organization's day starts on time): for open
//   obligations, reminders 14, 7 and 1 days
//                      before the due date and an overdue notice, to the assignee (or the
//                      contract's owner when nobody is assigned).
// Each (obligation, due date, offset) is recorded before its notification, under a unique key, in
// the notification's transaction: a reminder is sent at most once, however many workers run the
// job and however often (offset 0 is the overdue notice).

#include <cstdint>

#include "core/time.hpp"
#include "jobs/handler_registry.hpp"
#include "jobs/scheduler.hpp"
#include "store/database.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::jobs {

inline constexpr const char* kObligationsDailyJob = "obligations.daily";

void register_obligation_jobs(HandlerRegistry& handlers, Scheduler& scheduler, store::Database& db,
                              workflow::OrgCalendar& calendar);

struct ObligationReminderReport {
  std::int64_t sent = 0;
};

// One run at `now_ms`: each obligation's today is a date of its organization's time zone. Safe
// to run concurrently and repeatedly.
ObligationReminderReport send_obligation_reminders(store::Database& db,
                                                   workflow::OrgCalendar& calendar,
                                                   std::int64_t now_ms,
                                                   const JobContext* ctx = nullptr);

}  // namespace cm::jobs
