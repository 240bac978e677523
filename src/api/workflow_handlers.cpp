// SPDX-License-Identifier: AGPL-3.0-or-later
// Contract workflow over HTTP: transitions and their history, the organization's approval
// policy, approvals and their decisions, the caller's pending approvals and delegations.
// The rules live in src/core (lifecycle, approval_policy, approval); these handlers load, ask
// them, and save the outcome with its history, audit event and notifications in one transaction.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/contract_json.hpp"
#include "api/contract_lookup.hpp"
#include "api/etags.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "core/approval.hpp"
#include "core/approval_policy.hpp"
#include "core/collaboration.hpp"
#include "core/contract.hpp"
#include "core/json.hpp"
#include "core/lifecycle.hpp"
#include "core/permissions.hpp"
#include "core/renewal.hpp"
#include "core/time.hpp"
#include "store/collaboration_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"
#include "store/workflow_repository.hpp"
#include "workflow/org_calendar.hpp"
#include "workflow/renewals.hpp"
#include "workflow/transitions.hpp"

namespace cm::api {

namespace {

constexpr std::size_t kMaxTransitionComment = 2000;
constexpr std::size_t kMaxDelegations = 20;

bj::value opt_string(const std::optional<std::string>& s) {
  return s ? bj::value(bj::string(*s)) : bj::value(nullptr);
}

bj::object approval_json(const store::StoredApproval& a) {
  auto out = to_json(a.approval);
  out["id"] = a.id;
  return out;
}

class WorkflowHandlers {
 public:
  explicit WorkflowHandlers(const ApiDependencies& deps) : db_(deps.db), calendar_(deps.calendar) {}

  http::Response transition(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    const auto expected = if_match_version(req, false);
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    const auto to = r.string("to", {.min = 1, .max = 40, .required = true});
    const auto comment = r.string("comment", {.min = 0, .max = kMaxTransitionComment});
    auto errors = r.finish();
    if (!errors.empty()) throw validation_failed(std::move(errors));
    auto target = parse_transition_target(*to);
    if (!target) throw target.error();
    Contract result;
    CivilDate today;
    in_write_transaction(db_, [&](store::Connection& conn) {
      today = calendar_.today(conn, p.org_id, now_unix_ms());
      auto contract = require_contract(conn, p, id);
      if (expected && *expected != contract.version)
        throw Error{ErrorKind::precondition_failed,
                    "The contract was changed by someone else; reload and retry."};
      const auto from = parse_contract_state(contract.status);
      if (!from) throw Error{ErrorKind::internal, "unknown stored status " + contract.status};
      const std::string reason = comment.value_or("");
      const TransitionContext context{
          .actor = Actor::user, .principal = &p, .owner_id = contract.owner_id, .reason = reason};
      auto row = check_transition(*from, *target, context);
      if (!row) throw row.error();
      // Renewing and terminating carry terms: the same rules as POST .../renew and .../terminate
      // (renew by the contract's own term; terminate effective today, respecting notice).
      if (*target == ContractState::renewed) {
        RenewalTerms terms;
        terms.comment = comment;
        workflow::renew_contract(conn, audit_actor(req), contract, terms, today, p.user_id);
        result = std::move(contract);
        return;
      }
      if (*target == ContractState::terminated) {
        workflow::terminate_contract(conn, audit_actor(req), contract,
                                     {reason, std::nullopt, false}, today, p.user_id);
        result = std::move(contract);
        return;
      }
      workflow::apply_transition(conn, audit_actor(req), contract, *row, p.user_id,
                                 comment && !comment->empty() ? comment : std::nullopt);
      if (*target == ContractState::in_review)
        workflow::start_contract_approval(conn, audit_actor(req), contract, today);
      result = std::move(contract);
    });
    return versioned_json(200, contract_json(result, today, p), result.version);
  }

