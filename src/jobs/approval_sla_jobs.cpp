// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/approval_sla_jobs.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <vector>

#include "core/approval.hpp"
#include "core/audit.hpp"
#include "core/collaboration.hpp"
#include "store/approval_sla_repository.hpp"
#include "store/audit_repository.hpp"
#include "store/collaboration_repository.hpp"
#include "store/contract_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::jobs {

namespace {

namespace bj = boost::json;

constexpr int kSlaBatch = 200;

std::string stage_label(std::size_t index, const ApprovalStage& stage) {
  return "stage " + std::to_string(index + 1) + " (" + stage.name + ")";
}

// Notifies the stage's waiting approvers and the owner, and audits, in the caller's transaction
// (which has recorded the notice). Returns how many notifications were created.
std::int64_t notify_overdue(store::Connection& conn, const store::StoredApproval& row,
                            const Contract& contract, const CivilDate& due,
                            const std::string& run_id, std::int64_t now) {
  const auto& approval = row.approval;
  const auto index = approval.current_stage;
  const auto& stage = approval.stages[index];
  const auto waiting = awaiting(approval);
  const auto label = stage_label(index, stage);
  const auto due_text = format_date(due);

  std::vector<std::pair<std::string, std::string>> recipients;  // user, title
  recipients.reserve(waiting.size() + 1);
  const std::string overdue_title =
      "Overdue: your approval of " + contract.title + " (" + label + ") was due on " + due_text;
  for (const auto& user_id : waiting) recipients.emplace_back(user_id, overdue_title);
  if (std::find(waiting.begin(), waiting.end(), approval.owner_id) == waiting.end())
    recipients.emplace_back(
        approval.owner_id,
        "The approval of " + contract.title + " is overdue: " + label + " was due on " + due_text);

  store::NotificationRepository notifications(conn);
  std::int64_t sent = 0;
  for (const auto& [user_id, title] : recipients) {
    const auto n = contract_notification(row.org_id, contract.id, user_id,
                                         NotificationKind::approval_requested, title,
                                         bj::object{{"overdue", true},
                                                    {"approvalId", row.id},
                                                    {"stage", index},
                                                    {"stageName", stage.name},
                                                    {"dueOn", due_text}},
                                         now);
    if (notifications.notify(n)) ++sent;
  }
  bj::array awaited;
  for (const auto& id : waiting) awaited.push_back(bj::string(id));
  store::record_audit(conn, AuditActor::system(row.org_id, run_id), "approval.overdue", "contract",
                      contract.id,
                      bj::object{{"approvalId", row.id},
                                 {"stage", index},
                                 {"stageName", stage.name},
                                 {"slaDays", stage.sla_days},
                                 {"dueOn", due_text},
                                 {"awaiting", std::move(awaited)}});
  return sent;
}

}  // namespace

ApprovalSlaReport send_approval_sla_notices(store::Database& db, workflow::OrgCalendar& calendar,
                                            std::int64_t now_ms, const std::string& run_id,
                                            const JobContext* ctx) {
  ApprovalSlaReport report;
  std::map<std::string, CivilDate> today_of;  // per organization, for this run
  std::optional<std::pair<std::string, std::string>> after;
  for (;;) {
    if (ctx && ctx->should_stop()) break;
    std::vector<store::ApprovalSlaRepository::Pending> batch;
    {
      auto lease = db.acquire();
      batch = store::ApprovalSlaRepository(*lease).pending_after(after, kSlaBatch);
      for (const auto& pending : batch)
        if (!today_of.contains(pending.row.org_id))
          today_of[pending.row.org_id] = calendar.today(*lease, pending.row.org_id, now_ms);
    }
    for (const auto& [candidate, notified] : batch) {
      const auto& today = today_of.at(candidate.org_id);
      if (!is_overdue(candidate.approval, today)) continue;
      // Notified already (the common case after the first run): no write transaction.
      if (notified && *notified >= candidate.approval.current_stage) continue;
      auto lease = db.acquire();
      store::Transaction tx(*lease, store::Transaction::Mode::write);
      // Re-read under lock: a decision may have moved the approval on since the batch was read.
      const auto row =
          store::ApprovalSlaRepository(*lease).pending_for_update(candidate.org_id, candidate.id);
      if (!row || !is_overdue(row->approval, today)) continue;
      const auto index = row->approval.current_stage;
      const auto due = *due_on(row->approval.stages[index]);
      const auto contract =
          store::ContractRepository(*lease).find(row->org_id, row->approval.contract_id);
      if (!contract) continue;
      if (!store::ApprovalSlaRepository(*lease).record_notice(row->id, index, due, now_ms))
        continue;  // another run notified this stage
      report.notifications += notify_overdue(*lease, *row, *contract, due, run_id, now_ms);
      tx.commit();
      ++report.stages_notified;
    }
    if (static_cast<int>(batch.size()) < kSlaBatch) break;
    after = std::make_pair(batch.back().row.org_id, batch.back().row.id);
  }
  return report;
}

void register_approval_sla_jobs(HandlerRegistry& handlers, Scheduler& scheduler,
                                store::Database& db, workflow::OrgCalendar& calendar) {
  handlers.add(kApprovalsSlaJob, [&db, &calendar](const Job& job, JobContext& ctx) {
    send_approval_sla_notices(db, calendar, now_unix_ms(), job.id, &ctx);
    if (ctx.should_stop()) return JobOutcome::retry("stopped before the end; resumes next run");
    return JobOutcome::success();
  });
  scheduler.add({kApprovalsSlaJob, Schedule::every(std::chrono::minutes(60))});
}

}  // namespace cm::jobs
