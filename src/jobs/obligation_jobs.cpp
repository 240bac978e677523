// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/obligation_jobs.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/collaboration.hpp"
#include "core/obligation.hpp"
#include "store/collaboration_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/obligation_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::jobs {

namespace {

namespace bj = boost::json;

constexpr int kObligationBatch = 200;
constexpr int kOverdueOffset = 0;

std::string reminder_title(const Obligation& o, const Contract& contract, int offset) {
  if (offset == kOverdueOffset)
    return "Overdue: " + o.title + " (" + contract.title + "), due " + format_date(o.due_date);
  return o.title + " (" + contract.title + ") is due in " + std::to_string(offset) +
         (offset == 1 ? " day" : " days") + ", on " + format_date(o.due_date);
}

// The reminders owed for one obligation today: the due ones (not those whose date was before the
// obligation existed) and, once past due, the overdue notice.
std::vector<int> owed_offsets(const Obligation& o, const CivilDate& today) {
  std::vector<int> offsets;
  for (const auto& r :
       due_reminders(o.due_date, kDefaultObligationReminderOffsets, today, date_of(o.created_at)))
    offsets.push_back(r.offset_days);
  if (is_overdue(o, today)) offsets.push_back(kOverdueOffset);
  return offsets;
}

// Records every owed reminder and notifies once, for the most recent one that was new (a job
// that missed days does not send a burst of stale reminders). True when a notification was sent.
bool remind(store::Connection& conn, const Obligation& o, const CivilDate& today,
            std::int64_t now) {
  store::ObligationRepository repo(conn);
  std::optional<int> newest;
  for (const int offset : owed_offsets(o, today))
    if (repo.record_reminder(o.id, o.due_date, offset, now)) newest = offset;
  if (!newest) return false;
  const auto contract = store::ContractRepository(conn).find(o.org_id, o.contract_id);
  if (!contract) return false;
  const auto n =
      contract_notification(o.org_id, o.contract_id, o.assignee_id.value_or(contract->owner_id),
                            NotificationKind::obligation_due, reminder_title(o, *contract, *newest),
                            bj::object{{"obligationId", o.id},
                                       {"dueDate", format_date(o.due_date)},
                                       {"daysBefore", *newest},
                                       {"overdue", *newest == kOverdueOffset}},
                            now);
  return store::NotificationRepository(conn).notify(n);
}

}  // namespace

ObligationReminderReport send_obligation_reminders(store::Database& db,
                                                   workflow::OrgCalendar& calendar,
                                                   std::int64_t now_ms, const JobContext* ctx) {
  ObligationReminderReport report;
  // The largest offset bounds how far ahead an open obligation can need a reminder; a day more
  // covers organizations whose zone is already on tomorrow's date.
  const auto horizon = add_days(date_of(now_ms), kDefaultObligationReminderOffsets[0] + 1);
  std::optional<std::pair<std::string, std::string>> after;
  for (;;) {
    if (ctx && ctx->should_stop()) break;
    std::vector<Obligation> batch;
    {
      auto lease = db.acquire();
      batch = store::ObligationRepository(*lease).open_due_by(horizon, after, kObligationBatch);
    }
    for (const auto& o : batch) {
      auto lease = db.acquire();
      store::Transaction tx(*lease, store::Transaction::Mode::write);
      const auto today = calendar.today(*lease, o.org_id, now_ms);
      const bool sent = remind(*lease, o, today, now_unix_ms());
      tx.commit();
      if (sent) ++report.sent;
    }
    if (static_cast<int>(batch.size()) < kObligationBatch) break;
    after = std::make_pair(format_date(batch.back().due_date), batch.back().id);
  }
  return report;
}

void register_obligation_jobs(HandlerRegistry& handlers, Scheduler& scheduler, store::Database& db,
                              workflow::OrgCalendar& calendar) {
  handlers.add(kObligationsDailyJob, [&db, &calendar](const Job&, JobContext& ctx) {
    send_obligation_reminders(db, calendar, now_unix_ms(), &ctx);
    if (ctx.should_stop()) return JobOutcome::retry("stopped before the end; resumes next run");
    return JobOutcome::success();
  });
  scheduler.add({kObligationsDailyJob, Schedule::every(std::chrono::minutes(60))});
}

}  // namespace cm::jobs
