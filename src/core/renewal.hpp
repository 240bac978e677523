// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Renewals, terminations and their reminders as pure rules: what a manual renewal changes, when
// a termination may take effect given the notice period, and which renewal reminders are owed.
// The daily job's expire/auto-renew decision is core/lifecycle's decide_expiry.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/contract.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace cm {

// POST /contracts/{id}/renew. The new expiration is either given or the current one extended by
// `termMonths` (default: the contract's renewalTermMonths); the other terms change when given.
struct RenewalTerms {
  std::optional<CivilDate> expiration_date;
  std::optional<int> term_months;
  std::optional<std::optional<Money>> value;
  std::optional<bool> auto_renew;
  std::optional<std::optional<int>> renewal_term_months;
  std::optional<std::optional<int>> notice_period_days;
  std::optional<std::string> comment;
};

// Strict parsing: unknown fields, types, ranges (termMonths 1-120) become field errors;
// `expirationDate` and `termMonths` are mutually exclusive.
Result<RenewalTerms> parse_renewal_terms(const boost::json::object& body);

// The contract with the renewal's terms applied (status and renewal count are the transition's
// business). Errors (validation): no way to compute a new expiration (no expiration date, or
// neither a date, a term nor renewalTermMonths), a new expiration that is not after both the
// current one and `today`, autoRenew without a term.
Result<Contract> renewed_terms(const Contract& contract, const RenewalTerms& terms,
                               const CivilDate& today);

// POST /contracts/{id}/terminate.
struct TerminationRequest {
  std::string reason;
  std::optional<CivilDate> effective_date;  // default: today
  bool for_cause = false;                   // breach and the like: the notice period does not apply
};

Result<TerminationRequest> parse_termination_request(const boost::json::object& body);

struct TerminationPlan {
  CivilDate effective_date;
  bool immediate = false;  // effective today: terminate now; otherwise the daily job does it
};

// When a termination takes effect. Without cause, the notice period must be respected: the
// effective date is at least today + noticePeriodDays (a validation error names the earliest
// date). The effective date is never in the past, and never after the expiration date (the
// contract ends then anyway: turn autoRenew off instead).
Result<TerminationPlan> plan_termination(const Contract& contract,
                                         const TerminationRequest& request, const CivilDate& today);

// The organization's renewal reminder offsets (days before the notice deadline): 1-8 distinct
// values in 1..730, stored descending. Validation error on field `key` otherwise.
Result<std::vector<int>> parse_reminder_offsets(const boost::json::value& value,
                                                std::string_view key);

// The renewal reminders a contract is owed on `today`: every offset due by today for its notice
// deadline (not before the contract became active, `active_since`), while the deadline has not
// passed, for contracts in force without a scheduled termination. Largest offset first.
struct RenewalReminder {
  CivilDate notice_deadline;
  int offset_days = 0;
};
std::vector<RenewalReminder> owed_renewal_reminders(const Contract& contract,
                                                    const std::vector<int>& offsets,
                                                    const CivilDate& today,
                                                    std::optional<CivilDate> active_since);

}  // namespace cm
