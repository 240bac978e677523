// SPDX-License-Identifier: AGPL-3.0-or-later
// Counterparties: create, read, list (by name), update with If-Match, delete unless in use.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/etags.hpp"
#include "api/handlers.hpp"
#include "api/idempotency.hpp"
#include "api/json_io.hpp"
#include "api/paging.hpp"
#include "api/transactions.hpp"
#include "core/counterparty.hpp"
#include "core/ids.hpp"
#include "core/pagination.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"
#include "store/counterparty_repository.hpp"

namespace cm::api {

namespace {

class CounterpartyHandlers {
 public:
  explicit CounterpartyHandlers(const ApiDependencies& deps) : db_(deps.db) {}

  http::Response list(http::Request& req) {
    const auto& p = principal_of(req);
    const auto page = read_page_params(req, "name", {"q"});
    std::optional<std::string> q;
    if (auto text = req.query_param("q"); text && !text->empty())
      q = std::string(text->substr(0, 200));
    std::vector<Counterparty> rows;
    {
      auto lease = db_.acquire();
      rows = store::CounterpartyRepository(*lease).list(p.org_id, q, page.limit + 1, page.after);
    }
    return page_response(
        std::move(rows), page, "name", [](const Counterparty& c) { return to_json(c); },
        [](const Counterparty& c) { return SortKey{c.name}; });
  }

  http::Response get(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "counterparty");
    auto lease = db_.acquire();
    const auto c = store::CounterpartyRepository(*lease).find(p.org_id, id);
    if (!c) throw not_found("counterparty");
    return versioned_json(200, to_json(*c), c->version);
  }

  http::Response create(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot create counterparties.");
    const auto body = read_json_body(req);
    Counterparty base;
    base.id = new_id();
    base.org_id = p.org_id;
    base.created_at = base.updated_at = now_unix_ms();
    auto c = apply_counterparty_body(base, body, ChangeMode::create);
    if (!c) throw c.error();
    return idempotent_create(db_, req, [&](store::Connection& conn) {
      store::CounterpartyRepository(conn).insert(*c);
      audit(conn, req, "counterparty.created", "counterparty", c->id,
            diff_objects({}, to_json(*c)));
      auto resp = versioned_json(201, to_json(*c), c->version);
      resp.headers.set("Location", "/api/v1/counterparties/" + c->id);
      return resp;
    });
  }

  http::Response update(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot change counterparties.");
    const auto id = id_param(req, "id", "counterparty");
    const auto expected = *if_match_version(req, true);
    const auto body = read_json_body(req);
    Counterparty result;
    in_write_transaction(db_, [&](store::Connection& conn) {
      store::CounterpartyRepository repo(conn);
      auto current = repo.find(p.org_id, id);
      if (!current) throw not_found("counterparty");
      if (current->version != expected) throw changed_by_someone_else("counterparty");
      auto updated = apply_counterparty_body(*current, body, ChangeMode::update);
      if (!updated) throw updated.error();
      updated->updated_at = now_unix_ms();
      if (!repo.update(*updated, expected)) throw changed_by_someone_else("counterparty");
      updated->version = expected + 1;
      audit(conn, req, "counterparty.updated", "counterparty", id,
            diff_objects(to_json(*current), to_json(*updated)));
      result = *updated;
    });
    return versioned_json(200, to_json(result), result.version);
  }

  http::Response remove(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "counterparty");
    in_write_transaction(db_, [&](store::Connection& conn) {
      store::CounterpartyRepository repo(conn);
      const auto current = repo.find(p.org_id, id);
      if (!current) throw not_found("counterparty");
      if (!permissions::can_delete_counterparty(p))
        throw forbidden("Only managers and administrators delete counterparties.");
      if (repo.is_referenced(p.org_id, id))
        throw conflict(
            "The counterparty is a party to at least one contract and cannot be deleted.");
      repo.remove(p.org_id, id);
      audit(conn, req, "counterparty.deleted", "counterparty", id,
            diff_objects(to_json(*current), {}));
    });
    return http::Response::empty(204);
  }

 private:
  store::Database& db_;
};

}  // namespace

void add_counterparty_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<CounterpartyHandlers>(deps);
  router.add("GET", "/api/v1/counterparties", [h](http::Request& r) { return h->list(r); });
  router.add("POST", "/api/v1/counterparties", [h](http::Request& r) { return h->create(r); });
  router.add("GET", "/api/v1/counterparties/{id}", [h](http::Request& r) { return h->get(r); });
  router.add("PATCH", "/api/v1/counterparties/{id}",
             [h](http::Request& r) { return h->update(r); });
  router.add("DELETE", "/api/v1/counterparties/{id}",
             [h](http::Request& r) { return h->remove(r); });
}

}  // namespace cm::api
