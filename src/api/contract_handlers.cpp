// SPDX-License-Identifier: AGPL-3.0-or-later
// Contracts: create (idempotent), read, filtered keyset listing, optimistic-concurrency updates,
// and deletion of drafts. Every change is audited in its own transaction.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/contract_json.hpp"
#include "api/etags.hpp"
#include "api/handlers.hpp"
#include "api/idempotency.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "core/contract.hpp"
#include "core/contract_query.hpp"
#include "core/ids.hpp"
#include "core/lifecycle.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"
#include "store/contract_repository.hpp"
#include "store/counterparty_repository.hpp"
#include "store/document_repository.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"
#include "workflow/org_calendar.hpp"
#include "workflow/related.hpp"
#include "workflow/transitions.hpp"

namespace cm::api {

namespace {

class ContractHandlers {
 public:
  explicit ContractHandlers(const ApiDependencies& deps)
      : db_(deps.db), calendar_(deps.calendar), async_db_(deps.async_db) {}

  http::Response list(http::Request& req) {
    const auto& p = principal_of(req);
    auto query = parse_contract_query(req.query);
    if (!query) throw query.error();
    store::ContractPage page;
    CivilDate today;
    {
      auto lease = db_.acquire();
      page = store::ContractRepository(*lease).list(p.org_id, *query);
      today = calendar_.today(*lease, p.org_id, now_unix_ms());
    }
    bj::array items;
    items.reserve(page.items.size());
    for (const auto& c : page.items) items.push_back(contract_json(c, today, p));
    const bj::value next =
        page.next ? bj::value(bj::string(encode_cursor(*page.next))) : bj::value(nullptr);
    return json_response(200, bj::object{{"items", std::move(items)}, {"nextCursor", next}});
  }

  http::Response get(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    std::optional<Contract> c;
    CivilDate today;
    {
      auto lease = db_.acquire();
      c = store::ContractRepository(*lease).find(p.org_id, id);
      today = calendar_.today(*lease, p.org_id, now_unix_ms());
    }
    if (!c) throw not_found("contract");
    return versioned_json(200, contract_json(*c, today, p), c->version);
  }

  // get() without blocking: one query on the asynchronous client, answered from an I/O thread
  // (two when this process has not cached the organization's time zone in the last 30 s).
  void get_async(http::Request& req, http::Done done) {
    const auto& p = principal_of(req);
    auto id = id_param(req, "id", "contract");
    const auto now = now_unix_ms();
    if (const auto today = calendar_.cached_today(p.org_id, now))
      return fetch_async(p, std::move(id), *today, std::move(done));
    async_db_->query(store::OrganizationRepository::time_zone_sql(), {p.org_id},
                     [this, caller = p, id = std::move(id), now, done = std::move(done)](
                         const std::exception_ptr& error, const store::QueryResult& r) mutable {
                       if (error) return done(error, {});
                       std::string zone =
                           store::OrganizationRepository::time_zone_found(r).value_or("UTC");
                       const auto today = calendar_.today_in(zone, now);
                       calendar_.remember(caller.org_id, std::move(zone), now);
                       fetch_async(caller, std::move(id), today, std::move(done));
                     });
  }

  bool has_async_db() const noexcept { return async_db_ != nullptr; }

  http::Response create(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot create contracts.");
    const auto body = read_json_body(req);
    auto changes = parse_contract_changes(body, ChangeMode::create);
    if (!changes) throw changes.error();
    if (changes->legal_hold && *changes->legal_hold && !permissions::can_set_legal_hold(p))
      throw forbidden("Only managers and administrators set or lift a legal hold.");
    if (!changes->type) throw validation_failed({{"type", "is required"}});
    Contract c;
    c.id = new_id();
    c.org_id = p.org_id;
    c.owner_id = p.user_id;
    c.created_by = p.actor_id;
    c.created_at = c.updated_at = now_unix_ms();
    apply_changes(c, *changes);
    if (!permissions::can_assign_owner(p, c.owner_id))
      throw forbidden(
          "Members create contracts they own themselves; ask a manager to assign another owner.");
    return idempotent_create(db_, req, [&](store::Connection& conn) {
      check_references(conn, c);
      store::ContractRepository(conn).insert(c);
      audit(conn, req, "contract.created", "contract", c.id, diff_objects({}, to_json(c)));
      auto resp = versioned_json(
          201, contract_json(c, calendar_.today(conn, p.org_id, now_unix_ms()), p), c.version);
      resp.headers.set("Location", "/api/v1/contracts/" + c.id);
      return resp;
    });
  }

