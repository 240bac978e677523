// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/approval.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace cm {

namespace bj = boost::json;

std::string_view to_string(ApprovalStatus status) noexcept {
  switch (status) {
    case ApprovalStatus::pending:
      return "pending";
    case ApprovalStatus::approved:
      return "approved";
    case ApprovalStatus::rejected:
      return "rejected";
    case ApprovalStatus::voided:
      return "void";
  }
  return "pending";
}

std::string_view to_string(StageStatus status) noexcept {
  switch (status) {
    case StageStatus::waiting:
      return "waiting";
    case StageStatus::pending:
      return "pending";
    case StageStatus::approved:
      return "approved";
    case StageStatus::rejected:
      return "rejected";
    case StageStatus::voided:
      return "void";
  }
  return "waiting";
}

std::string_view to_string(Decision decision) noexcept {
  return decision == Decision::reject ? "reject" : "approve";
}

std::string_view to_string(DecisionEffect effect) noexcept {
  switch (effect) {
    case DecisionEffect::recorded:
      return "recorded";
    case DecisionEffect::stage_advanced:
      return "stage_advanced";
    case DecisionEffect::approved:
      return "approved";
    case DecisionEffect::rejected:
      return "rejected";
  }
  return "recorded";
}

namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string stage_label(std::size_t index, const std::string& name) {
  return "stage " + std::to_string(index + 1) + " (" + name + ")";
}

