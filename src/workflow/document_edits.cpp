// SPDX-License-Identifier: AGPL-3.0-or-later
#include "workflow/document_edits.hpp"

#include "core/lifecycle.hpp"
#include "workflow/transitions.hpp"

namespace cm::workflow {

void main_document_changed(store::Connection& conn, const AuditActor& actor, Contract& contract,
                           const std::optional<std::string>& actor_id) {
  auto edit = decide_edit(contract, contract, true);
  if (!edit) throw edit.error();
  if (!edit->returns_to_draft) return;
  const auto from = parse_contract_state(contract.status);
  const auto* row = from ? find_transition(*from, ContractState::draft) : nullptr;
  if (!row) throw Error{ErrorKind::internal, "no transition back to draft"};
  apply_transition(conn, actor, contract, *row, actor_id, edit->reason);
}

}  // namespace cm::workflow