  http::Response update(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot change contracts.");
    const auto id = id_param(req, "id", "contract");
    const auto expected = *if_match_version(req, true);
    const auto body = read_json_body(req);
    auto changes = parse_contract_changes(body, ChangeMode::update);
    if (!changes) throw changes.error();
    if (changes->legal_hold && !permissions::can_set_legal_hold(p))
      throw forbidden("Only managers and administrators set or lift a legal hold.");
    Contract result;
    CivilDate today;
    in_write_transaction(db_, [&](store::Connection& conn) {
      store::ContractRepository repo(conn);
      today = calendar_.today(conn, p.org_id, now_unix_ms());
      auto current = repo.find(p.org_id, id);
      if (!current) throw not_found("contract");
      if (!permissions::can_edit_contract(p, current->owner_id))
        throw forbidden("Members edit only the contracts they own.");
      if (current->version != expected) throw changed_by_someone_else("contract");
      Contract updated = *current;
      apply_changes(updated, *changes);
      if (updated.owner_id != current->owner_id &&
          !permissions::can_assign_owner(p, updated.owner_id))
        throw forbidden("Only managers and administrators hand a contract to another owner.");
      check_references(conn, updated);
      // Material edits under review or approval send the contract back to draft; in force or
      // closed contracts refuse them (409 naming the fields).
      auto edit = decide_edit(*current, updated, false);
      if (!edit) throw edit.error();
      updated.updated_at = now_unix_ms();
      if (!repo.update(updated, expected)) throw changed_by_someone_else("contract");
      updated.version = expected + 1;
      audit(conn, req, "contract.updated", "contract", id,
            diff_objects(to_json(*current), to_json(updated)));
      if (edit->returns_to_draft) {
        const auto from = parse_contract_state(current->status);
        const auto* row = from ? find_transition(*from, ContractState::draft) : nullptr;
        if (!row) throw Error{ErrorKind::internal, "no transition back to draft"};
        workflow::apply_transition(conn, audit_actor(req), updated, *row, p.user_id, edit->reason);
      }
      result = std::move(updated);
    });
    return versioned_json(200, contract_json(result, today, p), result.version);
  }

  http::Response remove(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    const auto expected = if_match_version(req, false);
    in_write_transaction(db_, [&](store::Connection& conn) {
      store::ContractRepository repo(conn);
      const auto current = repo.find(p.org_id, id);
      if (!current) throw not_found("contract");
      if (!permissions::can_write(p) || !permissions::can_edit_contract(p, current->owner_id))
        throw forbidden("You may not delete this contract.");
      if (expected && *expected != current->version) throw changed_by_someone_else("contract");
      if (current->status != "draft")
        throw conflict("Only draft contracts can be deleted; this one is " + current->status + ".");
      if (current->legal_hold) throw conflict("The contract is under legal hold.");
      if (store::DocumentRepository(conn).count_for_contract(p.org_id, id) > 0)
        throw conflict("The contract has documents; delete them and wait for their purge first.");
      if (!repo.children(p.org_id, id, 1).empty())
        throw conflict("Other contracts name this one as their parent; unlink them first.");
      repo.remove(p.org_id, id);
      audit(conn, req, "contract.deleted", "contract", id, diff_objects(to_json(*current), {}));
    });
    return http::Response::empty(204);
  }

 private:
  void fetch_async(const Principal& caller, std::string id, const CivilDate& today,
                   http::Done done) {
    std::vector<store::Param> params{caller.org_id, std::move(id)};
    async_db_->query(store::ContractRepository::find_sql(), std::move(params),
                     [caller, today, done = std::move(done)](const std::exception_ptr& error,
                                                             const store::QueryResult& r) {
                       if (error) return done(error, {});
                       http::Response response;
                       try {
                         const auto c = store::ContractRepository::found(r);
                         if (!c) throw not_found("contract");
                         response =
                             versioned_json(200, contract_json(*c, today, caller), c->version);
                       } catch (const std::exception&) {
                         return done(std::current_exception(), {});
                       }
                       done(nullptr, std::move(response));
                     });
  }

  // Type, owner and counterparties must exist in the caller's organization.
  static void check_references(store::Connection& conn, const Contract& c) {
    const auto org = store::OrganizationRepository(conn).find_by_id(c.org_id);
    auto errors = validate_contract(c, org ? org->contract_types : default_contract_types());
    const auto owner = store::UserRepository(conn).find(c.org_id, c.owner_id);
    if (!owner || !owner->active)
      errors.push_back({"ownerId", "must be an active user of your organization"});
    std::vector<std::string> ids;
    for (const auto& party : c.parties) ids.push_back(party.counterparty_id);
    const auto found = store::CounterpartyRepository(conn).existing_ids(c.org_id, ids);
    for (std::size_t i = 0; i < c.parties.size(); ++i)
      if (std::find(found.begin(), found.end(), c.parties[i].counterparty_id) == found.end())
        errors.push_back(
            {"parties[" + std::to_string(i) + "].counterpartyId", "no such counterparty"});
    for (auto& e : workflow::check_parent(conn, c)) errors.push_back(std::move(e));
    if (!errors.empty()) throw validation_failed(std::move(errors));
  }
  store::Database& db_;
  workflow::OrgCalendar& calendar_;
  store::AsyncDatabase* async_db_;
};

}  // namespace

void add_contract_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<ContractHandlers>(deps);
  router.add("GET", "/api/v1/contracts", [h](http::Request& r) { return h->list(r); });
  router.add("POST", "/api/v1/contracts", [h](http::Request& r) { return h->create(r); });
  if (h->has_async_db()) {
    router.add(
        "GET", "/api/v1/contracts/{id}", [h](http::Request& r) { return h->get(r); },
        [h](http::Request& r, http::Done done) { h->get_async(r, std::move(done)); });
  } else {
    router.add("GET", "/api/v1/contracts/{id}", [h](http::Request& r) { return h->get(r); });
  }
  router.add("PATCH", "/api/v1/contracts/{id}", [h](http::Request& r) { return h->update(r); });
  router.add("DELETE", "/api/v1/contracts/{id}", [h](http::Request& r) { return h->remove(r); });
}

}  // namespace cm::api
