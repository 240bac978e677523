// The caller's organization and its settings (contract types).

#include <boost/json.hpp>

#include "api/handlers.hpp"
#include "api/support.hpp"
#include "core/json.hpp"
#include "core/permissions.hpp"
#include "store/organization_repository.hpp"

namespace cm::api {

namespace {

class OrganizationHandlers {
 public:
  explicit OrganizationHandlers(const ApiDependencies& deps) : db_(deps.db) {}

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
    std::vector<std::string> types;
    if (const auto* arr = r.array("contractTypes", true)) {
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
        if (std::find(types.begin(), types.end(), v.as_string()) == types.end())
          types.emplace_back(v.as_string());
      }
    }
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    Organization updated;
    in_write_transaction(db_, [&](store::Connection& c) {
      store::OrganizationRepository orgs(c);
      auto org = orgs.find_by_id(p.org_id);
      if (!org) throw not_found("organization");
      const auto before = to_json(*org);
      org->contract_types = types;
      orgs.update_contract_types(p.org_id, types);
      audit(c, req, "organization.updated", "organization", p.org_id,
            diff_objects(before, to_json(*org)));
      updated = *org;
    });
    return json_response(200, to_json(updated));
  }

 private:
  store::Database& db_;
};

}  // namespace

void add_organization_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<OrganizationHandlers>(deps);
  router.add("GET", "/api/v1/organization", [h](http::Request& r) { return h->get(r); });
  router.add("PATCH", "/api/v1/organization", [h](http::Request& r) { return h->update(r); });
}

}  // namespace cm::api
