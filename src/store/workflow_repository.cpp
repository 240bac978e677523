// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/workflow_repository.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace cm::store {

namespace bj = boost::json;

namespace {

std::string s(std::string_view v) {
  return std::string(v);
}

std::string string_at(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<CivilDate> date_at(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return parse_date(v->as_string());
}

std::int64_t instant_at(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return 0;
  return parse_rfc3339(v->as_string()).value_or(0);
}

std::vector<std::string> strings_at(const bj::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& item : v->as_array()) out.emplace_back(item.as_string());
  return out;
}

ApprovalStatus approval_status(std::string_view text) {
  if (text == "pending") return ApprovalStatus::pending;
  if (text == "approved") return ApprovalStatus::approved;
  if (text == "rejected") return ApprovalStatus::rejected;
  if (text == "void") return ApprovalStatus::voided;
  throw std::runtime_error("stored approval has an unknown status");
}

StageStatus stage_status(std::string_view text) {
  if (text == "waiting") return StageStatus::waiting;
  if (text == "pending") return StageStatus::pending;
  if (text == "approved") return StageStatus::approved;
  if (text == "rejected") return StageStatus::rejected;
  if (text == "void") return StageStatus::voided;
  throw std::runtime_error("stored approval stage has an unknown status");
}

StoredApproval approval_row(const Row& r) {
  StoredApproval a;
  a.id = r.text(0);
  a.org_id = r.text(1);
  a.approval = approval_from_json(bj::parse(r.text(2)).as_object());
  a.created_at = r.int64(3);
  a.updated_at = r.int64(4);
  return a;
}

const std::string kApprovalColumns = "id, org_id, approval, created_at, updated_at";

Delegation delegation_row(const Row& r) {
  Delegation d;
  d.user_id = r.text(0);
  d.delegate_id = r.text(1);
  d.from = parse_date(r.text(2)).value_or(CivilDate{});
  d.to = parse_date(r.text(3)).value_or(CivilDate{});
  return d;
}

}  // namespace

Approval approval_from_json(const bj::object& o) {
  Approval a;
  a.contract_id = string_at(o, "contractId");
  a.owner_id = string_at(o, "ownerId");
  a.policy_name = string_at(o, "policyName");
  a.rule_name = string_at(o, "ruleName");
  a.status = approval_status(string_at(o, "status"));
  if (const auto* v = o.if_contains("currentStage"); v && v->is_number())
    a.current_stage = static_cast<std::size_t>(v->to_number<std::int64_t>());
  a.created_at = instant_at(o, "createdAt");
  if (const auto* v = o.if_contains("completedAt"); v && v->is_string())
    a.completed_at = parse_rfc3339(v->as_string());
  if (const auto* v = o.if_contains("voidReason"); v && v->is_string())
    a.void_reason = std::string(v->as_string());
  for (const auto& item : o.at("stages").as_array()) {
    const auto& so = item.as_object();
    ApprovalStage st;
    st.name = string_at(so, "name");
    st.mode = parse_approval_mode(string_at(so, "mode")).value_or(ApprovalMode::any);
    st.sla_days = static_cast<int>(so.at("slaDays").to_number<std::int64_t>());
    st.status = stage_status(string_at(so, "status"));
    st.started_on = date_at(so, "startedOn");
    st.completed_on = date_at(so, "completedOn");
    st.approver_ids = strings_at(so, "approverIds");
    a.stages.push_back(std::move(st));
  }
  for (const auto& item : o.at("decisions").as_array()) {
    const auto& d = item.as_object();
    ApprovalDecision dec;
    dec.stage = static_cast<std::size_t>(d.at("stage").to_number<std::int64_t>());
    dec.approver_id = string_at(d, "approverId");
    dec.actor_id = string_at(d, "actorId");
    dec.decision = string_at(d, "decision") == "reject" ? Decision::reject : Decision::approve;
    dec.comment = string_at(d, "comment");
    dec.at = instant_at(d, "at");
    a.decisions.push_back(std::move(dec));
  }
  // currentStage is shown only while pending; otherwise it is the last stage that started
  // (stages start one after the other, so this is where the approval stopped).
  if (a.status != ApprovalStatus::pending)
    for (std::size_t i = 0; i < a.stages.size(); ++i)
      if (a.stages[i].started_on) a.current_stage = i;
  return a;
}

void TransitionRepository::insert(const TransitionRecord& t) {
  conn_.query(
      "INSERT INTO contract_transitions (id, org_id, contract_id, from_status, to_status, "
      "actor_id, comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {t.id, t.org_id, t.contract_id, t.from_status, t.to_status, opt(t.actor_id), opt(t.comment),
       t.at});
}

std::vector<TransitionRecord> TransitionRepository::list(std::string_view org_id,
                                                         std::string_view contract_id) {
  std::vector<TransitionRecord> out;
  const auto r = conn_.query(
      "SELECT id, org_id, contract_id, from_status, to_status, actor_id, comment, at "
      "FROM contract_transitions WHERE org_id = $1 AND contract_id = $2 ORDER BY at, id",
      {s(org_id), s(contract_id)});
  for (const auto& row : r.rows)
    out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.opt_text(5),
                   row.opt_text(6), row.int64(7)});
  return out;
}

