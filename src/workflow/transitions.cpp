// SPDX-License-Identifier: AGPL-3.0-or-later
#include "workflow/transitions.hpp"

#include <boost/json.hpp>

#include "core/approval.hpp"
#include "core/collaboration.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "store/audit_repository.hpp"
#include "store/collaboration_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/workflow_repository.hpp"
#include "workflow/related.hpp"
#include "workflow/signatures.hpp"

namespace cm::workflow {

namespace bj = boost::json;

Error stale_contract() {
  return {ErrorKind::precondition_failed,
          "The contract was changed by someone else; reload and retry."};
}

ApprovalPolicy default_approval_policy() {
  ApprovalPolicy policy;
  policy.name = "Default policy";
  policy.default_rule.name = "Manager approval";
  StageTemplate stage;
  stage.name = "Manager approval";
  stage.roles = {Role::manager};
  stage.mode = ApprovalMode::any;
  stage.sla_days = 3;
  policy.default_rule.stages.push_back(std::move(stage));
  return policy;
}

void apply_transition(store::Connection& conn, const AuditActor& actor, Contract& contract,
                      const Transition& row, const std::optional<std::string>& actor_id,
                      const std::optional<std::string>& comment, const Contract* before_change) {
  const auto before = to_json(before_change ? *before_change : contract);
  const std::string from(contract.status);
  const auto now = now_unix_ms();
  contract.status = std::string(to_string(row.to));
  if (row.sets_activated_at) contract.activated_at = now;
  if (row.sets_terminated_at) {
    contract.terminated_at = now;
    contract.termination_reason = comment;
  }
  if (row.to == ContractState::renewed) ++contract.renewal_count;
  contract.updated_at = now;
  const auto expected = contract.version;
  if (!store::ContractRepository(conn).update(contract, expected)) throw stale_contract();
  contract.version = expected + 1;
  store::TransitionRepository(conn).insert(
      {new_id(), contract.org_id, contract.id, from, contract.status, actor_id, comment, now});
  auto changes = diff_objects(before, to_json(contract));
  store::record_audit(
      conn, actor, row.event, "contract", contract.id,
      bj::object{{"from", from},
                 {"to", contract.status},
                 {"comment", comment ? bj::value(bj::string(*comment)) : bj::value(nullptr)},
                 {"system", !actor_id.has_value()},
                 {"changes", std::move(changes)}});
  const std::string reason =
      comment && !comment->empty() ? *comment : std::string(to_string(row.to));
  if (row.voids_approval) void_contract_approval(conn, contract.org_id, contract.id, reason);
  if (row.voids_signature_requests)
    void_signature_requests(conn, actor, contract.org_id, contract.id, reason);
  if (row.to == ContractState::active && contract.relation == "amendment" &&
      !contract.applies_to_parent.empty())
    apply_amendment(conn, actor, contract);
}

void void_contract_approval(store::Connection& conn, std::string_view org_id,
                            std::string_view contract_id, std::string_view reason) {
  store::ApprovalRepository approvals(conn);
  auto current = approvals.latest(org_id, contract_id, true);
  if (!current) return;
  if (current->approval.status != ApprovalStatus::pending &&
      current->approval.status != ApprovalStatus::approved)
    return;
  const auto now = now_unix_ms();
  auto voided = void_approval(current->approval, reason.empty() ? "voided" : reason, now);
  if (!voided) throw voided.error();
  current->updated_at = now;
  approvals.update(*current);
}

void start_contract_approval(store::Connection& conn, const AuditActor& actor, Contract& contract,
                             const CivilDate& today) {
  const auto stored = store::ApprovalPolicyRepository(conn).find(contract.org_id);
  const auto policy = stored ? stored->policy : default_approval_policy();
  const auto facts = facts_of(contract, store::party_countries(conn, contract.org_id, contract.id));
  const ApprovalRule rule = select_rule(policy, facts);  // a copy: the snapshot
  const auto now = now_unix_ms();
  const auto users = store::org_users(conn, contract.org_id);
  auto approval =
      start_approval(rule, {contract.id, contract.owner_id, policy.name, now, today}, users);
  if (!approval) throw approval.error();
  store::StoredApproval row{new_id(), contract.org_id, std::move(*approval), now, now};
  store::ApprovalRepository(conn).insert(row);
  store::record_audit(conn, actor, "approval.started", "contract", contract.id,
                      bj::object{{"approvalId", row.id},
                                 {"policyName", row.approval.policy_name},
                                 {"ruleName", row.approval.rule_name}});
  if (row.approval.status == ApprovalStatus::approved) {
    const auto* approve = find_transition(ContractState::in_review, ContractState::approved);
    apply_transition(conn, actor, contract, *approve, std::nullopt,
                     std::string("no approval required by rule ") + row.approval.rule_name);
    return;
  }
  notify_approvers(conn, contract, row.approval);
}

void notify_approvers(store::Connection& conn, const Contract& contract, const Approval& approval) {
  store::NotificationRepository notifications(conn);
  store::WatcherRepository watchers(conn);
  const auto now = now_unix_ms();
  for (const auto& user_id : awaiting(approval)) {
    watchers.add(contract.org_id, contract.id, user_id, now);  // approvers follow what they decide
    const auto n = contract_notification(contract.org_id, contract.id, user_id,
                                         NotificationKind::approval_requested,
                                         "Your approval is requested for " + contract.title,
                                         bj::object{{"stage", approval.current_stage}}, now);
    notifications.notify(n);
  }
}

}  // namespace cm::workflow
