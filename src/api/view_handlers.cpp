// SPDX-License-Identifier: AGPL-3.0-or-later
// Saved views of the contracts list, each private to the person who saved it (an API key's are
// its creator's). A view's query is validated as the list would read it, so a saved view always
// opens; it holds filters only, never a cursor.

#include <algorithm>
#include <boost/json.hpp>

#include "api/etags.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "core/contract_query.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/saved_view.hpp"
#include "core/time.hpp"
#include "http/form.hpp"
#include "store/view_repository.hpp"

namespace cm::api {

namespace {

namespace bj = boost::json;

enum class ViewMode { create, update };

struct ViewChanges {
  std::optional<std::string> name;
  std::optional<std::string> query;
  std::optional<std::vector<std::string>> columns;
};

bool is_column_id(std::string_view id) {
  return !id.empty() && id.size() <= 50 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

// The query must be one the contracts list accepts, without paging state.
void check_query(json::ObjectReader& r, const std::string& query) {
  auto params = http::parse_form_urlencoded(query, 40);
  if (!params)
    return r.error("query", "must be a URL query string (" + params.error().detail() + ")");
  for (const auto& [key, value] : *params)
    if (key == "cursor") return r.error("query", "must not hold a cursor");
  if (auto parsed = parse_contract_query(*params); !parsed)
    r.error("query", "is not a valid contracts filter: " + parsed.error().detail());
}

ViewChanges parse_view(const bj::object& body, ViewMode mode) {
  json::ObjectReader r(body);
  const bool required = mode == ViewMode::create;
  ViewChanges out;
  out.name = r.string("name", {.min = 1, .max = kMaxViewNameLength, .required = required});
  out.query = r.string("query", {.min = 0, .max = kMaxViewQueryLength, .required = required});
  if (out.query) {
    if (out.query->starts_with('?')) out.query->erase(0, 1);
    check_query(r, *out.query);
  }
  if (const auto* columns = r.array("columns")) {
    out.columns.emplace();
    if (columns->size() > kMaxViewColumns)
      r.error("columns", "must have at most " + std::to_string(kMaxViewColumns) + " entries");
    for (const auto& c : *columns) {
      if (!c.is_string() || !is_column_id(c.as_string())) {
        r.error("columns", "entries must be column ids (letters, digits, '_', '-', '.')");
        break;
      }
      out.columns->emplace_back(c.as_string());
    }
  }
  r.refuse({"id", "version", "createdAt", "updatedAt"});
  if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
  if (mode == ViewMode::update && !out.name && !out.query && !out.columns)
    throw nothing_to_change();
  return out;
}

Error name_taken() {
  return {ErrorKind::conflict, "You have a view of this name already.", {{"name", "is taken"}}};
}

class ViewHandlers {
 public:
  explicit ViewHandlers(const ApiDependencies& deps) : db_(deps.db) {}

  http::Response list(http::Request& req) {
    const auto& p = principal_of(req);
    auto lease = db_.acquire();
    bj::array items;
    for (const auto& v : store::ViewRepository(*lease).list(p.org_id, p.user_id))
      items.push_back(to_json(v));
    return json_response(200, bj::object{{"items", std::move(items)}});
  }

  http::Response create(http::Request& req) {
    const auto& p = principal_of(req);
    auto changes = parse_view(read_json_body(req), ViewMode::create);
    SavedView v;
    v.id = new_id();
    v.org_id = p.org_id;
    v.user_id = p.user_id;
    v.name = std::move(*changes.name);
    v.query = std::move(*changes.query);
    if (changes.columns) v.columns = std::move(*changes.columns);
    v.created_at = v.updated_at = now_unix_ms();
    try {
      in_write_transaction(db_, [&](store::Connection& c) {
        store::ViewRepository views(c);
        if (views.count(p.org_id, p.user_id) >= static_cast<std::int64_t>(kMaxViewsPerUser))
          throw conflict("You have " + std::to_string(kMaxViewsPerUser) +
                         " saved views, the most there may be; delete one first.");
        views.insert(v);
      });
    } catch (const store::DbError& e) {
      if (e.kind() == store::DbError::Kind::unique_violation) throw name_taken();
      throw;
    }
    auto response = versioned_json(201, to_json(v), v.version);
    response.headers.set("Location", "/api/v1/views/" + v.id);
    return response;
  }

  http::Response update(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "view");
    const auto expected = if_match_version(req, false);
    auto changes = parse_view(read_json_body(req), ViewMode::update);
    SavedView result;
    try {
      in_write_transaction(db_, [&](store::Connection& c) {
        store::ViewRepository views(c);
        auto v = views.find(p.org_id, p.user_id, id);
        if (!v) throw not_found("view");
        if (expected && *expected != v->version) throw changed_by_someone_else("view");
        const auto version = v->version;
        if (changes.name) v->name = std::move(*changes.name);
        if (changes.query) v->query = std::move(*changes.query);
        if (changes.columns) v->columns = std::move(*changes.columns);
        v->updated_at = now_unix_ms();
        if (!views.update(*v, version)) throw changed_by_someone_else("view");
        v->version = version + 1;
        result = std::move(*v);
      });
    } catch (const store::DbError& e) {
      if (e.kind() == store::DbError::Kind::unique_violation) throw name_taken();
      throw;
    }
    return versioned_json(200, to_json(result), result.version);
  }

  http::Response remove(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "view");
    in_write_transaction(db_, [&](store::Connection& c) {
      if (!store::ViewRepository(c).remove(p.org_id, p.user_id, id)) throw not_found("view");
    });
    return http::Response::empty(204);
  }

 private:
  store::Database& db_;
};

}  // namespace

void add_view_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<ViewHandlers>(deps);
  router.add("GET", "/api/v1/views", [h](http::Request& r) { return h->list(r); });
  router.add("POST", "/api/v1/views", [h](http::Request& r) { return h->create(r); });
  router.add("PATCH", "/api/v1/views/{id}", [h](http::Request& r) { return h->update(r); });
  router.add("DELETE", "/api/v1/views/{id}", [h](http::Request& r) { return h->remove(r); });
}

}  // namespace cm::api
