// SPDX-License-Identifier: AGPL-3.0-or-later
// The approvals.sla job on both databases: a pending approval whose current stage is past its
// SLA notifies the approvers the stage still waits for and the contract's owner, once per
// (approval, stage), even when two workers run it at the same time; stages within their SLA and
// decided approvals are left alone. The job's clock is an argument (`now`), so the test places
// stages in time by their start date.

#include <boost/json.hpp>
#include <latch>
#include <thread>

#include "core/approval.hpp"
#include "core/calendar.hpp"
#include "core/collaboration.hpp"
#include "core/ids.hpp"
#include "jobs/approval_sla_jobs.hpp"
#include "jobs_fixture.hpp"
#include "store/audit_repository.hpp"
#include "store/collaboration_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"
#include "store/workflow_repository.hpp"
#include "support/store_users.hpp"

namespace cm::jobs::testing {
namespace {

namespace bj = boost::json;

class ApprovalSlaTest : public JobsTest {
 protected:
  void SetUp() override {
    JobsTest::SetUp();
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    org_ = new_id();
    store::OrganizationRepository(*lease).insert({org_, "SLA " + org_, {"nda"}, now_unix_ms()});
    owner_ = add_user(*lease, "owner", Role::member);
    ann_ = add_user(*lease, "ann", Role::manager);
    bob_ = add_user(*lease, "bob", Role::manager);
    cid_ = add_user(*lease, "cid", Role::admin);
    tx.commit();
  }

  std::string add_user(store::Connection& conn, const std::string& name, Role role) {
    return cm::test::insert_user(conn, org_, name, role);
  }

  // A contract under review whose approval (managers: all; then the admin) started
  // `days_ago` days before today with the first stage's SLA of `sla_days`; `decide` edits the
  // approval before it is stored.
  std::string submitted(int days_ago, int sla_days,
                        const std::function<void(Approval&)>& decide = {}) {
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    Contract c;
    c.id = new_id();
    c.org_id = org_;
    c.title = "Deal " + c.id.substr(c.id.size() - 6);
    c.type = "nda";
    c.status = "in_review";
    c.owner_id = c.created_by = owner_;
    c.created_at = c.updated_at = now_unix_ms();
    store::ContractRepository(*lease).insert(c);
    ApprovalRule rule{"Two stages",
                      {},
                      {{"Managers", {}, {Role::manager}, ApprovalMode::all, sla_days},
                       {"Admin", {}, {Role::admin}, ApprovalMode::any, 2}}};
    const std::vector<OrgUser> users{{owner_, Role::member, true},
                                     {ann_, Role::manager, true},
                                     {bob_, Role::manager, true},
                                     {cid_, Role::admin, true}};
    const auto started_on = add_days(today(), -days_ago);
    auto approval =
        start_approval(rule, {c.id, owner_, "policy", now_unix_ms(), started_on}, users);
    if (!approval) throw std::runtime_error(approval.error().detail());
    if (decide) decide(*approval);
    store::ApprovalRepository(*lease).insert(
        {new_id(), org_, *approval, now_unix_ms(), now_unix_ms()});
    tx.commit();
    return c.id;
  }

  static CivilDate today() { return date_of(now_unix_ms()); }

  // The overdue notices `user` has, as their data objects.
  std::vector<bj::object> overdue_notices(const std::string& user) {
    auto lease = db_->acquire();
    std::vector<bj::object> out;
    for (const auto& n :
         store::NotificationRepository(*lease).list(org_, user, false, std::nullopt, 200)) {
      const auto* overdue = n.data.if_contains("overdue");
      if (n.kind == NotificationKind::approval_requested && overdue && overdue->as_bool()) {
        auto data = n.data;
        data["contractId"] = n.entity_id;
        out.push_back(std::move(data));
      }
    }
    return out;
  }

  std::vector<AuditEvent> overdue_events(const std::string& contract) {
    auto lease = db_->acquire();
    store::AuditFilter filter;
    filter.entity_id = contract;
    filter.action = "approval.overdue";
    return store::AuditRepository(*lease).list(org_, filter);
  }

  std::string org_, owner_, ann_, bob_, cid_;
  workflow::OrgCalendar calendar_;
};

TEST_F(ApprovalSlaTest, AnOverdueStageIsNotifiedOnceToWhoItWaitsForAndTheOwner) {
  // Ann approved, Bob has not: Bob and the owner hear of it, Ann does not. Due 2 days ago.
  const auto overdue = submitted(5, 3, [&](Approval& a) {
    a.decisions.push_back({0, ann_, ann_, Decision::approve, "", now_unix_ms()});
  });
  const auto report = send_approval_sla_notices(*db_, calendar_, now_unix_ms(), "run-1");
  EXPECT_EQ(report.stages_notified, 1);
  EXPECT_EQ(report.notifications, 2);

  const auto bobs = overdue_notices(bob_);
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].at("contractId").as_string(), overdue);
  EXPECT_EQ(bobs[0].at("stage").as_int64(), 0);
  EXPECT_EQ(bobs[0].at("stageName").as_string(), "Managers");
  EXPECT_EQ(bobs[0].at("dueOn").as_string(), format_date(add_days(today(), -2)));
  EXPECT_EQ(overdue_notices(owner_).size(), 1u);
  EXPECT_TRUE(overdue_notices(ann_).empty());  // already decided
  EXPECT_TRUE(overdue_notices(cid_).empty());  // the next stage has not started

