// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/contract_actions.hpp"

#include <optional>

#include "core/lifecycle.hpp"
#include "core/permissions.hpp"

namespace cm {

namespace {

// A user transition the principal may request (what POST /transitions would accept).
bool may_transition(ContractState from, ContractState to, const Contract& contract,
                    const Principal& principal) {
  TransitionContext context;
  context.actor = Actor::user;
  context.principal = &principal;
  context.owner_id = contract.owner_id;
  context.reason = "-";  // a reason is asked for in the dialog; its absence is not a refusal
  return check_transition(from, to, context).ok();
}

}  // namespace

std::vector<std::string_view> allowed_contract_actions(const Contract& contract,
                                                       const Principal& principal) {
  const bool editor = permissions::can_write(principal) &&
                      permissions::can_edit_contract(principal, contract.owner_id);
  const std::optional<ContractState> state = parse_contract_state(contract.status);
  std::vector<std::string_view> out;
  const auto allow = [&](std::string_view action, bool yes) {
    if (yes) out.push_back(action);
  };
  allow("update", editor);
  allow("delete", editor && state == ContractState::draft && !contract.legal_hold);
  if (state) {
    allow("submit", may_transition(*state, ContractState::in_review, contract, principal));
    allow("returnToDraft", may_transition(*state, ContractState::draft, contract, principal));
    allow("cancel", may_transition(*state, ContractState::cancelled, contract, principal));
  }
  allow("sendForSignature", editor && state == ContractState::approved);
  const bool in_force = state && is_in_force(*state);
  allow("renew", editor && in_force);
  allow("terminate", editor && in_force);
  allow("archive", editor && state && can_archive(*state) && !contract.archived);
  allow("uploadDocument", editor);
  allow("addObligation", editor);
  allow("comment", permissions::can_write(principal));
  allow("setLegalHold", permissions::can_set_legal_hold(principal));
  return out;
}

}  // namespace cm
