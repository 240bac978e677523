// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/renewal.hpp"

#include <algorithm>

#include "core/calendar.hpp"
#include "core/json.hpp"
#include "core/lifecycle.hpp"
#include "core/money_json.hpp"
#include "core/strings.hpp"

namespace cm {

namespace bj = boost::json;
using json::ObjectReader;

namespace {

constexpr std::size_t kMaxComment = 2000;
constexpr int kMaxReminderOffsets = 8;
constexpr int kMaxReminderOffsetDays = 730;

Error field_error(std::string field, std::string message) {
  return validation_failed({{std::move(field), std::move(message)}});
}

}  // namespace

Result<RenewalTerms> parse_renewal_terms(const bj::object& body) {
  ObjectReader r(body);
  RenewalTerms t;
  t.expiration_date = read_date(r, "expirationDate");
  if (auto months = r.integer("termMonths", 1, 120)) t.term_months = static_cast<int>(*months);
  t.value = read_money(r, "value");
  t.auto_renew = r.boolean("autoRenew");
  t.renewal_term_months = r.nullable_int("renewalTermMonths", 1, 120);
  t.notice_period_days = r.nullable_int("noticePeriodDays", 0, 3650);
  t.comment = r.string("comment", {.min = 0, .max = kMaxComment});
  if (t.expiration_date && t.term_months)
    r.error("termMonths", "give either expirationDate or termMonths, not both");
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  return t;
}

Result<Contract> renewed_terms(const Contract& contract, const RenewalTerms& terms,
                               const CivilDate& today) {
  const auto current =
      contract.expiration_date ? parse_date(*contract.expiration_date) : std::optional<CivilDate>{};
  Contract out = contract;
  if (terms.value) out.value = *terms.value;
  if (terms.auto_renew) out.auto_renew = *terms.auto_renew;
  if (terms.renewal_term_months) out.renewal_term_months = *terms.renewal_term_months;
  if (terms.notice_period_days) out.notice_period_days = *terms.notice_period_days;

  std::optional<CivilDate> next = terms.expiration_date;
  if (!next) {
    if (!current)
      return field_error("expirationDate",
                         "is required: the contract has no expiration date to extend");
    const auto months = terms.term_months ? terms.term_months : contract.renewal_term_months;
    if (!months)
      return field_error("termMonths",
                         "is required: give termMonths or expirationDate (the contract has no "
                         "renewalTermMonths)");
    next = add_months(*current, *months);
  }
  if (current && !(*next > *current))
    return field_error("expirationDate",
                       "must be after the current expiration date " + format_date(*current));
  if (!(*next > today)) return field_error("expirationDate", "must be in the future");
  out.expiration_date = format_date(*next);
  if (out.auto_renew && !out.renewal_term_months)
    return field_error("renewalTermMonths", "is required when autoRenew is true");
  return out;
}

Result<TerminationRequest> parse_termination_request(const bj::object& body) {
  ObjectReader r(body);
  TerminationRequest t;
  auto reason = r.string("reason", {.min = 1, .max = kMaxComment, .required = true});
  if (reason) {
    t.reason = trim(*reason);
    if (t.reason.empty()) r.error("reason", "must not be blank");
  }
  t.effective_date = read_date(r, "effectiveDate");
  t.for_cause = r.boolean("forCause").value_or(false);
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  return t;
}

Result<TerminationPlan> plan_termination(const Contract& contract,
                                         const TerminationRequest& request,
                                         const CivilDate& today) {
  const auto state = parse_contract_state(contract.status);
  if (!state || !is_in_force(*state))
    return Error{ErrorKind::conflict,
                 "Only contracts in force (active or renewed) can be "
                 "terminated; this one is " +
                     contract.status + "."};
  const CivilDate effective = request.effective_date.value_or(today);
  if (effective < today) return field_error("effectiveDate", "must not be in the past");
  if (!request.for_cause) {
    const auto earliest = add_days(today, contract.notice_period_days.value_or(0));
    if (effective < earliest)
      return field_error("effectiveDate",
                         "the notice period is " +
                             std::to_string(contract.notice_period_days.value_or(0)) +
                             " days: the earliest effective date is " + format_date(earliest) +
                             " (or terminate for cause)");
  }
  if (contract.expiration_date) {
    const auto expiration = parse_date(*contract.expiration_date);
    if (expiration && effective > *expiration)
      return field_error("effectiveDate", "must not be after the expiration date " +
                                              *contract.expiration_date +
                                              " (turn autoRenew off to let it expire)");
  }
  return TerminationPlan{effective, effective == today};
}

Result<std::vector<int>> parse_reminder_offsets(const bj::value& value, std::string_view key) {
  const auto invalid = [&] {
    return field_error(std::string(key), "must be 1-" + std::to_string(kMaxReminderOffsets) +
                                             " distinct whole numbers of days from 1 to " +
                                             std::to_string(kMaxReminderOffsetDays));
  };
  if (!value.is_array() || value.as_array().empty() ||
      value.as_array().size() > static_cast<std::size_t>(kMaxReminderOffsets))
    return invalid();
  std::vector<int> out;
  for (const auto& v : value.as_array()) {
    if (!v.is_int64() || v.as_int64() < 1 || v.as_int64() > kMaxReminderOffsetDays)
      return invalid();
    const int days = static_cast<int>(v.as_int64());
    if (std::find(out.begin(), out.end(), days) != out.end()) return invalid();
    out.push_back(days);
  }
  std::sort(out.begin(), out.end(), std::greater<>());
  return out;
}

std::vector<RenewalReminder> owed_renewal_reminders(const Contract& contract,
                                                    const std::vector<int>& offsets,
                                                    const CivilDate& today,
                                                    std::optional<CivilDate> active_since) {
  const auto state = parse_contract_state(contract.status);
  if (!state || !is_in_force(*state) || contract.termination_effective_date) return {};
  const auto deadline = derived_dates(contract, today).notice_deadline;
  if (!deadline) return {};
  std::vector<RenewalReminder> out;
  for (const auto& r : due_reminders(*deadline, offsets, today, active_since))
    out.push_back({*deadline, r.offset_days});
  return out;
}

}  // namespace cm
