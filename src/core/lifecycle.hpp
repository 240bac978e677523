// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The contract lifecycle as pure rules: the states, the transition table (who may move a contract
// where, and what each move implies), what happens to an edit in each state, and the dates
// derived from a contract's terms. Handlers and jobs ask these functions and then do the I/O:
// persist the new status, record the history entry and audit event, void approvals or signature
// requests when told to.
//
//   draft → in_review → approved → out_for_signature → active → expired | terminated | renewed
//   cancelled from any state before active; archived is a flag on final states.
//
// Decisions taken here, beyond the text:
// - `renewed` is in force: an auto-renewed contract keeps its record with a new expiration, so it
//   can expire, be terminated or be renewed again, exactly like `active`.
// - Final states (archivable): expired, terminated, cancelled.
// - A material edit sends in_review, approved and out_for_signature back to draft (a signature
//   on a changed version would be refused anyway); in force and final contracts refuse it.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/contract.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace cm {

enum class ContractState {
  draft,
  in_review,
  approved,
  out_for_signature,
  active,
  expired,
  terminated,
  renewed,
  cancelled,
};

inline constexpr std::array<ContractState, 9> kAllContractStates = {
    ContractState::draft,      ContractState::in_review,
    ContractState::approved,   ContractState::out_for_signature,
    ContractState::active,     ContractState::expired,
    ContractState::terminated, ContractState::renewed,
    ContractState::cancelled,
};

// The wire names: "draft", "in_review", "approved", "out_for_signature", "active", "expired",
// "terminated", "renewed", "cancelled" (Contract::status holds these).
std::string_view to_string(ContractState state) noexcept;
std::optional<ContractState> parse_contract_state(std::string_view text) noexcept;

// No transition leaves a final state; only final contracts may be archived.
bool is_final(ContractState state) noexcept;
bool can_archive(ContractState state) noexcept;
// active or renewed: the contract binds the parties now.
bool is_in_force(ContractState state) noexcept;

// Who may ask for a transition. `user` transitions are requested through
// `POST /contracts/{id}/transitions` (and the system may perform them too, e.g. returning a
// rejected contract to draft); `system_only` ones happen only as the consequence of another
// action (the last approval, the last signature, the daily expiry job, a signature request).
enum class Trigger { user, system_only };

struct Transition {
  ContractState from;
  ContractState to;
  Trigger trigger;
  std::string_view event;        // the resource.verb event to emit, e.g. "contract.submitted"
  std::string_view when;         // the condition, for documentation and error messages
  bool reason_required = false;  // the request's comment is mandatory
  bool voids_approval = false;   // cancel the approval under way (pending decisions)
  bool voids_signature_requests = false;  // revoke signature requests and their link tokens
  bool sets_activated_at = false;
  bool sets_terminated_at = false;
};

// Every legal transition; anything not listed is illegal. Stable order (by from, then to).
const std::vector<Transition>& transition_table();
// The table row for from → to, if the move is legal for anyone.
const Transition* find_transition(ContractState from, ContractState to) noexcept;

enum class Actor { user, system };

// What check_transition needs to know besides the two states.
struct TransitionContext {
  Actor actor = Actor::user;
  const Principal* principal = nullptr;  // required when actor == user
  std::string_view owner_id;             // the contract's owner (members act on their own only)
  std::string_view reason;               // the request's comment
};

// States `actor` may move a contract to from `from`, in table order. For a user these are the
// `user` transitions only (what a 409 lists as allowed next states).
std::vector<ContractState> allowed_next_states(ContractState from, Actor actor);

// Decides a requested transition:
// - illegal move (not in the table, or system_only asked by a user): Error(conflict) whose
//   extra JSON is {"currentStatus": "...", "allowedNextStates": [...]};
// - a user who may not edit the contract (viewers; members on others' contracts):
//   Error(forbidden);
// - a required reason missing: validation error on field "comment".
// On success returns the table row so the caller applies its effects.
Result<Transition> check_transition(ContractState from, ContractState to,
                                    const TransitionContext& context);

