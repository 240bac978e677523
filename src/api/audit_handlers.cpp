// SPDX-License-Identifier: AGPL-3.0-or-later
// The audit trail, newest first. Administrators see everything; everyone else sees the events
// that belong to contracts (which every member of the organization may read): the contracts'
// own and their documents'. `entityId` of a contract gives its whole trail, children included.

#include <boost/json.hpp>
#include <charconv>

#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "core/ids.hpp"
#include "core/pagination.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"
#include "store/audit_repository.hpp"

namespace cm::api {

namespace {

class AuditHandlers {
 public:
  explicit AuditHandlers(const ApiDependencies& deps) : db_(deps.db) {}

  http::Response list(http::Request& req) {
    const auto& p = principal_of(req);
    store::AuditFilter f;
    std::vector<FieldError> errors;
    std::optional<std::string_view> limit_text;
    const auto instant = [&](const std::string& name,
                             const std::string& value) -> std::optional<std::int64_t> {
      auto ms = parse_rfc3339(value);
      if (!ms)
        errors.push_back({name, "must be an RFC 3339 timestamp such as 2026-01-31T00:00:00Z"});
      return ms;
    };
    for (const auto& [name, value] : req.query) {
      if (name == "entityId")
        f.entity_id = value;
      else if (name == "actorId")
        f.actor_id = value;
      else if (name == "action")
        f.action = value.substr(0, 100);
      else if (name == "entityType")
        f.entity_type = value.substr(0, 50);
      else if (name == "from")
        f.from = instant(name, value);
      else if (name == "to")
        f.to = instant(name, value);
      else if (name == "limit")
        limit_text = value;
      else if (name == "cursor") {
        std::int64_t seq = 0;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seq);
        if (ec != std::errc() || ptr != value.data() + value.size() || seq < 1)
          errors.push_back({"cursor", "is invalid"});
        else
          f.before_seq = seq;
      } else
        errors.push_back({name, "unknown query parameter"});
    }
    if ((f.entity_id && !is_valid_id(*f.entity_id)) || (f.actor_id && !is_valid_id(*f.actor_id)))
      errors.push_back(
          {f.entity_id && !is_valid_id(*f.entity_id) ? "entityId" : "actorId", "must be an id"});
    auto limit = parse_limit(limit_text);
    if (!limit) errors.push_back(limit.error().fields().front());
    if (!errors.empty()) throw validation_failed(std::move(errors));
    f.limit = *limit + 1;
    if (!permissions::can_read_full_audit(p)) {
      if (f.entity_type && *f.entity_type != "contract" && *f.entity_type != "document")
        throw forbidden("Only administrators read audit events other than contracts'.");
      f.contract_events_only = true;
    }
    std::vector<AuditEvent> events;
    {
      auto lease = db_.acquire();
      events = store::AuditRepository(*lease).list(p.org_id, f);
    }
    bj::value next = nullptr;
    if (static_cast<int>(events.size()) > *limit) {
      events.pop_back();
      next = bj::string(std::to_string(events.back().seq));
    }
    bj::array items;
    for (const auto& e : events) items.push_back(to_json(e));
    return json_response(200, bj::object{{"items", std::move(items)}, {"nextCursor", next}});
  }

 private:
  store::Database& db_;
};

}  // namespace

void add_audit_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<AuditHandlers>(deps);
  router.add("GET", "/api/v1/audit", [h](http::Request& r) { return h->list(r); });
}

}  // namespace cm::api
