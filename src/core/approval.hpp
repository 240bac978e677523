// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// An approval: one run of a policy rule's stages for one submission of a contract. Pure domain
// code; storage persists the Approval and the API calls these functions inside the transaction
// that loads and saves it.
//
// Rules:
// - The stages are a snapshot: start_approval copies the rule's stages and resolves their
//   approvers to concrete, active, non-viewer users at that moment. Later policy edits, role
//   changes or deactivations do not change an approval under way.
// - Nobody approves their own contract: the owner is never an eligible approver, not even as a
//   delegate. If that (or inactive users) leaves a stage with nobody, start_approval fails with
//   ErrorKind::unprocessable naming the stage, so the submission is refused and an admin fixes
//   the policy; nothing is silently skipped. In an `all` stage "all" means all eligible people.
// - Stages run in order. `any`: the first approval completes the stage; `all`: every eligible
//   approver must approve. Any rejection rejects the whole approval (the contract returns to
//   draft). Completing the last stage approves it. A rule without stages approves at once.
// - Delegation: an approver may name a delegate for an inclusive date range (the
//   organization's calendar dates). Within it the delegate may decide on the approver's behalf;
//   the decision records both (approverId: on whose behalf, actorId: who acted). Delegations are
//   not chained, and the approver may still decide personally.
// - A material edit voids a pending (or approved, not yet signed) approval with a reason.
//
// Approval JSON (to_json):
// { "contractId", "ownerId", "policyName", "ruleName",
//   "status": "pending" | "approved" | "rejected" | "void",
//   "currentStage": 0 | null (when not pending),
//   "createdAt": RFC 3339, "completedAt": RFC 3339 | null, "voidReason": string | null,
//   "stages": [ { "name", "mode": "any" | "all", "slaDays",
//                 "status": "waiting" | "pending" | "approved" | "rejected" | "void",
//                 "startedOn": "YYYY-MM-DD" | null, "dueOn": "YYYY-MM-DD" | null,
//                 "completedOn": "YYYY-MM-DD" | null,
//                 "approverIds": [ids], "awaiting": [ids still expected to decide] } ],
//   "decisions": [ { "stage": 0, "approverId", "actorId", "decision": "approve" | "reject",
//                    "comment", "at": RFC 3339 } ] }
//
// Decision request JSON (parse_decision_request):
//   { "decision": "approve" | "reject", "comment": "..." (required to reject, <= 2000 chars),
//     "onBehalfOf": user id (optional, a delegate choosing whom to act for),
//     "stage": 0 (optional; when given and not the current stage: 409) }
//
// Delegation JSON (parse_delegation): { "delegateId": id, "from": "YYYY-MM-DD",
//   "to": "YYYY-MM-DD" }, from <= to; the approver (userId) comes from the caller.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/approval_policy.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace cm {

inline constexpr std::size_t kMaxDecisionComment = 2000;

enum class ApprovalStatus { pending, approved, rejected, voided };  // wire: "void"
enum class StageStatus { waiting, pending, approved, rejected, voided };
enum class Decision { approve, reject };

std::string_view to_string(ApprovalStatus status) noexcept;
std::string_view to_string(StageStatus status) noexcept;
std::string_view to_string(Decision decision) noexcept;

// The organization's people as start_approval needs them.
struct OrgUser {
  std::string id;
  Role role = Role::member;
  bool active = true;
};

struct Delegation {
  std::string user_id;      // the approver who is away
  std::string delegate_id;  // who decides on their behalf
  CivilDate from;           // inclusive
  CivilDate to;             // inclusive
  bool operator==(const Delegation&) const = default;
};

struct ApprovalStage {
  std::string name;
  ApprovalMode mode = ApprovalMode::any;
  int sla_days = 3;
  std::vector<std::string> approver_ids;  // resolved at start, sorted, owner excluded
  StageStatus status = StageStatus::waiting;
  std::optional<CivilDate> started_on;
  std::optional<CivilDate> completed_on;
  bool operator==(const ApprovalStage&) const = default;
};

