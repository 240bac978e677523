// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Obligations and milestones of a contract: what must be done by when (a payment, a delivery, a
// report...), by which party, possibly recurring. Parsing of client input works like contracts:
// a request becomes ObligationChanges, applied onto an obligation, and the merged result is
// validated as a whole. Pure: the caller passes "today" (a calendar date) where it matters.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace cm {

enum class ObligationKind { payment, delivery, reporting, compliance, notice, other };
enum class ResponsibleParty { us, counterparty };
// `overdue` is not a status: it is derived (open and due before today).
enum class ObligationStatus { open, done, waived };

std::string_view to_string(ObligationKind kind) noexcept;
std::string_view to_string(ResponsibleParty party) noexcept;
std::string_view to_string(ObligationStatus status) noexcept;
std::optional<ObligationKind> parse_obligation_kind(std::string_view text) noexcept;
std::optional<ResponsibleParty> parse_responsible_party(std::string_view text) noexcept;
std::optional<ObligationStatus> parse_obligation_status(std::string_view text) noexcept;

struct Obligation {
  std::string id;
  std::string org_id;
  std::string contract_id;
  std::string title;
  std::string description;
  ObligationKind kind = ObligationKind::other;
  ResponsibleParty responsible = ResponsibleParty::us;
  std::optional<std::string> assignee_id;
  CivilDate due_date;
  // The first due date of a recurring series: later occurrences are counted from it so the
  // anchor's day of month is kept (Jan 31, Feb 28, Mar 31...).
  CivilDate anchor_date;
  std::optional<Recurrence> recurrence;
  std::optional<Money> amount;
  ObligationStatus status = ObligationStatus::open;
  std::optional<std::int64_t> completed_at;  // done or waived
  std::optional<std::string> completed_by;
  std::optional<std::string> previous_id;  // the occurrence whose completion created this one
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::string created_by;
};

bool is_overdue(const Obligation& o, const CivilDate& today) noexcept;

// Fields present in a create or update request; for nullable fields the outer optional says
// "given", the inner one the value (nullopt = clear it).
struct ObligationChanges {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<ObligationKind> kind;
  std::optional<ResponsibleParty> responsible;
  std::optional<std::optional<std::string>> assignee_id;
  std::optional<CivilDate> due_date;
  std::optional<std::optional<Recurrence>> recurrence;
  std::optional<std::optional<Money>> amount;

  bool empty() const noexcept;
};

enum class ObligationMode { create, update };

// Strict: type errors, unknown and read-only fields become field errors.
Result<ObligationChanges> parse_obligation_changes(const boost::json::object& body,
                                                   ObligationMode mode);

// Applies changes; a new due date restarts the series from it.
void apply_changes(Obligation& o, const ObligationChanges& changes);

// Rules on the merged obligation (a recurrence ends on or after the due date).
std::vector<FieldError> validate_obligation(const Obligation& o);

// The next occurrence of a recurring obligation being completed: the same fields, the next due
// date of the series, open, linked to `done` by previous_id; nullopt when it does not recur or
// the series ended. Id and timestamps are the caller's.
std::optional<Obligation> next_occurrence_of(const Obligation& done);

boost::json::object to_json(const Obligation& o, const CivilDate& today);

}  // namespace cm
