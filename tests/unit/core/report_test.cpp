// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/report.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <map>
#include <string>
#include <vector>

#include "support/literals.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

constexpr CivilDate kToday{2026, 11, 26};
constexpr std::int64_t kHour = 3'600'000;

TEST(ReportCounts, ArchivedContractsAreCountedApartAndEveryStatusIsListed) {
  const std::vector<ContractGroup> rows = {
      {"draft", "nda", false, "", 3, 0},       {"active", "nda", false, "EUR", 2, 100},
      {"active", "msa", false, "EUR", 4, 900}, {"active", "msa", false, "", 1, 0},
      {"expired", "msa", false, "USD", 1, 50}, {"expired", "msa", true, "USD", 4, 70},
      {"terminated", "sow", true, "", 1, 0},
  };
  const auto counts = count_contracts(rows);
  EXPECT_EQ(counts.total, 11);
  EXPECT_EQ(counts.archived, 5);
  ASSERT_EQ(counts.by_status.size(), 9u);
  EXPECT_EQ(counts.by_status.front().status, "draft");
  EXPECT_EQ(counts.by_status.front().count, 3);
  std::int64_t sum = 0;
  std::map<std::string, std::int64_t> by_status;
  for (const auto& s : counts.by_status) {
    sum += s.count;
    by_status[s.status] = s.count;
  }
  EXPECT_EQ(sum, counts.total);
  EXPECT_EQ(by_status["active"], 7);
  EXPECT_EQ(by_status["expired"], 1);
  EXPECT_EQ(by_status["terminated"], 0);
  using TypeCounts = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(counts.by_type, (TypeCounts{{"msa", 6}, {"nda", 5}}));  // sow: archived only
}

TEST(ReportCounts, AStatusThisBuildDoesNotKnowStillAddsUp) {
  const std::vector<ContractGroup> rows = {{"paused", "nda", false, "", 2, 0}};
  const auto counts = count_contracts(rows);
  EXPECT_EQ(counts.total, 2);
  ASSERT_EQ(counts.by_status.size(), 10u);
  EXPECT_EQ(counts.by_status.back().status, "paused");
}

TEST(ReportValue, SumsContractsInForcePerCurrencyAndCountsThoseWithoutValue) {
  const std::vector<ContractGroup> rows = {
      {"active", "nda", false, "USD", 1, 150},     {"renewed", "msa", false, "", 2, 0},
      {"active", "msa", false, "EUR", 2, 250'000}, {"renewed", "nda", false, "EUR", 1, 5},
      {"active", "nda", false, "", 1, 0},          {"active", "sow", false, "JPY", 1, 1200},
      {"draft", "nda", false, "EUR", 7, 777},      {"expired", "nda", true, "GBP", 1, 10},
  };
  const auto value = active_value(rows);
  EXPECT_EQ(value.without_value, 3);
  ASSERT_EQ(value.by_currency.size(), 3u);
  EXPECT_EQ(value.by_currency[0].currency, "EUR");
  EXPECT_EQ(value.by_currency[0].minor, 250'005);
  EXPECT_EQ(value.by_currency[0].contracts, 3);
  EXPECT_EQ(value.by_currency[1].currency, "JPY");
  EXPECT_EQ(value.by_currency[2].currency, "USD");
  EXPECT_EQ(value.by_currency[2].minor, 150);
}

TEST(ReportExpiring, BucketsAreCumulativeAndIncludeBothEnds) {
  EXPECT_EQ(expiry_range(kToday).first, kToday);
  EXPECT_EQ(expiry_range(kToday).last, test::civil_date("2027-02-24"));  // today + 90
  const std::vector<ExpirationCount> rows = {
      {test::civil_date("2026-11-25"), 100},  // yesterday: past, not expiring
      {test::civil_date("2026-11-26"), 1},    // today
      {test::civil_date("2026-12-26"), 2},    // today + 30: last day of the 30-day bucket
      {test::civil_date("2026-12-27"), 4},    // today + 31
      {test::civil_date("2027-01-25"), 8},    // today + 60
      {test::civil_date("2027-01-26"), 16},   // today + 61
      {test::civil_date("2027-02-24"), 32},   // today + 90
      {test::civil_date("2027-02-25"), 64},   // today + 91: outside
  };
  const auto buckets = expiring_buckets(rows, kToday);
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].days, 30);
  EXPECT_EQ(buckets[0].until, test::civil_date("2026-12-26"));
  EXPECT_EQ(buckets[0].count, 1 + 2);
  EXPECT_EQ(buckets[1].days, 60);
  EXPECT_EQ(buckets[1].count, 1 + 2 + 4 + 8);
  EXPECT_EQ(buckets[2].days, 90);
  EXPECT_EQ(buckets[2].until, test::civil_date("2027-02-24"));
  EXPECT_EQ(buckets[2].count, 1 + 2 + 4 + 8 + 16 + 32);
}