std::vector<std::string> resolve_approvers(const StageTemplate& stage, std::string_view owner_id,
                                           std::span<const OrgUser> users) {
  std::vector<std::string> ids;
  for (const auto& user : users) {
    if (!user.active || user.role == Role::viewer || user.id == owner_id) continue;
    const bool named = contains(stage.user_ids, user.id);
    const bool by_role =
        std::find(stage.roles.begin(), stage.roles.end(), user.role) != stage.roles.end();
    if (named || by_role) ids.push_back(user.id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

bool has_decided(const Approval& approval, std::size_t stage, std::string_view approver_id) {
  return std::any_of(
      approval.decisions.begin(), approval.decisions.end(),
      [&](const ApprovalDecision& d) { return d.stage == stage && d.approver_id == approver_id; });
}

bool delegated_to(std::span<const Delegation> delegations, std::string_view user_id,
                  std::string_view delegate_id, const CivilDate& today) {
  return std::any_of(delegations.begin(), delegations.end(), [&](const Delegation& d) {
    return d.user_id == user_id && d.delegate_id == delegate_id && delegation_covers(d, today);
  });
}

bool stage_complete(const Approval& approval) {
  const auto& stage = approval.stages[approval.current_stage];
  if (stage.mode == ApprovalMode::any) return true;  // called right after an approval
  return std::all_of(
      stage.approver_ids.begin(), stage.approver_ids.end(),
      [&](const std::string& id) { return has_decided(approval, approval.current_stage, id); });
}

// On whose behalf the actor decides in the current stage, or the error explaining why not.
Result<std::string> resolve_approver(const Approval& approval, const DecisionRequest& request,
                                     const DecisionContext& context,
                                     std::span<const Delegation> delegations) {
  const auto index = approval.current_stage;
  const auto& stage = approval.stages[index];
  const auto& actor = context.actor_id;
  const auto already = [&](const std::string& approver) {
    return conflict(approver == actor
                        ? "You have already decided on " + stage_label(index, stage.name) + "."
                        : "User " + approver + " has already decided on " +
                              stage_label(index, stage.name) + ".");
  };
  if (request.on_behalf_of && *request.on_behalf_of != actor) {
    const auto& approver = *request.on_behalf_of;
    if (!contains(stage.approver_ids, approver))
      return forbidden("User " + approver + " is not an approver of the current " +
                       stage_label(index, stage.name) + ".");
    if (!delegated_to(delegations, approver, actor, context.today))
      return forbidden("You are not a delegate of user " + approver + " today.");
    if (has_decided(approval, index, approver)) return already(approver);
    return approver;
  }
  if (contains(stage.approver_ids, actor)) {
    if (has_decided(approval, index, actor)) return already(actor);
    return actor;
  }
  std::vector<std::string> open;
  std::optional<std::string> decided;
  for (const auto& approver : stage.approver_ids) {
    if (!delegated_to(delegations, approver, actor, context.today)) continue;
    if (has_decided(approval, index, approver))
      decided = approver;
    else
      open.push_back(approver);
  }
  if (open.size() == 1) return open.front();
  if (open.size() > 1)
    return Error(ErrorKind::validation, "You are a delegate of several approvers of this stage.",
                 {{"onBehalfOf", "is required: say on whose behalf you decide"}});
  if (decided) return already(*decided);
  for (std::size_t i = 0; i < approval.stages.size(); ++i)
    if (i != index && contains(approval.stages[i].approver_ids, actor))
      return conflict("You approve " + stage_label(i, approval.stages[i].name) +
                      ", but the current stage is " + stage_label(index, stage.name) + ".");
  return forbidden("You are not an approver of the current " + stage_label(index, stage.name) +
                   " and not a delegate of one today.");
}

bj::value date_or_null(const std::optional<CivilDate>& date) {
  return date ? bj::value(bj::string(format_date(*date))) : bj::value(nullptr);
}

}  // namespace

Result<Approval> start_approval(const ApprovalRule& rule, const ApprovalStart& start,
                                std::span<const OrgUser> users) {
  Approval approval;
  approval.contract_id = start.contract_id;
  approval.owner_id = start.owner_id;
  approval.policy_name = start.policy_name;
  approval.rule_name = rule.name;
  approval.created_at = start.now;
  for (std::size_t i = 0; i < rule.stages.size(); ++i) {
    const auto& tmpl = rule.stages[i];
    ApprovalStage stage;
    stage.name = tmpl.name;
    stage.mode = tmpl.mode;
    stage.sla_days = tmpl.sla_days;
    stage.approver_ids = resolve_approvers(tmpl, start.owner_id, users);
    if (stage.approver_ids.empty())
      return Error(ErrorKind::unprocessable,
                   "The " + stage_label(i, tmpl.name) + " of approval rule \"" + rule.name +
                       "\" has no eligible approver: the contract's owner cannot approve their "
                       "own contract, and inactive users and viewers are skipped. An admin must "
                       "change the approval policy.");
    approval.stages.push_back(std::move(stage));
  }
  if (approval.stages.empty()) {
    approval.status = ApprovalStatus::approved;
    approval.completed_at = start.now;
  } else {
    approval.stages.front().status = StageStatus::pending;
    approval.stages.front().started_on = start.today;
  }
  return approval;
}

Result<DecisionRequest> parse_decision_request(const bj::object& body) {
  json::ObjectReader r(body);
  DecisionRequest request;
  if (auto text = r.string("decision", {.min = 1, .max = 20, .required = true})) {
    if (*text == "approve")
      request.decision = Decision::approve;
    else if (*text == "reject")
      request.decision = Decision::reject;
    else
      r.error("decision", "must be approve or reject");
  }
  request.comment = r.string("comment", {.max = kMaxDecisionComment}).value_or("");
  if (request.decision == Decision::reject && request.comment.empty() && r.errors().empty())
    r.error("comment", "is required to reject (say what must change)");
  if (auto id = r.string("onBehalfOf", {.min = 1, .max = 36})) {
    if (is_valid_id(*id))
      request.on_behalf_of = *id;
    else
      r.error("onBehalfOf", "must be a user id");
  }
  if (auto stage = r.integer("stage", 0, static_cast<std::int64_t>(kMaxPolicyStages) - 1))
    request.stage = static_cast<std::size_t>(*stage);
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  return request;
}

Result<DecisionOutcome> decide(Approval& approval, const DecisionRequest& request,
                               const DecisionContext& context,
                               std::span<const Delegation> delegations) {
  if (approval.status != ApprovalStatus::pending)
    return conflict("The approval is no longer pending (it is " +
                    std::string(to_string(approval.status)) + ").");
  const auto index = approval.current_stage;
  if (request.stage && *request.stage != index)
    return conflict("Stage " + std::to_string(*request.stage + 1) +
                    " is not the current stage; the current one is " +
                    stage_label(index, approval.stages[index].name) + ".");
  if (context.actor_id == approval.owner_id)
    return forbidden("Nobody approves their own contract, not even as a delegate.");
  auto approver = resolve_approver(approval, request, context, delegations);
  if (!approver) return approver.error();
  if (request.decision == Decision::reject && trim(request.comment).empty())
    return validation_failed({{"comment", "is required to reject (say what must change)"}});
  if (utf8::length(request.comment) > kMaxDecisionComment)
    return validation_failed(
        {{"comment", "must be at most " + std::to_string(kMaxDecisionComment) + " characters"}});

  ApprovalDecision decision{index,           *approver,  context.actor_id, request.decision,
                            request.comment, context.now};
  approval.decisions.push_back(decision);
  auto& stage = approval.stages[index];
  DecisionOutcome outcome{DecisionEffect::recorded, std::move(decision)};
  if (request.decision == Decision::reject) {
    stage.status = StageStatus::rejected;
    stage.completed_on = context.today;
    approval.status = ApprovalStatus::rejected;
    approval.completed_at = context.now;
    outcome.effect = DecisionEffect::rejected;
    return outcome;
  }
  if (!stage_complete(approval)) return outcome;
  stage.status = StageStatus::approved;
  stage.completed_on = context.today;
  if (index + 1 == approval.stages.size()) {
    approval.status = ApprovalStatus::approved;
    approval.completed_at = context.now;
    outcome.effect = DecisionEffect::approved;
    return outcome;
  }
  approval.current_stage = index + 1;
  auto& next = approval.stages[index + 1];
  next.status = StageStatus::pending;
  next.started_on = context.today;
  outcome.effect = DecisionEffect::stage_advanced;
  return outcome;
}

std::vector<std::string> awaiting(const Approval& approval) {
  std::vector<std::string> out;
  if (approval.status != ApprovalStatus::pending) return out;
  for (const auto& id : approval.stages[approval.current_stage].approver_ids)
    if (!has_decided(approval, approval.current_stage, id)) out.push_back(id);
  return out;
}

bool is_awaiting(const Approval& approval, std::string_view user_id, const CivilDate& today,
                 std::span<const Delegation> delegations) {
  if (user_id == approval.owner_id) return false;
  const auto open = awaiting(approval);
  return std::any_of(open.begin(), open.end(), [&](const std::string& approver) {
    return approver == user_id || delegated_to(delegations, approver, user_id, today);
  });
}

std::vector<const Approval*> pending_for(std::span<const Approval> approvals,
                                         std::string_view user_id, const CivilDate& today,
                                         std::span<const Delegation> delegations) {
  std::vector<const Approval*> out;
  for (const auto& approval : approvals)
    if (is_awaiting(approval, user_id, today, delegations)) out.push_back(&approval);
  return out;
}

std::optional<CivilDate> due_on(const ApprovalStage& stage) {
  if (!stage.started_on) return std::nullopt;
  return civil_from_days(days_from_civil(*stage.started_on) + stage.sla_days);
}

bool is_overdue(const Approval& approval, const CivilDate& today) {
  if (approval.status != ApprovalStatus::pending) return false;
  const auto due = due_on(approval.stages[approval.current_stage]);
  return due && *due < today;
}

Result<bool> void_approval(Approval& approval, std::string_view reason, std::int64_t now) {
  if (approval.status != ApprovalStatus::pending && approval.status != ApprovalStatus::approved)
    return conflict("Only a pending or approved approval can be voided (it is " +
                    std::string(to_string(approval.status)) + ").");
  const auto text = trim(reason);
  if (text.empty()) return validation_failed({{"reason", "is required"}});
  for (auto& stage : approval.stages)
    if (stage.status == StageStatus::waiting || stage.status == StageStatus::pending)
      stage.status = StageStatus::voided;
  approval.status = ApprovalStatus::voided;
  approval.void_reason = text;
  approval.completed_at = now;
  return true;
}

bool delegation_covers(const Delegation& delegation, const CivilDate& day) noexcept {
  return delegation.from <= day && day <= delegation.to;
}

Result<Delegation> parse_delegation(const bj::object& body, std::string_view user_id) {
  json::ObjectReader r(body);
  Delegation d;
  d.user_id = std::string(user_id);
  if (auto id = r.string("delegateId", {.min = 1, .max = 36, .required = true})) {
    if (!is_valid_id(*id))
      r.error("delegateId", "must be a user id");
    else if (*id == user_id)
      r.error("delegateId", "must be someone else");
    else
      d.delegate_id = *id;
  }
  const auto read_day = [&](std::string_view key) -> std::optional<CivilDate> {
    auto text = r.string(key, {.min = 1, .max = 10, .required = true});
    if (!text) return std::nullopt;
    auto day = parse_date(*text);
    if (!day) r.error(key, "must be a date in the form YYYY-MM-DD");
    return day;
  };
  const auto from = read_day("from");
  const auto to = read_day("to");
  if (from && to && *to < *from) r.error("to", "must not be before from");
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  d.from = *from;
  d.to = *to;
  return d;
}

bj::object to_json(const Delegation& d) {
  return {{"userId", d.user_id},
          {"delegateId", d.delegate_id},
          {"from", format_date(d.from)},
          {"to", format_date(d.to)}};
}

bj::object to_json(const Approval& approval) {
  const auto open = awaiting(approval);
  const bool pending = approval.status == ApprovalStatus::pending;
  bj::array stages;
  for (std::size_t i = 0; i < approval.stages.size(); ++i) {
    const auto& s = approval.stages[i];
    const bool current = pending && i == approval.current_stage;
    stages.push_back(bj::object{{"name", s.name},
                                {"mode", to_string(s.mode)},
                                {"slaDays", s.sla_days},
                                {"status", to_string(s.status)},
                                {"startedOn", date_or_null(s.started_on)},
                                {"dueOn", date_or_null(due_on(s))},
                                {"completedOn", date_or_null(s.completed_on)},
                                {"approverIds", json::string_array(s.approver_ids)},
                                {"awaiting", current ? json::string_array(open) : bj::array{}}});
  }
  bj::array decisions;
  for (const auto& d : approval.decisions)
    decisions.push_back(bj::object{{"stage", d.stage},
                                   {"approverId", d.approver_id},
                                   {"actorId", d.actor_id},
                                   {"decision", to_string(d.decision)},
                                   {"comment", d.comment},
                                   {"at", format_rfc3339(d.at)}});
  return {{"contractId", approval.contract_id},
          {"ownerId", approval.owner_id},
          {"policyName", approval.policy_name},
          {"ruleName", approval.rule_name},
          {"status", to_string(approval.status)},
          {"currentStage", pending ? bj::value(approval.current_stage) : bj::value(nullptr)},
          {"createdAt", format_rfc3339(approval.created_at)},
          {"completedAt", approval.completed_at ? bj::value(format_rfc3339(*approval.completed_at))
                                                : bj::value(nullptr)},
          {"voidReason", approval.void_reason ? bj::value(bj::string(*approval.void_reason))
                                              : bj::value(nullptr)},
          {"stages", std::move(stages)},
          {"decisions", std::move(decisions)}};
}

}  // namespace cm