  // Archiving is a flag on closed contracts (expired, terminated, cancelled), not a state: it
  // hides nothing and changes nothing else. Repeating it changes nothing.
  http::Response archive(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    Contract result;
    CivilDate today;
    in_write_transaction(db_, [&](store::Connection& conn) {
      today = calendar_.today(conn, p.org_id, now_unix_ms());
      auto contract = require_contract(conn, p, id);
      if (!permissions::can_write(p) || !permissions::can_edit_contract(p, contract.owner_id))
        throw forbidden("You may not archive this contract.");
      const auto state = parse_contract_state(contract.status);
      if (!state || !can_archive(*state))
        throw conflict(
            "Only expired, terminated or cancelled contracts can be archived; this one "
            "is " +
            contract.status + ".");
      if (!contract.archived) {
        const auto expected = contract.version;
        contract.archived = true;
        contract.updated_at = now_unix_ms();
        if (!store::ContractRepository(conn).update(contract, expected))
          throw Error{ErrorKind::precondition_failed,
                      "The contract was changed by someone else; reload and retry."};
        contract.version = expected + 1;
        audit(conn, req, "contract.archived", "contract", id,
              bj::object{{"archived", bj::object{{"from", false}, {"to", true}}}});
      }
      result = std::move(contract);
    });
    return versioned_json(200, contract_json(result, today, p), result.version);
  }