TEST(ReportExpiring, CrossesMonthEndsAndLeapDays) {
  const CivilDate today{2028, 1, 31};
  const auto buckets =
      expiring_buckets(std::vector<ExpirationCount>{{test::civil_date("2028-03-01"), 1}}, today);
  EXPECT_EQ(buckets[0].until,
            test::civil_date("2028-03-01"));  // 2028 is a leap year: Jan 31 + 30 = Mar 1
  EXPECT_EQ(buckets[0].count, 1);
}

TEST(ReportCycleTime, MedianOfAnOddCount) {
  const auto c = cycle_time({10 * kMsPerDay, 2 * kMsPerDay, 5 * kMsPerDay + 6 * kHour});
  EXPECT_EQ(c.contracts, 3);
  ASSERT_TRUE(c.median_tenths);
  EXPECT_EQ(*c.median_tenths, 53);  // 5.25 days rounds half up to 5.3
  EXPECT_EQ(format_tenths(*c.median_tenths), "5.3");
}

TEST(ReportCycleTime, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  const auto c = cycle_time({4 * kMsPerDay, 1 * kMsPerDay, 30 * kMsPerDay, 3 * kMsPerDay});
  EXPECT_EQ(c.contracts, 4);
  EXPECT_EQ(c.median_tenths, 35);                              // (3 + 4) / 2
  EXPECT_EQ(cycle_time({kHour, 2 * kHour}).median_tenths, 1);  // 1.5 h = 0.0625 days -> 0.1
  EXPECT_EQ(cycle_time({kHour}).median_tenths, 0);             // 1 h = 0.04 days -> 0.0
}

TEST(ReportCycleTime, NoContractsNoMedian) {
  const auto c = cycle_time({});
  EXPECT_EQ(c.contracts, 0);
  EXPECT_FALSE(c.median_tenths);
}

TEST(ReportCycleTime, WindowIsNinetyDaysBackAndTenthsFormat) {
  EXPECT_EQ(cycle_window_start(100 * kMsPerDay), 10 * kMsPerDay);
  EXPECT_EQ(format_tenths(0), "0.0");
  EXPECT_EQ(format_tenths(125), "12.5");
  EXPECT_EQ(format_tenths(-15), "-1.5");
}

Approval pending(std::vector<std::string> approvers, std::vector<std::string> decided = {}) {
  Approval a;
  a.owner_id = "owner";
  ApprovalStage stage;
  stage.name = "Managers";
  stage.mode = ApprovalMode::all;
  stage.approver_ids = std::move(approvers);
  stage.status = StageStatus::pending;
  a.stages.push_back(stage);
  for (auto& id : decided) a.decisions.push_back({0, id, id, Decision::approve, "", 0});
  return a;
}

TEST(ReportApprovals, CountsWhoTheCurrentStagesStillWaitFor) {
  std::vector<Approval> approvals = {
      pending({"ann", "bob"}),
      pending({"ann", "bob"}, {"ann"}),  // Ann has decided: only Bob waits
      pending({"cid"}),
  };
  Approval done = pending({"ann"});
  done.status = ApprovalStatus::approved;  // not pending: nobody waits
  approvals.push_back(done);
  const std::vector<ApproverInfo> users = {{"ann", "Ann", "ann@example.com"},
                                           {"bob", "Bob", "bob@example.com"}};
  EXPECT_EQ(awaited_users(approvals), (std::vector<std::string>{"ann", "bob", "cid"}));
  const auto loads = approvals_waiting(approvals, users);
  ASSERT_EQ(loads.size(), 3u);
  EXPECT_EQ(loads[0].user_id, "bob");
  EXPECT_EQ(loads[0].approvals, 2);
  EXPECT_EQ(loads[0].email, "bob@example.com");
  EXPECT_EQ(loads[1].user_id, "ann");
  EXPECT_EQ(loads[1].approvals, 1);
  EXPECT_EQ(loads[2].user_id, "cid");  // unknown user: no name, last among equals
  EXPECT_FALSE(loads[2].name);
}

TEST(ReportJson, TheWholeReportAsTheApiShowsIt) {
  SummaryReport r;
  r.today = kToday;
  r.generated_at = 1'795'000'000'000;
  const std::vector<ContractGroup> groups = {{"active", "nda", false, "EUR", 2, 150'050}};
  r.contracts = count_contracts(groups);
  r.active_value = active_value(groups);
  r.expiring = expiring_buckets({}, kToday);
  r.overdue_obligations = 4;
  r.cycle_time = cycle_time({36 * kHour});
  r.approvals_waiting = {{"ann", "Ann", "ann@example.com", 3}};
  const auto json = bj::serialize(to_json(r));
  EXPECT_NE(json.find(R"("asOf":"2026-11-26")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("byStatus":{"draft":0,"in_review":0,"approved":0,"out_for_signature":0,)"
                      R"("active":2,)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("activeValue":[{"amount":"1500.50","currency":"EUR","contracts":2}])"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"({"withinDays":90,"until":"2027-02-24","contracts":0})"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("cycleTime":{"windowDays":90,"contracts":1,"medianDays":"1.5"})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("approvalsWaiting":[{"userId":"ann","name":"Ann",)"
                      R"("email":"ann@example.com","approvals":3}])"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace cm
