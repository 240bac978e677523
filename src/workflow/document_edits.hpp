// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What a change to a contract's main document does to the contract: it is a material edit
// (MaterialField::main_document). Under review, approved or out for signature the contract
// returns to draft, voiding its approval and signature request (their links stop working);
// in force (active, renewed) or closed, the change is refused with 409 (an amendment is the way).
// Attachments, exhibits and signed copies are not terms: they never come here.

#include <optional>
#include <string>

#include "core/audit.hpp"
#include "core/contract.hpp"
#include "store/database.hpp"

namespace cm::workflow {

// Call in the transaction that stores a new main document or a new version of it (or that
// changes a document's kind to or from main). `contract` is saved when it returns to draft.
void main_document_changed(store::Connection& conn, const AuditActor& actor, Contract& contract,
                           const std::optional<std::string>& actor_id);

}  // namespace cm::workflow
