// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/lifecycle.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <tuple>

#include "core/calendar.hpp"
#include "core/permissions.hpp"

namespace cm {

namespace bj = boost::json;

namespace {

using S = ContractState;

constexpr std::array<std::string_view, 9> kStateNames = {
    "draft",   "in_review",  "approved", "out_for_signature", "active",
    "expired", "terminated", "renewed",  "cancelled",
};

// Effects of a table row, combined with |.
enum Effect : unsigned {
  kReason = 1,
  kVoidApproval = 2,
  kVoidSignatures = 4,
  kActivated = 8,
  kTerminated = 16,
};

Transition row(S from, S to, Trigger trigger, std::string_view event, std::string_view when,
               unsigned effects = 0) {
  Transition t{from, to, trigger, event, when};
  t.reason_required = (effects & kReason) != 0;
  t.voids_approval = (effects & kVoidApproval) != 0;
  t.voids_signature_requests = (effects & kVoidSignatures) != 0;
  t.sets_activated_at = (effects & kActivated) != 0;
  t.sets_terminated_at = (effects & kTerminated) != 0;
  return t;
}

std::vector<Transition> build_table() {
  std::vector<Transition> t;
  const auto user = Trigger::user;
  const auto system = Trigger::system_only;
  // clang-format off
  t.push_back(row(S::draft, S::in_review, user, "contract.submitted",
               "submitted for approval; the matching policy's approval starts"));
  t.push_back(row(S::draft, S::cancelled, user, "contract.cancelled", "cancelled before activation"));

  t.push_back(row(S::in_review, S::draft, user, "contract.returned_to_draft",
               "withdrawn, rejected by an approver, or materially edited", kVoidApproval));
  t.push_back(row(S::in_review, S::approved, system, "contract.approved",
               "the last required approval is recorded"));
  t.push_back(row(S::in_review, S::cancelled, user, "contract.cancelled",
               "cancelled before activation", kVoidApproval));

  t.push_back(row(S::approved, S::draft, user, "contract.returned_to_draft",
               "reopened for changes or materially edited", kVoidApproval));
  t.push_back(row(S::approved, S::out_for_signature, system, "contract.sent_for_signature",
               "a signature request is created"));
  t.push_back(row(S::approved, S::cancelled, user, "contract.cancelled",
               "cancelled before activation", kVoidApproval));

  t.push_back(row(S::out_for_signature, S::draft, system, "contract.returned_to_draft",
               "materially edited while out for signature", kVoidApproval | kVoidSignatures));
  t.push_back(row(S::out_for_signature, S::approved, system, "contract.signature_declined",
               "a signer declined or the signature request was withdrawn", kVoidSignatures));
  t.push_back(row(S::out_for_signature, S::active, system, "contract.activated",
               "every signer has signed", kActivated));
  t.push_back(row(S::out_for_signature, S::cancelled, user, "contract.cancelled",
               "cancelled before activation", kVoidApproval | kVoidSignatures));

  for (S in_force : {S::active, S::renewed}) {
    t.push_back(row(in_force, S::expired, system, "contract.expired",
                 "the expiration date has passed without auto-renewal"));
    t.push_back(row(in_force, S::terminated, user, "contract.terminated",
                 "terminated with a reason", kReason | kTerminated));
    t.push_back(row(in_force, S::renewed, user, "contract.renewed",
                 "renewed manually with new terms, or automatically at expiration"));
  }
  // clang-format on
  std::sort(t.begin(), t.end(), [](const Transition& a, const Transition& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  return t;
}

bool user_may(const Transition& t, const TransitionContext& c) {
  return c.actor == Actor::system || t.trigger == Trigger::user;
}

std::string state_list(const std::vector<ContractState>& states) {
  if (states.empty()) return "none (the contract is closed)";
  std::string out;
  for (auto s : states) out += (out.empty() ? "" : ", ") + std::string(to_string(s));
  return out;
}

bool same_parties(const std::vector<ContractParty>& a, const std::vector<ContractParty>& b) {
  const auto key = [](const ContractParty& p) { return std::tie(p.counterparty_id, p.role); };
  const auto less = [&](const ContractParty& x, const ContractParty& y) { return key(x) < key(y); };
  auto sa = a;
  auto sb = b;
  std::sort(sa.begin(), sa.end(), less);
  std::sort(sb.begin(), sb.end(), less);
  sa.erase(std::unique(sa.begin(), sa.end()), sa.end());
  sb.erase(std::unique(sb.begin(), sb.end()), sb.end());
  return sa == sb;
}

std::string field_list(const std::vector<MaterialField>& fields) {
  std::string out;
  for (auto f : fields) out += (out.empty() ? "" : ", ") + std::string(to_string(f));
  return out;
}

}  // namespace

std::string_view to_string(ContractState state) noexcept {
  return kStateNames[static_cast<std::size_t>(state)];
}

std::optional<ContractState> parse_contract_state(std::string_view text) noexcept {
  for (auto s : kAllContractStates)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

bool is_final(ContractState state) noexcept {
  return state == S::expired || state == S::terminated || state == S::cancelled;
}

bool can_archive(ContractState state) noexcept {
  return is_final(state);
}

bool is_in_force(ContractState state) noexcept {
  return state == S::active || state == S::renewed;
}

const std::vector<Transition>& transition_table() {
  static const std::vector<Transition> kTable = build_table();
  return kTable;
}

const Transition* find_transition(ContractState from, ContractState to) noexcept {
  for (const auto& t : transition_table())
    if (t.from == from && t.to == to) return &t;
  return nullptr;
}

std::vector<ContractState> allowed_next_states(ContractState from, Actor actor) {
  std::vector<ContractState> out;
  const TransitionContext context{.actor = actor};
  for (const auto& t : transition_table())
    if (t.from == from && user_may(t, context)) out.push_back(t.to);
  return out;
}

Result<Transition> check_transition(ContractState from, ContractState to,
                                    const TransitionContext& context) {
  const Transition* t = find_transition(from, to);
  if (!t || !user_may(*t, context)) {
    const auto allowed = allowed_next_states(from, context.actor);
    bj::array names;
    for (auto s : allowed) names.push_back(bj::string(to_string(s)));
    std::string detail = "A contract in status " + std::string(to_string(from)) +
                         " cannot move to " + std::string(to_string(to));
    if (t) detail += " on request; it does so when " + std::string(t->when);
    detail += ". Allowed next statuses: " + state_list(allowed) + ".";
    return conflict(std::move(detail))
        .with_extra_json(bj::serialize(bj::object{{"currentStatus", to_string(from)},
                                                  {"allowedNextStates", std::move(names)}}));
  }
  if (context.actor == Actor::user) {
    if (!context.principal || !permissions::can_edit_contract(*context.principal, context.owner_id))
      return forbidden("You may not change the status of this contract.");
  }
  if (t->reason_required && std::all_of(context.reason.begin(), context.reason.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
      }))
    return validation_failed(
        {{"comment", "is required to move a contract to " + std::string(to_string(to))}});
  return *t;
}

Result<ContractState> parse_transition_target(std::string_view to) {
  if (auto state = parse_contract_state(to)) return *state;
  std::string all;
  for (auto s : kAllContractStates) all += (all.empty() ? "" : ", ") + std::string(to_string(s));
  return validation_failed({{"to", "must be one of: " + all}});
}

std::string_view to_string(MaterialField field) noexcept {
  switch (field) {
    case MaterialField::value:
      return "value";
    case MaterialField::effective_date:
      return "effectiveDate";
    case MaterialField::expiration_date:
      return "expirationDate";
    case MaterialField::parties:
      return "parties";
    case MaterialField::renewal_terms:
      return "renewalTerms";
    case MaterialField::main_document:
      return "mainDocument";
  }
  return "value";
}

std::vector<MaterialField> material_changes(const Contract& before, const Contract& after,
                                            bool main_document_changed) {
  std::vector<MaterialField> out;
  if (before.value != after.value) out.push_back(MaterialField::value);
  if (before.effective_date != after.effective_date) out.push_back(MaterialField::effective_date);
  if (before.expiration_date != after.expiration_date)
    out.push_back(MaterialField::expiration_date);
  if (!same_parties(before.parties, after.parties)) out.push_back(MaterialField::parties);
  if (before.auto_renew != after.auto_renew ||
      before.renewal_term_months != after.renewal_term_months ||
      before.notice_period_days != after.notice_period_days)
    out.push_back(MaterialField::renewal_terms);
  if (main_document_changed) out.push_back(MaterialField::main_document);
  return out;
}

Result<EditDecision> decide_edit(const Contract& before, const Contract& after,
                                 bool main_document_changed) {
  const auto state = parse_contract_state(before.status);
  if (!state) return Error(ErrorKind::internal, "unknown contract status " + before.status);
  EditDecision d;
  d.material = material_changes(before, after, main_document_changed);
  if (d.material.empty()) return d;
  switch (*state) {
    case S::draft:
      return d;
    case S::in_review:
    case S::approved:
    case S::out_for_signature:
      d.returns_to_draft = true;
      d.voids_approval = true;
      d.voids_signature_requests = true;
      d.reason = "material edit: " + field_list(d.material);
      return d;
    case S::active:
    case S::renewed:
    case S::expired:
    case S::terminated:
    case S::cancelled:
      break;
  }
  bj::array names;
  for (auto f : d.material) names.push_back(bj::string(to_string(f)));
  std::string detail =
      is_in_force(*state)
          ? "A contract in force changes its terms only through an amendment"
          : "A " + std::string(to_string(*state)) + " contract's terms can no longer change";
  detail += " (changed: " + field_list(d.material) + ").";
  return conflict(std::move(detail))
      .with_extra_json(bj::serialize(bj::object{{"materialFields", std::move(names)}}));
}

CivilDate notice_deadline(const CivilDate& expiration_date, int notice_period_days) noexcept {
  return add_days(expiration_date, -notice_period_days);
}

std::int64_t days_to_expiry(const CivilDate& expiration_date, const CivilDate& today) noexcept {
  return days_between(today, expiration_date);
}

DerivedDates derived_dates(const Contract& contract, const CivilDate& today) {
  DerivedDates out;
  if (!contract.expiration_date) return out;
  const auto expiration = parse_date(*contract.expiration_date);
  if (!expiration) return out;
  out.notice_deadline = notice_deadline(*expiration, contract.notice_period_days.value_or(0));
  const auto state = parse_contract_state(contract.status);
  if (state && !is_final(*state)) out.days_to_expiry = days_to_expiry(*expiration, today);
  return out;
}

ExpiryDecision decide_expiry(const Contract& contract, const CivilDate& today) {
  ExpiryDecision out;
  const auto state = parse_contract_state(contract.status);
  if (!state || !is_in_force(*state)) return out;
  if (contract.termination_effective_date) {
    const auto effective = parse_date(*contract.termination_effective_date);
    if (effective && !(today < *effective)) {
      out.action = ExpiryAction::terminate;
      return out;
    }
  }
  if (!contract.expiration_date) return out;
  const auto expiration = parse_date(*contract.expiration_date);
  if (!expiration || !(today > *expiration)) return out;
  const int term = contract.renewal_term_months.value_or(0);
  if (!contract.auto_renew || term <= 0) {
    out.action = ExpiryAction::expire;
    return out;
  }
  constexpr int kMaxTerms = 1200;
  for (int k = 1; k <= kMaxTerms; ++k) {
    const CivilDate next = add_months(*expiration, k * term);
    if (next >= today || k == kMaxTerms) {
      out.action = ExpiryAction::renew;
      out.new_expiration = next;
      out.terms = k;
      break;
    }
  }
  return out;
}

}  // namespace cm
