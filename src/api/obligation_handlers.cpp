// SPDX-License-Identifier: AGPL-3.0-or-later
// Obligations and milestones of contracts, and the caller's obligations across contracts.
// Readers of a contract read its obligations; those who may edit the contract change them. Every
// change commits with its audit event.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/contract_lookup.hpp"
#include "api/etags.hpp"
#include "api/handlers.hpp"
#include "api/idempotency.hpp"
#include "api/json_io.hpp"
#include "api/paging.hpp"
#include "api/transactions.hpp"
#include "core/audit.hpp"
#include "core/ids.hpp"
#include "core/obligation.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"
#include "store/contract_repository.hpp"
#include "store/obligation_repository.hpp"
#include "store/user_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::api {

namespace {

constexpr std::string_view kSort = "dueDate";

class ObligationHandlers {
 public:
  explicit ObligationHandlers(const ApiDependencies& deps)
      : db_(deps.db), calendar_(deps.calendar) {}

  http::Response list_for_contract(http::Request& req) {
    const auto& p = principal_of(req);
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    const auto contract_id = id_param(req, "id", "contract");
    const auto page = read_page_params(req, kSort);
    std::vector<Obligation> rows;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, contract_id);
      rows = store::ObligationRepository(conn).list_for_contract(p.org_id, contract_id, page.after,
                                                                 page.limit + 1);
    });
    return page_of(std::move(rows), page, today);
  }

  http::Response list_mine(http::Request& req) {
    const auto& p = principal_of(req);
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    const auto page = read_page_params(req, kSort, {"assignee", "status", "dueBefore"});
    store::ObligationFilter filter;
    std::vector<FieldError> errors;
    if (const auto assignee = req.query_param("assignee")) {
      if (*assignee == "me")
        filter.assignee_id = p.user_id;
      else if (is_valid_id(*assignee))
        filter.assignee_id = std::string(*assignee);
      else
        errors.push_back({"assignee", "must be me or a user id"});
    }
    if (const auto status = req.query_param("status")) {
      if (*status == "overdue")
        filter.overdue_on = today;
      else if (auto s = parse_obligation_status(*status))
        filter.status = s;
      else
        errors.push_back({"status", "must be one of: open, done, waived, overdue"});
    }
    if (const auto before = req.query_param("dueBefore")) {
      filter.due_before = parse_date(*before);
      if (!filter.due_before) errors.push_back({"dueBefore", "must be a date YYYY-MM-DD"});
    }
    if (!errors.empty()) throw validation_failed(std::move(errors));
    std::vector<Obligation> rows;
    in_read_transaction(db_, [&](store::Connection& conn) {
      rows = store::ObligationRepository(conn).list(p.org_id, filter, page.after, page.limit + 1);
    });
    return page_of(std::move(rows), page, today);
  }

  http::Response get(http::Request& req) {
    const auto& p = principal_of(req);
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    const auto contract_id = id_param(req, "id", "contract");
    const auto id = id_param(req, "obligationId", "obligation");
    Obligation o;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, contract_id);
      o = require_obligation(conn, p, contract_id, id);
    });
    return versioned_json(200, to_json(o, today), o.version);
  }

  http::Response create(http::Request& req) {
    const auto& p = principal_of(req);
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    const auto contract_id = id_param(req, "id", "contract");
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot add obligations.");
    const auto body = read_json_body(req);
    auto changes = parse_obligation_changes(body, ObligationMode::create);
    if (!changes) throw changes.error();
    Obligation o;
    o.id = new_id();
    o.org_id = p.org_id;
    o.contract_id = contract_id;
    o.created_by = p.user_id;
    o.created_at = o.updated_at = now_unix_ms();
    apply_changes(o, *changes);
    return idempotent_create(db_, req, [&](store::Connection& conn) {
      require_editable_contract(conn, p, contract_id);
      check(conn, o);
      store::ObligationRepository(conn).insert(o);
      audit_change(conn, req, "obligation.created", o, {}, to_json(o, today));
      auto response = versioned_json(201, to_json(o, today), o.version);
      response.headers.set("Location", "/api/v1/contracts/" + contract_id + "/obligations/" + o.id);
      return response;
    });
  }

  http::Response update(http::Request& req) {
    const auto& p = principal_of(req);
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    const auto contract_id = id_param(req, "id", "contract");
    const auto id = id_param(req, "obligationId", "obligation");
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot change obligations.");
    const auto expected = *if_match_version(req, true);
    const auto body = read_json_body(req);
    auto changes = parse_obligation_changes(body, ObligationMode::update);
    if (!changes) throw changes.error();
    Obligation result;
    in_write_transaction(db_, [&](store::Connection& conn) {
      require_editable_contract(conn, p, contract_id);
      const auto current = require_obligation(conn, p, contract_id, id);
      if (current.version != expected) throw changed_by_someone_else("obligation");
      Obligation updated = current;
      apply_changes(updated, *changes);
      check(conn, updated);
      updated.updated_at = now_unix_ms();
      if (!store::ObligationRepository(conn).update(updated, expected))
        throw changed_by_someone_else("obligation");
      updated.version = expected + 1;
      audit_change(conn, req, "obligation.updated", updated, to_json(current, today),
                   to_json(updated, today));
      result = std::move(updated);
    });
    return versioned_json(200, to_json(result, today), result.version);
  }

  http::Response remove(http::Request& req) {
    const auto& p = principal_of(req);
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    const auto contract_id = id_param(req, "id", "contract");
    const auto id = id_param(req, "obligationId", "obligation");
    const auto expected = if_match_version(req, false);
    in_write_transaction(db_, [&](store::Connection& conn) {
      require_editable_contract(conn, p, contract_id);
      const auto current = require_obligation(conn, p, contract_id, id);
      if (expected && *expected != current.version) throw changed_by_someone_else("obligation");
      if (!store::ObligationRepository(conn).remove(p.org_id, id)) throw not_found("obligation");
      audit_change(conn, req, "obligation.deleted", current, to_json(current, today), {});
    });
    return http::Response::empty(204);
  }

  // Closes an open obligation as done or waived. Completing a recurring one schedules the next
  // occurrence in the same transaction (returned as `next`).
  http::Response close(http::Request& req, ObligationStatus status) {
    const auto& p = principal_of(req);
    const auto today = calendar_.today(db_, p.org_id, now_unix_ms());
    const auto contract_id = id_param(req, "id", "contract");
    const auto id = id_param(req, "obligationId", "obligation");
    const auto expected = if_match_version(req, false);
    Obligation result;
    std::optional<Obligation> next;
    in_write_transaction(db_, [&](store::Connection& conn) {
      require_editable_contract(conn, p, contract_id);
      const auto current = require_obligation(conn, p, contract_id, id);
      if (expected && *expected != current.version) throw changed_by_someone_else("obligation");
      if (current.status != ObligationStatus::open)
        throw conflict("The obligation is already " + std::string(to_string(current.status)) + ".");
      Obligation closed = current;
      closed.status = status;
      closed.completed_at = closed.updated_at = now_unix_ms();
      closed.completed_by = p.user_id;
      store::ObligationRepository repo(conn);
      if (!repo.update(closed, current.version)) throw changed_by_someone_else("obligation");
      closed.version = current.version + 1;
      const bool done = status == ObligationStatus::done;
      bj::object changes{{"obligationId", closed.id}, {"dueDate", format_date(closed.due_date)}};
      if (done) {
        next = next_occurrence_of(closed);
        if (next) {
          next->id = new_id();
          next->created_at = next->updated_at = closed.updated_at;
          next->created_by = p.user_id;
          repo.insert(*next);
          changes["nextId"] = next->id;
          changes["nextDueDate"] = format_date(next->due_date);
        }
      }
      audit(conn, req, done ? "obligation.completed" : "obligation.waived", "contract", contract_id,
            std::move(changes));
      result = std::move(closed);
    });
    auto body = to_json(result, today);
    body["next"] = next ? bj::value(to_json(*next, today)) : bj::value(nullptr);
    return versioned_json(200, body, result.version);
  }

 private:
  static http::Response page_of(std::vector<Obligation> rows, const PageParams& page,
                                const CivilDate& now) {
    return page_response(
        std::move(rows), page, kSort, [now](const Obligation& o) { return to_json(o, now); },
        [](const Obligation& o) { return SortKey{format_date(o.due_date)}; });
  }

  static Contract require_editable_contract(store::Connection& conn, const Principal& p,
                                            const std::string& contract_id) {
    auto contract = require_contract(conn, p, contract_id);
    if (!permissions::can_write(p) || !permissions::can_edit_contract(p, contract.owner_id))
      throw forbidden("Only those who may edit the contract change its obligations.");
    return contract;
  }

  static Obligation require_obligation(store::Connection& conn, const Principal& p,
                                       const std::string& contract_id, const std::string& id) {
    auto o = store::ObligationRepository(conn).find(p.org_id, contract_id, id);
    if (!o) throw not_found("obligation");
    return std::move(*o);
  }

  // Merged-field rules and the assignee: an active user of the organization.
  static void check(store::Connection& conn, const Obligation& o) {
    auto errors = validate_obligation(o);
    if (o.assignee_id) {
      const auto user = store::UserRepository(conn).find(o.org_id, *o.assignee_id);
      if (!user || !user->active)
        errors.push_back({"assigneeId", "must be an active user of your organization"});
    }
    if (!errors.empty()) throw validation_failed(std::move(errors));
  }

  // Obligations are audited on their contract (they show in its history) with their id.
  static void audit_change(store::Connection& conn, const http::Request& req,
                           std::string_view action, const Obligation& o, const bj::object& before,
                           const bj::object& after) {
    bj::object changes{{"obligationId", o.id}, {"changes", diff_objects(before, after)}};
    audit(conn, req, action, "contract", o.contract_id, std::move(changes));
  }

  store::Database& db_;
  workflow::OrgCalendar& calendar_;
};

}  // namespace

void add_obligation_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<ObligationHandlers>(deps);
  const std::string base = "/api/v1/contracts/{id}/obligations";
  const std::string one = base + "/{obligationId}";
  router.add("GET", base, [h](http::Request& r) { return h->list_for_contract(r); });
  router.add("POST", base, [h](http::Request& r) { return h->create(r); });
  router.add("GET", one, [h](http::Request& r) { return h->get(r); });
  router.add("PATCH", one, [h](http::Request& r) { return h->update(r); });
  router.add("DELETE", one, [h](http::Request& r) { return h->remove(r); });
  router.add("POST", one + "/complete",
             [h](http::Request& r) { return h->close(r, ObligationStatus::done); });
  router.add("POST", one + "/waive",
             [h](http::Request& r) { return h->close(r, ObligationStatus::waived); });
  router.add("GET", "/api/v1/obligations", [h](http::Request& r) { return h->list_mine(r); });
}

}  // namespace cm::api
