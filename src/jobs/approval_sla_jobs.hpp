// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The approval SLA job, registered by the composition root (src/app/job_setup.cpp):
//   approvals.sla  periodic (hourly): for every pending approval whose current stage is overdue
//                  on the organization's calendar (core is_overdue: dueOn = startedOn + slaDays is
//                  before today), notifies the approvers the stage still waits for and the
//                  contract's owner (kind approval_requested, data {"overdue": true, "stage",
//                  "stageName", "dueOn"}) and audits `approval.overdue` on the contract (system
//                  actor).
// Hourly rather than daily: "today" is the organization's calendar date, and organizations get
// time zones, so a stage becomes overdue at a different UTC hour for each; an hourly sweep
// notifies within the hour. Each (approval, stage) is recorded in approval_sla_notices before its
// notifications, in their transaction, with the approval row locked: a stage is notified at most
// once, however many workers run the job and however often, and never after a decision that
// committed first.

#include <cstdint>
#include <string>

#include "jobs/handler_registry.hpp"
#include "jobs/scheduler.hpp"
#include "store/database.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::jobs {

inline constexpr const char* kApprovalsSlaJob = "approvals.sla";

void register_approval_sla_jobs(HandlerRegistry& handlers, Scheduler& scheduler,
                                store::Database& db, workflow::OrgCalendar& calendar);

struct ApprovalSlaReport {
  std::int64_t stages_notified = 0;  // overdue (approval, stage) pairs notified by this run
  std::int64_t notifications = 0;    // notifications created (preferences may drop some)
};

// One run at `now_ms` (each organization's today is derived from it); safe to run concurrently
// and repeatedly. `run_id` names the run in the audit events (the job id).
ApprovalSlaReport send_approval_sla_notices(store::Database& db, workflow::OrgCalendar& calendar,
                                            std::int64_t now_ms, const std::string& run_id = {},
                                            const JobContext* ctx = nullptr);

}  // namespace cm::jobs