struct ApprovalDecision {
  std::size_t stage = 0;
  std::string approver_id;  // whose vote this is
  std::string actor_id;     // who acted (the delegate, or approver_id)
  Decision decision = Decision::approve;
  std::string comment;
  std::int64_t at = 0;  // unix ms
  bool operator==(const ApprovalDecision&) const = default;
};

struct Approval {
  std::string contract_id;
  std::string owner_id;
  std::string policy_name;
  std::string rule_name;
  std::vector<ApprovalStage> stages;
  std::vector<ApprovalDecision> decisions;
  std::size_t current_stage = 0;  // meaningful while pending
  ApprovalStatus status = ApprovalStatus::pending;
  std::optional<std::string> void_reason;
  std::int64_t created_at = 0;  // unix ms
  std::optional<std::int64_t> completed_at;
  bool operator==(const Approval&) const = default;
};

struct ApprovalStart {
  std::string contract_id;
  std::string owner_id;
  std::string policy_name;
  std::int64_t now = 0;  // unix ms
  CivilDate today;       // organization's calendar date at `now`
};

// Snapshots `rule` (usually select_rule's answer) into a new pending approval with stage 0
// started today (or an approved one when the rule has no stages).
Result<Approval> start_approval(const ApprovalRule& rule, const ApprovalStart& start,
                                std::span<const OrgUser> users);

struct DecisionRequest {
  Decision decision = Decision::approve;
  std::string comment;
  std::optional<std::string> on_behalf_of;
  std::optional<std::size_t> stage;
};

Result<DecisionRequest> parse_decision_request(const boost::json::object& body);

struct DecisionContext {
  std::string actor_id;
  std::int64_t now = 0;  // unix ms
  CivilDate today;       // organization's calendar date, for delegation ranges
};

enum class DecisionEffect {
  recorded,        // the stage still waits for others
  stage_advanced,  // this stage completed; the next one started (notify its approvers)
  approved,        // last stage completed: move the contract to `approved`
  rejected,        // move the contract back to `draft`
};
std::string_view to_string(DecisionEffect effect) noexcept;

struct DecisionOutcome {
  DecisionEffect effect = DecisionEffect::recorded;
  ApprovalDecision decision;
};

// Records the actor's decision on the current stage. Errors (approval unchanged):
//   conflict   approval not pending; request.stage is not the current stage; this approver has
//              already decided; the actor is only an approver of another stage
//   forbidden  the actor owns the contract; the actor is neither an approver of the current
//              stage nor a delegate of one today (also: onBehalfOf without such a delegation)
//   validation rejection without comment; the actor is a delegate of several approvers of the
//              stage and did not say which (onBehalfOf)
Result<DecisionOutcome> decide(Approval& approval, const DecisionRequest& request,
                               const DecisionContext& context,
                               std::span<const Delegation> delegations);

// Approvers of the current stage who have not decided (empty when not pending).
std::vector<std::string> awaiting(const Approval& approval);
// Whether `user_id` can decide now, personally or as a delegate on `today`.
bool is_awaiting(const Approval& approval, std::string_view user_id, const CivilDate& today,
                 std::span<const Delegation> delegations);
// The approvals among `approvals` waiting for `user_id` (the "assignee=me" list).
std::vector<const Approval*> pending_for(std::span<const Approval> approvals,
                                         std::string_view user_id, const CivilDate& today,
                                         std::span<const Delegation> delegations);

// started_on + sla_days; nullopt for a stage not started.
std::optional<CivilDate> due_on(const ApprovalStage& stage);
// The current stage is pending and its due date is before today.
bool is_overdue(const Approval& approval, const CivilDate& today);

// Voids a pending or approved approval (material edit). conflict when rejected or already
// void; validation when the reason is empty.
Result<bool> void_approval(Approval& approval, std::string_view reason, std::int64_t now);

// Delegation body for the user `user_id`. Refuses delegating to oneself and from > to.
Result<Delegation> parse_delegation(const boost::json::object& body, std::string_view user_id);
bool delegation_covers(const Delegation& delegation, const CivilDate& day) noexcept;

boost::json::object to_json(const Approval& approval);
boost::json::object to_json(const Delegation& delegation);

}  // namespace cm
