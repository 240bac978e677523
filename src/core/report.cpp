// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/report.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/calendar.hpp"
#include "core/lifecycle.hpp"
#include "core/money.hpp"

namespace cm {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kMsPerTenthOfDay = kMsPerDay / 10;

// Rounds a / b to the nearest integer, halves away from zero (b > 0).
std::int64_t divide_rounded(std::int64_t a, std::int64_t b) {
  return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

bj::value optional_string(const std::optional<std::string>& s) {
  return s ? bj::value(bj::string(*s)) : bj::value(nullptr);
}

}  // namespace

DateRange expiry_range(const CivilDate& today) {
  return {today, add_days(today, std::end(kExpiryWindowDays)[-1])};
}

std::int64_t cycle_window_start(std::int64_t now_ms) {
  return now_ms - kCycleTimeWindowDays * kMsPerDay;
}

ContractCounts count_contracts(std::span<const ContractGroup> rows) {
  ContractCounts out;
  std::map<std::string, std::int64_t> by_status;
  std::map<std::string, std::int64_t> by_type;
  for (const auto& row : rows) {
    if (row.archived) {
      out.archived += row.count;
      continue;
    }
    out.total += row.count;
    by_status[row.status] += row.count;
    by_type[row.type] += row.count;
  }
  for (const auto state : kAllContractStates) {
    const std::string name(to_string(state));
    const auto it = by_status.find(name);
    out.by_status.push_back({name, it == by_status.end() ? 0 : it->second});
    if (it != by_status.end()) by_status.erase(it);
  }
  // A status this build does not know (written by a newer one) still adds up.
  for (const auto& [status, count] : by_status) out.by_status.push_back({status, count});
  out.by_type.assign(by_type.begin(), by_type.end());
  return out;
}

ActiveValue active_value(std::span<const ContractGroup> rows) {
  ActiveValue out;
  std::map<std::string, CurrencyTotal> by_currency;
  for (const auto& row : rows) {
    const auto state = parse_contract_state(row.status);
    if (!state || !is_in_force(*state)) continue;
    if (row.currency.empty()) {
      out.without_value += row.count;
      continue;
    }
    auto& total = by_currency[row.currency];
    total.currency = row.currency;
    total.minor += row.value_minor;
    total.contracts += row.count;
  }
  for (auto& [currency, total] : by_currency) out.by_currency.push_back(std::move(total));
  return out;
}

std::vector<ExpiryBucket> expiring_buckets(std::span<const ExpirationCount> rows,
                                           const CivilDate& today) {
  std::vector<ExpiryBucket> out;
  for (const int days : kExpiryWindowDays) {
    ExpiryBucket bucket{days, add_days(today, days), 0};
    for (const auto& row : rows)
      if (today <= row.date && row.date <= bucket.until) bucket.count += row.count;
    out.push_back(bucket);
  }
  return out;
}

CycleTime cycle_time(std::vector<std::int64_t> durations_ms) {
  CycleTime out;
  out.contracts = static_cast<std::int64_t>(durations_ms.size());
  if (durations_ms.empty()) return out;
  const auto n = durations_ms.size();
  const auto upper = durations_ms.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(durations_ms.begin(), upper, durations_ms.end());
  std::int64_t median = *upper;
  if (n % 2 == 0) {
    const auto lower = *std::max_element(durations_ms.begin(), upper);
    // Midpoint without overflow; the half millisecond does not matter at a tenth of a day.
    median = lower + (median - lower) / 2;
  }
  out.median_tenths = divide_rounded(median, kMsPerTenthOfDay);
  return out;
}

std::string format_tenths(std::int64_t tenths) {
  const bool negative = tenths < 0;
  const auto magnitude = negative ? -tenths : tenths;
  return (negative ? "-" : "") + std::to_string(magnitude / 10) + "." +
         std::to_string(magnitude % 10);
}

std::vector<std::string> awaited_users(std::span<const Approval> approvals) {
  std::vector<std::string> out;
  for (const auto& approval : approvals)
    for (auto& id : awaiting(approval)) out.push_back(std::move(id));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<ApproverLoad> approvals_waiting(std::span<const Approval> approvals,
                                            std::span<const ApproverInfo> users) {
  std::map<std::string, std::int64_t> counts;
  for (const auto& approval : approvals)
    for (const auto& id : awaiting(approval)) ++counts[id];
  std::vector<ApproverLoad> out;
  for (const auto& [id, count] : counts) {
    ApproverLoad load{id, std::nullopt, std::nullopt, count};
    // `&id = id`: clang 14 cannot capture a structured binding (C++20 allows it).
    const auto user = std::find_if(users.begin(), users.end(),
                                   [&id = id](const ApproverInfo& u) { return u.id == id; });
    if (user != users.end()) {
      load.name = user->name;
      load.email = user->email;
    }
    out.push_back(std::move(load));
  }
  std::sort(out.begin(), out.end(), [](const ApproverLoad& a, const ApproverLoad& b) {
    if (a.approvals != b.approvals) return a.approvals > b.approvals;
    if (a.name.has_value() != b.name.has_value()) return a.name.has_value();  // unknown last
    if (a.name != b.name) return a.name < b.name;
    return a.user_id < b.user_id;
  });
  return out;
}

bj::object to_json(const SummaryReport& report) {
  bj::object by_status;
  for (const auto& s : report.contracts.by_status) by_status[s.status] = s.count;
  bj::object by_type;
  for (const auto& [type, count] : report.contracts.by_type) by_type[type] = count;
  bj::array value;
  for (const auto& v : report.active_value.by_currency)
    value.push_back(bj::object{{"amount", format_amount(v.minor, v.currency)},
                               {"currency", v.currency},
                               {"contracts", v.contracts}});
  bj::array expiring;
  for (const auto& b : report.expiring)
    expiring.push_back(bj::object{
        {"withinDays", b.days}, {"until", format_date(b.until)}, {"contracts", b.count}});
  bj::array waiting;
  for (const auto& w : report.approvals_waiting)
    waiting.push_back(bj::object{{"userId", w.user_id},
                                 {"name", optional_string(w.name)},
                                 {"email", optional_string(w.email)},
                                 {"approvals", w.approvals}});
  const auto& cycle = report.cycle_time;
  return {{"asOf", format_date(report.today)},
          {"generatedAt", format_rfc3339(report.generated_at)},
          {"contracts", bj::object{{"total", report.contracts.total},
                                   {"archived", report.contracts.archived},
                                   {"byStatus", std::move(by_status)},
                                   {"byType", std::move(by_type)}}},
          {"activeValue", std::move(value)},
          {"inForceWithoutValue", report.active_value.without_value},
          {"expiring", std::move(expiring)},
          {"overdueObligations", report.overdue_obligations},
          {"cycleTime", bj::object{{"windowDays", kCycleTimeWindowDays},
                                   {"contracts", cycle.contracts},
                                   {"medianDays",
                                    cycle.median_tenths
                                        ? bj::value(bj::string(format_tenths(*cycle.median_tenths)))
                                        : bj::value(nullptr)}}},
          {"approvalsWaiting", std::move(waiting)}};
}

}  // namespace cm