  http::Response history(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    std::vector<store::TransitionRecord> rows;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, id);
      rows = store::TransitionRepository(conn).list(p.org_id, id);
    });
    bj::array items;
    for (const auto& t : rows)
      items.push_back(bj::object{{"id", t.id},
                                 {"from", t.from_status},
                                 {"to", t.to_status},
                                 {"actorId", opt_string(t.actor_id)},
                                 {"system", !t.actor_id.has_value()},
                                 {"comment", opt_string(t.comment)},
                                 {"at", format_rfc3339(t.at)}});
    return json_response(200, bj::object{{"items", std::move(items)}});
  }

  http::Response get_policy(http::Request& req) {
    const auto& p = principal_of(req);
    std::optional<store::StoredPolicy> stored;
    in_read_transaction(db_, [&](store::Connection& conn) {
      stored = store::ApprovalPolicyRepository(conn).find(p.org_id);
    });
    return policy_response(stored);
  }

  http::Response put_policy(http::Request& req) {
    const auto& p = principal_of(req);
    if (p.role != Role::admin) throw forbidden("Only administrators change the approval policy.");
    const auto body = read_json_body(req);
    auto policy = parse_policy(body);
    if (!policy) throw policy.error();
    std::optional<store::StoredPolicy> stored;
    in_write_transaction(db_, [&](store::Connection& conn) {
      const auto org = store::OrganizationRepository(conn).find_by_id(p.org_id);
      auto type_errors =
          check_policy_types(*policy, org ? org->contract_types : default_contract_types());
      if (!type_errors.empty()) throw validation_failed(std::move(type_errors));
      store::ApprovalPolicyRepository repo(conn);
      const auto version = repo.save(p.org_id, *policy, p.actor_id, now_unix_ms());
      audit(conn, req, "approval_policy.updated", "organization", p.org_id,
            bj::object{{"version", version}, {"policy", to_json(*policy)}});
      stored = repo.find(p.org_id);
    });
    return policy_response(stored);
  }

  http::Response get_approval(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    std::optional<store::StoredApproval> approval;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, id);
      approval = store::ApprovalRepository(conn).latest(p.org_id, id);
    });
    if (!approval) throw not_found("approval");
    return json_response(200, approval_json(*approval));
  }

  http::Response decide_approval(http::Request& req) {
    const auto& p = principal_of(req);
    // A viewer key acts for the admin who created it, who may be an approver: viewers never decide.
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot decide approvals.");
    const auto id = id_param(req, "id", "contract");
    const auto body = read_json_body(req);
    auto request = parse_decision_request(body);
    if (!request) throw request.error();
    store::StoredApproval result;
    in_write_transaction(db_, [&](store::Connection& conn) {
      auto contract = require_contract(conn, p, id);
      store::ApprovalRepository approvals(conn);
      auto stored = approvals.latest(p.org_id, id, true);
      if (!stored || stored->approval.status != ApprovalStatus::pending)
        throw conflict("The contract has no approval under way.");
      const auto now = now_unix_ms();
      const auto delegations = store::DelegationRepository(conn).all(p.org_id);
      auto outcome = decide(stored->approval, *request,
                            {p.user_id, now, calendar_.today(conn, p.org_id, now)}, delegations);
      if (!outcome) throw outcome.error();
      stored->updated_at = now;
      approvals.update(*stored);
      audit(conn, req, "approval.decided", "contract", id,
            bj::object{{"approvalId", stored->id},
                       {"stage", outcome->decision.stage},
                       {"decision", to_string(outcome->decision.decision)},
                       {"approverId", outcome->decision.approver_id},
                       {"effect", to_string(outcome->effect)}});
      switch (outcome->effect) {
        case DecisionEffect::recorded:
          break;
        case DecisionEffect::stage_advanced:
          workflow::notify_approvers(conn, contract, stored->approval);
          break;
        case DecisionEffect::approved:
          workflow::apply_transition(
              conn, audit_actor(req), contract,
              *find_transition(ContractState::in_review, ContractState::approved), std::nullopt,
              std::string("approval completed"));
          break;
        case DecisionEffect::rejected:
          workflow::apply_transition(
              conn, audit_actor(req), contract,
              *find_transition(ContractState::in_review, ContractState::draft), std::nullopt,
              "rejected: " + outcome->decision.comment);
          break;
      }
      notify_owner(conn, contract, *outcome, now);
      result = std::move(*stored);
    });
    return json_response(200, approval_json(result));
  }

  http::Response my_approvals(http::Request& req) {
    const auto& p = principal_of(req);
    const auto assignee = req.query_param("assignee");
    if (!assignee || *assignee != "me") throw validation_failed({{"assignee", "must be me"}});
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    bj::array items;
    in_read_transaction(db_, [&](store::Connection& conn) {
      const auto delegations = store::DelegationRepository(conn).all(p.org_id);
      store::ContractRepository contracts(conn);
      for (const auto& a : store::ApprovalRepository(conn).pending(p.org_id)) {
        if (!is_awaiting(a.approval, p.user_id, today, delegations)) continue;
        auto item = approval_json(a);
        if (const auto c = contracts.find(p.org_id, a.approval.contract_id))
          item["contractTitle"] = c->title;
        items.push_back(std::move(item));
      }
    });
    return json_response(200, bj::object{{"items", std::move(items)}});
  }

  http::Response get_delegations(http::Request& req) {
    const auto& p = principal_of(req);
    std::vector<Delegation> rows;
    in_read_transaction(db_, [&](store::Connection& conn) {
      rows = store::DelegationRepository(conn).of_user(p.org_id, p.user_id);
    });
    return delegations_response(rows);
  }

  http::Response put_delegations(http::Request& req) {
    const auto& p = principal_of(req);
    // Delegating hands on the creator's approval authority; only the person may do that.
    if (p.actor_type != ActorType::user)
      throw forbidden("Delegations are a person's own; API keys cannot change them.");
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    const auto* items = r.array("items", true);
    auto errors = r.finish();
    if (!errors.empty()) throw validation_failed(std::move(errors));
    if (items->size() > kMaxDelegations)
      throw validation_failed(
          {{"items", "at most " + std::to_string(kMaxDelegations) + " delegations"}});
    std::vector<Delegation> delegations;
    for (std::size_t i = 0; i < items->size(); ++i) {
      const auto path = "items[" + std::to_string(i) + "]";
      if (!(*items)[i].is_object()) throw validation_failed({{path, "must be an object"}});
      auto d = parse_delegation((*items)[i].as_object(), p.user_id);
      if (!d) throw d.error();
      delegations.push_back(std::move(*d));
    }
    in_write_transaction(db_, [&](store::Connection& conn) {
      store::UserRepository users(conn);
      for (std::size_t i = 0; i < delegations.size(); ++i) {
        const auto delegate = users.find(p.org_id, delegations[i].delegate_id);
        if (!delegate || !delegate->active || delegate->role == Role::viewer)
          throw validation_failed({{"items[" + std::to_string(i) + "].delegateId",
                                    "must be an active, non-viewer user of your organization"}});
      }
      store::DelegationRepository(conn).replace(p.org_id, p.user_id, delegations, now_unix_ms());
      bj::array audited;
      for (const auto& d : delegations) audited.push_back(to_json(d));
      audit(conn, req, "delegation.updated", "user", p.user_id,
            bj::object{{"delegations", std::move(audited)}});
    });
    return delegations_response(delegations);
  }

 private:
  static http::Response policy_response(const std::optional<store::StoredPolicy>& stored) {
    auto out = to_json(stored ? stored->policy : workflow::default_approval_policy());
    out["isDefault"] = !stored.has_value();
    out["version"] = stored ? stored->version : 0;
    out["updatedBy"] = stored ? bj::value(bj::string(stored->updated_by)) : bj::value(nullptr);
    out["updatedAt"] =
        stored ? bj::value(bj::string(format_rfc3339(stored->updated_at))) : bj::value(nullptr);
    return json_response(200, out);
  }

  static http::Response delegations_response(const std::vector<Delegation>& rows) {
    bj::array items;
    for (const auto& d : rows) items.push_back(to_json(d));
    return json_response(200, bj::object{{"items", std::move(items)}});
  }

  static void notify_owner(store::Connection& conn, const Contract& contract,
                           const DecisionOutcome& outcome, std::int64_t now) {
    if (outcome.decision.actor_id == contract.owner_id) return;
    const auto n = contract_notification(
        contract.org_id, contract.id, contract.owner_id, NotificationKind::approval_decided,
        std::string(outcome.decision.decision == Decision::approve ? "Approved: " : "Rejected: ") +
            contract.title,
        bj::object{{"decision", to_string(outcome.decision.decision)},
                   {"effect", to_string(outcome.effect)},
                   {"approverId", outcome.decision.approver_id},
                   {"actorId", outcome.decision.actor_id}},
        now);
    store::NotificationRepository(conn).notify(n);
  }

  store::Database& db_;
  workflow::OrgCalendar& calendar_;
};

}  // namespace

void add_workflow_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<WorkflowHandlers>(deps);
  const std::string contract = "/api/v1/contracts/{id}";
  router.add("POST", contract + "/transitions", [h](http::Request& r) { return h->transition(r); });
  router.add("POST", contract + "/archive", [h](http::Request& r) { return h->archive(r); });
  router.add("GET", contract + "/history", [h](http::Request& r) { return h->history(r); });
  router.add("GET", contract + "/approval", [h](http::Request& r) { return h->get_approval(r); });
  router.add("POST", contract + "/approval/decisions",
             [h](http::Request& r) { return h->decide_approval(r); });
  router.add("GET", "/api/v1/approval-policies",
             [h](http::Request& r) { return h->get_policy(r); });
  router.add("PUT", "/api/v1/approval-policies",
             [h](http::Request& r) { return h->put_policy(r); });
  router.add("GET", "/api/v1/approvals", [h](http::Request& r) { return h->my_approvals(r); });
  router.add("GET", "/api/v1/me/delegations",
             [h](http::Request& r) { return h->get_delegations(r); });
  router.add("PUT", "/api/v1/me/delegations",
             [h](http::Request& r) { return h->put_delegations(r); });
}

}  // namespace cm::api
