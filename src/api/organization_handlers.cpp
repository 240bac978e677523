// SPDX-License-Identifier: AGPL-3.0-or-later
// The caller's organization and its settings (contract types, time zone, renewal reminders).

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "core/json.hpp"
#include "core/permissions.hpp"
#include "core/renewal.hpp"
#include "store/organization_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::api {

namespace {

class OrganizationHandlers {
 public:
  explicit OrganizationHandlers(const ApiDependencies& deps)
      : db_(deps.db), calendar_(deps.calendar) {}

  http::Response get(http::Request& req) {
    const auto& p = principal_of(req);
    auto lease = db_.acquire();
    const auto org = store::OrganizationRepository(*lease).find_by_id(p.org_id);
    if (!org) throw not_found("organization");
    return json_response(200, to_json(*org));
  }

  http::Response update(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_manage_users(p))
      throw forbidden("Only administrators change organization settings.");
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    std::optional<std::vector<std::string>> types;
    if (const auto* arr = r.array("contractTypes")) {
      types.emplace();
      if (arr->empty() || arr->size() > 100) r.error("contractTypes", "must have 1-100 entries");
      for (const auto& v : *arr) {
        const bool ok =
            v.is_string() && !v.as_string().empty() && v.as_string().size() <= 50 &&
            std::all_of(v.as_string().begin(), v.as_string().end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            });
        if (!ok) {
          r.error("contractTypes", "entries must be 1-50 lower-case letters, digits, '_' or '-'");
          break;
        }
        if (std::find(types->begin(), types->end(), v.as_string()) == types->end())
          types->emplace_back(v.as_string());
      }
    }
    const auto zone_name = r.string("timeZone", {.min = 1, .max = 64});
    if (zone_name) {
      if (auto zone = calendar_.load_zone(*zone_name, "timeZone"); !zone)
        for (const auto& e : zone.error().fields()) r.errors().push_back(e);
    }
    std::optional<std::vector<int>> reminder_days;
    if (const auto* days = r.get("renewalReminderDays")) {
      auto parsed = parse_reminder_offsets(*days, "renewalReminderDays");
      if (parsed)
        reminder_days = std::move(*parsed);
      else
        for (const auto& e : parsed.error().fields()) r.errors().push_back(e);
    }
    r.refuse({"id", "name", "createdAt"});
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    if (!types && !zone_name && !reminder_days) throw nothing_to_change();
    Organization updated;
    in_write_transaction(db_, [&](store::Connection& c) {
      store::OrganizationRepository orgs(c);
      auto org = orgs.find_by_id(p.org_id);
      if (!org) throw not_found("organization");
      const auto before = to_json(*org);
      if (types) org->contract_types = *types;
      if (zone_name) org->time_zone = *zone_name;
      if (reminder_days) org->renewal_reminder_days = *reminder_days;
      orgs.update_settings(*org);
      audit(c, req, "organization.updated", "organization", p.org_id,
            diff_objects(before, to_json(*org)));
      updated = *org;
    });
    calendar_.invalidate(p.org_id);
    return json_response(200, to_json(updated));
  }

 private:
  store::Database& db_;
  workflow::OrgCalendar& calendar_;
};

}  // namespace

void add_organization_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<OrganizationHandlers>(deps);
  router.add("GET", "/api/v1/organization", [h](http::Request& r) { return h->get(r); });
  router.add("PATCH", "/api/v1/organization", [h](http::Request& r) { return h->update(r); });
}

}  // namespace cm::api
