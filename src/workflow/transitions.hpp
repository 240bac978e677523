// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Workflow steps shared by everything that moves contracts between states: the transitions
// route, approval decisions, contract edits (a material edit returns a contract under review to
// draft), signatures, and the daily renewal job. Each step runs inside the caller's transaction;
// the status change, its history row, its audit event, the approval it touches and the
// notifications it causes commit together. No HTTP here: the caller names the actor.

#include <optional>
#include <string>
#include <string_view>

#include "core/approval.hpp"
#include "core/approval_policy.hpp"
#include "core/audit.hpp"
#include "core/contract.hpp"
#include "core/lifecycle.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace cm::workflow {

// 412: the contract changed since it was read (its version moved on).
Error stale_contract();

// The policy an organization without one of its own gets: every contract needs one approval by
// a manager (one stage "Manager approval", role manager, mode any, SLA 3 days).
ApprovalPolicy default_approval_policy();

// Applies `row` to `contract` (status, activatedAt, terminatedAt and reason, renewal count),
// saves it (bumping its version; a stale version is a 412), and records the history row and the
// audit event `row.event`. `actor_id` null: a system transition. Voids the approval under way
// and the pending signature request (workflow/signatures.hpp) when the row says so. An amendment
// that becomes active applies its terms to its parent.
// `before`: the contract as it was when the caller changed more than the status (a renewal's new
// terms), so the audit event shows every change; default: `contract` on entry.
void apply_transition(store::Connection& conn, const AuditActor& actor, Contract& contract,
                      const Transition& row, const std::optional<std::string>& actor_id,
                      const std::optional<std::string>& comment, const Contract* before = nullptr);

// Starts the approval of a contract just moved to in_review: the organization's policy (or the
// default) picks the rule; the approvers of the first stage are notified. A rule without stages
// approves at once (the contract moves on to approved). `today`: the organization's date
// (OrgCalendar), from which the stages' SLA due dates count.
void start_contract_approval(store::Connection& conn, const AuditActor& actor, Contract& contract,
                             const CivilDate& today);

// Notifies the approvers the approval's current stage waits for (approval_requested); they
// become watchers of the contract.
void notify_approvers(store::Connection& conn, const Contract& contract, const Approval& approval);

// Voids the contract's approval under way (pending or approved), if any.
void void_contract_approval(store::Connection& conn, std::string_view org_id,
                            std::string_view contract_id, std::string_view reason);

}  // namespace cm::workflow