// --- Edits -------------------------------------------------------------------------------------

// Terms whose change is material: the parties agreed to (or are approving) specific ones.
enum class MaterialField {
  value,
  effective_date,
  expiration_date,
  parties,        // compared as a set: reordering is not a change
  renewal_terms,  // autoRenew, renewalTermMonths, noticePeriodDays
  main_document,  // a new version of the main document (signalled by the caller)
};

// API names: "value", "effectiveDate", "expirationDate", "parties", "renewalTerms",
// "mainDocument".
std::string_view to_string(MaterialField field) noexcept;

// The material differences between two versions of a contract, in enum order.
std::vector<MaterialField> material_changes(const Contract& before, const Contract& after,
                                            bool main_document_changed);

struct EditDecision {
  std::vector<MaterialField> material;  // empty: the edit is not material
  bool returns_to_draft = false;        // the contract's status becomes draft
  bool voids_approval = false;
  bool voids_signature_requests = false;
  std::string reason;  // for the history entry when returning to draft, e.g.
                       // "material edit: value, parties"
};

// What an edit of `before` (whose status is its current state) into `after` does:
// - draft: applied as is;
// - in_review, approved, out_for_signature: a material edit is applied and the contract returns
//   to draft, voiding the approval and signature requests; other edits are applied as is;
// - active, renewed: a material edit is Error(conflict) (changes only through amendments), with
//   extra JSON {"materialFields": [...]}; other edits (title, tags, owner...) are applied;
// - expired, terminated, cancelled: a material edit is Error(conflict) (the record is closed).
// An unknown status in `before` is Error(internal).
Result<EditDecision> decide_edit(const Contract& before, const Contract& after,
                                 bool main_document_changed);

// Parses the `to` of a transition request: an unknown status is a validation error on "to".
Result<ContractState> parse_transition_target(std::string_view to);

// --- Derived dates ------------------------------------------------------------------------------

// The last day to give notice: expiration - notice period (in calendar days).
CivilDate notice_deadline(const CivilDate& expiration_date, int notice_period_days) noexcept;
// Days from `today` to the expiration date: 0 on the day itself, negative once it has passed.
std::int64_t days_to_expiry(const CivilDate& expiration_date, const CivilDate& today) noexcept;

struct DerivedDates {
  std::optional<CivilDate> notice_deadline;  // needs an expiration date; no notice period = 0 days
  std::optional<std::int64_t> days_to_expiry;  // needs an expiration date and a non-final state
};

// The computed `noticeDeadline` and `daysToExpiry` of a contract on `today` (a calendar date of
// the organization's time zone). Unparsable stored dates yield nullopt.
DerivedDates derived_dates(const Contract& contract, const CivilDate& today);

// --- The daily expiry job -----------------------------------------------------------------------

enum class ExpiryAction {
  none,       // not in force, no expiration date, or not past it yet
  expire,     // move to expired (system transition)
  renew,      // move to renewed with new_expiration (system transition; renewal count += terms)
  terminate,  // a scheduled termination takes effect today (system transition)
};

struct ExpiryDecision {
  ExpiryAction action = ExpiryAction::none;
  std::optional<CivilDate> new_expiration;  // renew: the first term end on or after `today`
  int terms = 0;                            // renew: terms added (> 1 when the job catches up)
};

// What the daily job does with a contract on `today`. A contract is past its expiration the day
// after it (the expiration date itself is still covered). Auto-renewal adds whole terms of
// renewalTermMonths counted from the current expiration with end-of-month clamping (2024-02-29
// + 12 months = 2025-02-28), as many as needed to reach today (bounded at 1200 terms). An
// autoRenew contract without a term expires (validate_contract forbids that combination).
// A termination scheduled for today or earlier (terminationEffectiveDate) comes first.
ExpiryDecision decide_expiry(const Contract& contract, const CivilDate& today);

}  // namespace cm