  const auto events = overdue_events(overdue);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_type, "system");
  EXPECT_EQ(events[0].request_id, "run-1");
  EXPECT_EQ(events[0].changes.at("dueOn").as_string(), format_date(add_days(today(), -2)));
  EXPECT_EQ(events[0].changes.at("awaiting").as_array().size(), 1u);

  // Later runs (the next hour, the next day) send nothing more for this stage.
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms()).stages_notified, 0);
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms() + 86'400'000).stages_notified,
            0);
  EXPECT_EQ(overdue_notices(bob_).size(), 1u);
  EXPECT_EQ(overdue_events(overdue).size(), 1u);
}

TEST_F(ApprovalSlaTest, AStageDueTodayIsNotOverdueUntilTomorrow) {
  submitted(3, 3);  // due today
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms()).stages_notified, 0);
  EXPECT_TRUE(overdue_notices(ann_).empty());
  // Tomorrow it is (the clock is the job's argument).
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms() + 86'400'000).stages_notified,
            1);
  EXPECT_EQ(overdue_notices(ann_).size(), 1u);
  EXPECT_EQ(overdue_notices(bob_).size(), 1u);
}

TEST_F(ApprovalSlaTest, DecidedApprovalsAreNotNotified) {
  const auto approved = submitted(30, 1, [](Approval& a) { a.status = ApprovalStatus::approved; });
  const auto rejected = submitted(30, 1, [](Approval& a) { a.status = ApprovalStatus::rejected; });
  const auto voided = submitted(
      30, 1, [](Approval& a) { ASSERT_TRUE(void_approval(a, "material edit", now_unix_ms())); });
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms()).stages_notified, 0);
  EXPECT_TRUE(overdue_notices(owner_).empty());
  for (const auto& c : {approved, rejected, voided}) EXPECT_TRUE(overdue_events(c).empty());
}

TEST_F(ApprovalSlaTest, TheNextStageIsNotifiedWhenItIsOverdueInTurn) {
  // Stage 1 (Managers, SLA 3 days) started 10 days ago: overdue, notified.
  const auto contract = submitted(10, 3);
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms()).stages_notified, 1);
  EXPECT_EQ(overdue_notices(ann_).size(), 1u);
  // Both managers approved 4 days ago; stage 2 (Admin, SLA 2 days) has been waiting since.
  {
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    auto stored = *store::ApprovalRepository(*lease).latest(org_, contract, true);
    auto& a = stored.approval;
    for (const auto& id : a.stages[0].approver_ids)
      a.decisions.push_back({0, id, id, Decision::approve, "", now_unix_ms()});
    a.stages[0].status = StageStatus::approved;
    a.stages[0].completed_on = add_days(today(), -4);
    a.current_stage = 1;
    a.stages[1].status = StageStatus::pending;
    a.stages[1].started_on = add_days(today(), -4);
    store::ApprovalRepository(*lease).update(stored);
    tx.commit();
  }
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms()).stages_notified, 1);
  const auto cids = overdue_notices(cid_);
  ASSERT_EQ(cids.size(), 1u);
  EXPECT_EQ(cids[0].at("stage").as_int64(), 1);
  EXPECT_EQ(cids[0].at("dueOn").as_string(), format_date(add_days(today(), -2)));
  EXPECT_EQ(overdue_notices(ann_).size(), 1u);    // stage 1's notice only
  EXPECT_EQ(overdue_notices(owner_).size(), 2u);  // one per stage
  EXPECT_EQ(overdue_events(contract).size(), 2u);
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms()).stages_notified, 0);
}

TEST_F(ApprovalSlaTest, TwoWorkersAtOnceNotifyEachStageOnce) {
  std::vector<std::string> contracts;
  for (int i = 0; i < 12; ++i) contracts.push_back(submitted(5 + i, 3));
  auto first = open(4);
  auto second = open(4);
  std::latch go(2);
  ApprovalSlaReport a, b;
  std::thread ta([&] {
    go.arrive_and_wait();
    a = send_approval_sla_notices(*first, calendar_, now_unix_ms());
  });
  std::thread tb([&] {
    go.arrive_and_wait();
    b = send_approval_sla_notices(*second, calendar_, now_unix_ms());
  });
  ta.join();
  tb.join();
  EXPECT_EQ(a.stages_notified + b.stages_notified, 12);
  EXPECT_EQ(overdue_notices(ann_).size(), 12u);
  EXPECT_EQ(overdue_notices(bob_).size(), 12u);
  EXPECT_EQ(overdue_notices(owner_).size(), 12u);
  for (const auto& c : contracts) EXPECT_EQ(overdue_events(c).size(), 1u) << c;
  EXPECT_EQ(send_approval_sla_notices(*db_, calendar_, now_unix_ms()).stages_notified, 0);
}

TEST_F(ApprovalSlaTest, TheJobKindIsScheduledHourly) {
  HandlerRegistry handlers;
  Scheduler scheduler(*queue_, log_);
  register_approval_sla_jobs(handlers, scheduler, *db_, calendar_);
  const auto kinds = handlers.kinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), kApprovalsSlaJob), kinds.end());
  ASSERT_EQ(scheduler.jobs().size(), 1u);
  EXPECT_EQ(scheduler.jobs()[0].kind, kApprovalsSlaJob);
  EXPECT_EQ(scheduler.jobs()[0].schedule.describe(), "every 60m");
}

}  // namespace
}  // namespace cm::jobs::testing
