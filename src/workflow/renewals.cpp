// SPDX-License-Identifier: AGPL-3.0-or-later
#include "workflow/renewals.hpp"

#include <boost/json.hpp>
#include <set>

#include "core/calendar.hpp"
#include "core/collaboration.hpp"
#include "store/audit_repository.hpp"
#include "store/collaboration_repository.hpp"
#include "store/contract_repository.hpp"
#include "workflow/transitions.hpp"

namespace cm::workflow {

namespace bj = boost::json;

namespace {

const Transition& transition_to(const Contract& contract, ContractState to) {
  const auto from = parse_contract_state(contract.status);
  const auto* row = from ? find_transition(*from, to) : nullptr;
  if (!row)
    throw Error{ErrorKind::conflict, "A " + contract.status + " contract cannot become " +
                                         std::string(to_string(to)) + "."};
  return *row;
}

// The owner and everyone watching the contract, once each.
std::vector<std::string> followers(store::Connection& conn, const Contract& contract) {
  std::set<std::string> ids{contract.owner_id};
  for (auto& id : store::WatcherRepository(conn).user_ids(contract.org_id, contract.id))
    ids.insert(std::move(id));
  return {ids.begin(), ids.end()};
}

void notify_followers(store::Connection& conn, const Contract& contract, const std::string& title,
                      const bj::object& data) {
  store::NotificationRepository notifications(conn);
  const auto now = now_unix_ms();
  for (const auto& user_id : followers(conn, contract)) {
    const auto n = contract_notification(contract.org_id, contract.id, user_id,
                                         NotificationKind::renewal, title, data, now);
    notifications.notify(n);
  }
}

std::string days_phrase(int days) {
  return std::to_string(days) + (days == 1 ? " day" : " days");
}

}  // namespace

void renew_contract(store::Connection& conn, const AuditActor& actor, Contract& contract,
                    const RenewalTerms& terms, const CivilDate& today,
                    const std::optional<std::string>& actor_id) {
  const auto& row = transition_to(contract, ContractState::renewed);
  auto renewed = renewed_terms(contract, terms, today);
  if (!renewed) throw renewed.error();
  const Contract before = contract;
  contract = std::move(*renewed);
  apply_transition(conn, actor, contract, row, actor_id,
                   terms.comment && !terms.comment->empty() ? terms.comment : std::nullopt,
                   &before);
  notify_followers(conn, contract,
                   contract.title + " was renewed until " + contract.expiration_date.value_or("?"),
                   bj::object{{"event", "renewed"},
                              {"expirationDate", contract.expiration_date.value_or("")},
                              {"renewalCount", contract.renewal_count}});
}

TerminationPlan terminate_contract(store::Connection& conn, const AuditActor& actor,
                                   Contract& contract, const TerminationRequest& request,
                                   const CivilDate& today, const std::string& actor_id) {
  auto plan = plan_termination(contract, request, today);
  if (!plan) throw plan.error();
  const auto effective = format_date(plan->effective_date);
  if (plan->immediate) {
    const auto& row = transition_to(contract, ContractState::terminated);
    const Contract before = contract;
    contract.termination_effective_date = effective;
    apply_transition(conn, actor, contract, row, actor_id, request.reason, &before);
  } else {
    const auto before = to_json(contract);
    contract.termination_effective_date = effective;
    contract.termination_reason = request.reason;
    contract.updated_at = now_unix_ms();
    const auto expected = contract.version;
    if (!store::ContractRepository(conn).update(contract, expected)) throw stale_contract();
    contract.version = expected + 1;
    store::record_audit(conn, actor, "contract.termination_scheduled", "contract", contract.id,
                        bj::object{{"effectiveDate", effective},
                                   {"reason", request.reason},
                                   {"forCause", request.for_cause},
                                   {"changes", diff_objects(before, to_json(contract))}});
  }
  notify_followers(conn, contract,
                   plan->immediate ? contract.title + " was terminated"
                                   : contract.title + " will be terminated on " + effective,
                   bj::object{{"event", plan->immediate ? "terminated" : "termination_scheduled"},
                              {"effectiveDate", effective},
                              {"reason", request.reason}});
  return *plan;
}

ExpiryAction run_expiry(store::Connection& conn, const AuditActor& actor, Contract& contract,
                        const CivilDate& today) {
  const auto decision = decide_expiry(contract, today);
  switch (decision.action) {
    case ExpiryAction::none:
      break;
    case ExpiryAction::expire: {
      apply_transition(conn, actor, contract, transition_to(contract, ContractState::expired),
                       std::nullopt, std::string("expired on ") + *contract.expiration_date);
      notify_followers(conn, contract, contract.title + " has expired",
                       bj::object{{"event", "expired"},
                                  {"expirationDate", contract.expiration_date.value_or("")}});
      break;
    }
    case ExpiryAction::renew: {
      const Contract before = contract;
      contract.expiration_date = format_date(*decision.new_expiration);
      contract.renewal_count += decision.terms - 1;  // the transition adds the last one
      apply_transition(
          conn, actor, contract, transition_to(contract, ContractState::renewed), std::nullopt,
          "renewed automatically for " +
              std::to_string(decision.terms * *contract.renewal_term_months) + " months",
          &before);
      notify_followers(conn, contract,
                       contract.title + " renewed automatically until " + *contract.expiration_date,
                       bj::object{{"event", "auto_renewed"},
                                  {"expirationDate", *contract.expiration_date},
                                  {"renewalCount", contract.renewal_count}});
      break;
    }
    case ExpiryAction::terminate: {
      apply_transition(conn, actor, contract, transition_to(contract, ContractState::terminated),
                       std::nullopt, contract.termination_reason.value_or("scheduled termination"));
      notify_followers(
          conn, contract, contract.title + " is now terminated",
          bj::object{{"event", "terminated"},
                     {"effectiveDate", contract.termination_effective_date.value_or("")}});
      break;
    }
  }
  return decision.action;
}

bool send_renewal_reminders(store::Connection& conn, const Contract& contract,
                            const std::vector<int>& offsets, const CivilDate& today,
                            std::optional<CivilDate> active_since) {
  store::ContractRepository contracts(conn);
  std::optional<RenewalReminder> newest;
  for (const auto& reminder : owed_renewal_reminders(contract, offsets, today, active_since))
    if (contracts.record_renewal_reminder(contract, reminder.notice_deadline, reminder.offset_days,
                                          now_unix_ms()))
      newest = reminder;
  if (!newest) return false;
  const auto deadline = format_date(newest->notice_deadline);
  const auto days_left = days_between(today, newest->notice_deadline);
  notify_followers(
      conn, contract,
      "Notice deadline for " + contract.title + " in " + days_phrase(static_cast<int>(days_left)) +
          ", on " + deadline +
          (contract.auto_renew ? " (renews automatically otherwise)"
                               : " (expires on " + contract.expiration_date.value_or("?") + ")"),
      bj::object{{"event", "notice_deadline"},
                 {"noticeDeadline", deadline},
                 {"daysBefore", newest->offset_days},
                 {"expirationDate", contract.expiration_date.value_or("")},
                 {"autoRenew", contract.auto_renew}});
  return true;
}

}  // namespace cm::workflow