std::optional<StoredPolicy> ApprovalPolicyRepository::find(std::string_view org_id) {
  const auto r = conn_.query(
      "SELECT policy, version, updated_by, updated_at FROM approval_policies WHERE org_id = $1",
      {s(org_id)});
  if (r.empty()) return std::nullopt;
  const auto& row = r.rows.front();
  auto policy = parse_policy(bj::parse(row.text(0)).as_object());
  if (!policy) throw std::runtime_error("stored approval policy does not parse");
  return StoredPolicy{std::move(*policy), row.int64(1), row.text(2), row.int64(3)};
}

std::int64_t ApprovalPolicyRepository::save(std::string_view org_id, const ApprovalPolicy& policy,
                                            std::string_view updated_by, std::int64_t now) {
  const std::string json = bj::serialize(to_json(policy));
  const auto updated = conn_.query(
      "UPDATE approval_policies SET policy = $2, version = version + 1, updated_by = $3, "
      "updated_at = $4 WHERE org_id = $1",
      {s(org_id), json, s(updated_by), now});
  if (updated.affected == 0)
    conn_.query(
        "INSERT INTO approval_policies (org_id, policy, version, updated_by, updated_at) "
        "VALUES ($1, $2, 1, $3, $4)",
        {s(org_id), json, s(updated_by), now});
  return conn_.query("SELECT version FROM approval_policies WHERE org_id = $1", {s(org_id)})
      .rows.front()
      .int64(0);
}

void ApprovalRepository::insert(const StoredApproval& a) {
  conn_.query(
      "INSERT INTO contract_approvals (id, org_id, contract_id, status, approval, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {a.id, a.org_id, a.approval.contract_id, s(to_string(a.approval.status)),
       bj::serialize(to_json(a.approval)), a.created_at, a.updated_at});
}

void ApprovalRepository::update(const StoredApproval& a) {
  conn_.query(
      "UPDATE contract_approvals SET status = $3, approval = $4, updated_at = $5 "
      "WHERE id = $1 AND org_id = $2",
      {a.id, a.org_id, s(to_string(a.approval.status)), bj::serialize(to_json(a.approval)),
       a.updated_at});
}

std::optional<StoredApproval> ApprovalRepository::latest(std::string_view org_id,
                                                         std::string_view contract_id,
                                                         bool for_update) {
  const std::string lock =
      for_update && conn_.dialect() == Dialect::postgres ? " FOR UPDATE" : std::string();
  const auto r = conn_.query("SELECT " + kApprovalColumns +
                                 " FROM contract_approvals WHERE org_id = $1 AND contract_id = $2 "
                                 "ORDER BY created_at DESC, id DESC LIMIT 1" +
                                 lock,
                             {s(org_id), s(contract_id)});
  if (r.empty()) return std::nullopt;
  return approval_row(r.rows.front());
}

std::vector<StoredApproval> ApprovalRepository::pending(std::string_view org_id) {
  std::vector<StoredApproval> out;
  for (const auto& row : conn_
                             .query("SELECT " + kApprovalColumns +
                                        " FROM contract_approvals WHERE org_id = $1 AND "
                                        "status = 'pending' ORDER BY created_at, id",
                                    {s(org_id)})
                             .rows)
    out.push_back(approval_row(row));
  return out;
}

void DelegationRepository::replace(std::string_view org_id, std::string_view user_id,
                                   const std::vector<Delegation>& delegations, std::int64_t now) {
  conn_.query("DELETE FROM approval_delegations WHERE org_id = $1 AND user_id = $2",
              {s(org_id), s(user_id)});
  for (const auto& d : delegations)
    conn_.query(
        "INSERT INTO approval_delegations (id, org_id, user_id, delegate_id, from_date, to_date, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {new_id(), s(org_id), d.user_id, d.delegate_id, format_date(d.from), format_date(d.to),
         now});
}

std::vector<Delegation> DelegationRepository::of_user(std::string_view org_id,
                                                      std::string_view user_id) {
  std::vector<Delegation> out;
  for (const auto& row :
       conn_
           .query("SELECT user_id, delegate_id, from_date, to_date FROM approval_delegations "
                  "WHERE org_id = $1 AND user_id = $2 ORDER BY from_date, id",
                  {s(org_id), s(user_id)})
           .rows)
    out.push_back(delegation_row(row));
  return out;
}

std::vector<Delegation> DelegationRepository::all(std::string_view org_id) {
  std::vector<Delegation> out;
  for (const auto& row :
       conn_
           .query("SELECT user_id, delegate_id, from_date, to_date FROM approval_delegations "
                  "WHERE org_id = $1 ORDER BY user_id, from_date, id",
                  {s(org_id)})
           .rows)
    out.push_back(delegation_row(row));
  return out;
}

std::vector<OrgUser> org_users(Connection& conn, std::string_view org_id) {
  std::vector<OrgUser> out;
  for (const auto& row :
       conn.query("SELECT id, role, active FROM users WHERE org_id = $1 ORDER BY id", {s(org_id)})
           .rows)
    out.push_back({row.text(0), parse_role(row.text(1)).value_or(Role::viewer), row.boolean(2)});
  return out;
}

std::vector<std::string> party_countries(Connection& conn, std::string_view org_id,
                                         std::string_view contract_id) {
  std::vector<std::string> out;
  for (const auto& row :
       conn.query("SELECT DISTINCT c.country FROM contract_parties p JOIN counterparties c ON "
                  "c.id = p.counterparty_id WHERE p.org_id = $1 AND p.contract_id = $2 AND "
                  "c.country IS NOT NULL ORDER BY c.country",
                  {s(org_id), s(contract_id)})
           .rows)
    out.push_back(row.text(0));
  return out;
}

}  // namespace cm::store
