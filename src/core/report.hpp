// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The organization's summary report (GET /api/v1/reports/summary) as pure logic. The storage
// layer (store/report_repository) answers a handful of GROUP BY queries; these functions turn
// their rows into the report, so the definitions below live in one tested place.
//
// Definitions ("today" is the organization's calendar date, workflow::OrgCalendar):
// - contracts: counts by status and by type of the contracts that are not archived (archiving
//   is a flag on final states that takes a contract out of day-to-day views); `archived` counts
//   the others. Every status appears, with 0 when there is none.
// - activeValue: per currency, the sum of `value` of the contracts in force (status active or
//   renewed) that have a value, as a money object, with the number of contracts summed.
//   Contracts in force without a value are counted in `inForceWithoutValue`.
// - expiring: contracts in force whose expiration date is in [today, today + N] for N = 30, 60,
//   90 (cumulative: the 90-day count includes the 30-day ones). A contract past its expiration
//   date that the daily job has not expired yet is not "expiring".
// - overdueObligations: open obligations due before today (the same set as
//   GET /api/v1/obligations?status=overdue).
// - cycleTime: over the contracts activated in the last 90 days (activatedAt >= now - 90 days),
//   the median of activatedAt - createdAt (from the first draft to active), in days with one
//   decimal (half up), as a decimal string like money amounts; null when none was activated.
// - approvalsWaiting: for every pending approval, the approvers its current stage still waits
//   for (core awaiting()); per user, how many approvals wait for them, most first. Delegates are
//   not counted: the work is the approver's until someone decides.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/approval.hpp"
#include "core/time.hpp"

namespace cm {

inline constexpr int kExpiryWindowDays[] = {30, 60, 90};
inline constexpr int kCycleTimeWindowDays = 90;
inline constexpr std::int64_t kMsPerDay = 86'400'000;

// One row of `SELECT status, type, archived, currency, COUNT(*), SUM(value_minor) ... GROUP BY
// status, type, archived, currency`: one pass over the organization's contracts gives the counts
// and the value in force. An empty currency: contracts without a value.
struct ContractGroup {
  std::string status;
  std::string type;
  bool archived = false;
  std::string currency;
  std::int64_t count = 0;
  std::int64_t value_minor = 0;  // sum, in the currency's minor units
};

// The value of contracts in force in one currency.
struct CurrencyTotal {
  std::string currency;
  std::int64_t minor = 0;
  std::int64_t contracts = 0;
};

// Contracts in force expiring on one date.
struct ExpirationCount {
  CivilDate date;
  std::int64_t count = 0;
};

struct ApproverInfo {
  std::string id;
  std::string name;
  std::string email;
};

// The expiration dates the report looks at: [today, today + the largest window].
struct DateRange {
  CivilDate first;
  CivilDate last;
};
DateRange expiry_range(const CivilDate& today);

// First instant of the cycle-time window: now - 90 days.
std::int64_t cycle_window_start(std::int64_t now_ms);

struct StatusCount {
  std::string status;
  std::int64_t count = 0;
};

struct ContractCounts {
  std::int64_t total = 0;                                     // not archived
  std::int64_t archived = 0;                                  // archived (any type, any status)
  std::vector<StatusCount> by_status;                         // every state, lifecycle order
  std::vector<std::pair<std::string, std::int64_t>> by_type;  // types present, by name
};
ContractCounts count_contracts(std::span<const ContractGroup> rows);

struct ExpiryBucket {
  int days = 0;
  CivilDate until;  // inclusive
  std::int64_t count = 0;
};
// The cumulative 30/60/90-day buckets; rows outside [today, today + 90] are ignored.
std::vector<ExpiryBucket> expiring_buckets(std::span<const ExpirationCount> rows,
                                           const CivilDate& today);

struct CycleTime {
  std::int64_t contracts = 0;
  std::optional<std::int64_t> median_tenths;  // tenths of a day; nullopt when no contract
};
// Median of the durations (ms; the mean of the two middle ones for an even count), rounded to a
// tenth of a day, half up. Takes the vector by value: it is partially reordered.
CycleTime cycle_time(std::vector<std::int64_t> durations_ms);
// 125 -> "12.5", 3 -> "0.3", -15 -> "-1.5".
std::string format_tenths(std::int64_t tenths);

struct ApproverLoad {
  std::string user_id;
  std::optional<std::string> name;  // nullopt when the user is unknown
  std::optional<std::string> email;
  std::int64_t approvals = 0;
};
// How many of `approvals` wait for each user (awaiting()), with the user's name and email from
// `users`; most approvals first, then by name (unknown users last) and id.
std::vector<ApproverLoad> approvals_waiting(std::span<const Approval> approvals,
                                            std::span<const ApproverInfo> users);
// The distinct users the pending `approvals` wait for, sorted (whose names to load).
std::vector<std::string> awaited_users(std::span<const Approval> approvals);

struct ActiveValue {
  std::vector<CurrencyTotal> by_currency;  // by currency code
  std::int64_t without_value = 0;          // contracts in force that have no value
};
// The contracts in force (active, renewed) among `rows`, summed per currency.
ActiveValue active_value(std::span<const ContractGroup> rows);

struct SummaryReport {
  CivilDate today;
  std::int64_t generated_at = 0;  // unix ms
  ContractCounts contracts;
  ActiveValue active_value;
  std::vector<ExpiryBucket> expiring;
  std::int64_t overdue_obligations = 0;
  CycleTime cycle_time;
  std::vector<ApproverLoad> approvals_waiting;
};

// {"asOf": "YYYY-MM-DD", "generatedAt": RFC 3339,
//  "contracts": {"total", "archived", "byStatus": {"draft": n, ...}, "byType": {"nda": n, ...}},
//  "activeValue": [{"amount": "1500.00", "currency": "EUR", "contracts": n}],
//  "inForceWithoutValue": n,
//  "expiring": [{"withinDays": 30, "until": "YYYY-MM-DD", "contracts": n}, ... 60, 90],
//  "overdueObligations": n,
//  "cycleTime": {"windowDays": 90, "contracts": n, "medianDays": "12.5" | null},
//  "approvalsWaiting": [{"userId", "name", "email", "approvals": n}]}
boost::json::object to_json(const SummaryReport& report);

}  // namespace cm
