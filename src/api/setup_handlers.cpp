// SPDX-License-Identifier: AGPL-3.0-or-later
// First-run setup: while the database has no user, the setup URL that `serve` prints (and
// `contractmgmt setup-url`) opens the web app's setup page, which creates the organization and
// its first administrator here. The token (auth/setup_token.hpp) is checked before anything
// else, so without it the route does not exist (404) and tells nothing about the installation;
// once any user exists it answers 409 and the CLI's `user create` remains the way to add more.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "auth/password.hpp"
#include "auth/setup_token.hpp"
#include "core/contract.hpp"
#include "core/counterparty.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::api {

namespace {

struct SetupInput {
  Organization organization;
  User admin;
};

class SetupHandlers {
 public:
  explicit SetupHandlers(const ApiDependencies& deps)
      : db_(deps.db), secret_(deps.jwt_secret), calendar_(deps.calendar) {}

  http::Response complete(http::Request& req) {
    const auto body = read_json_body(req);
    const auto* token = body.if_contains("token");
    if (!token || !token->is_string() || !auth::is_setup_token(secret_, token->as_string()))
      throw not_found("setup");
    auto input = parse(body);
    in_write_transaction(db_, [&](store::Connection& conn) {
      store::UserRepository users(conn);
      users.lock_for_first_user();
      if (users.count_all() > 0)
        throw conflict("contractmgmt is set up already; sign in, or ask an administrator.");
      store::OrganizationRepository(conn).insert(input.organization);
      users.insert(input.admin);
      const auto& org = input.organization;
      const auto& admin = input.admin;
      audit_as(conn, req, org.id, admin.id, "organization.created", "organization", org.id,
               bj::object{{"name", org.name}, {"timeZone", org.time_zone}, {"via", "setup"}});
      audit_as(conn, req, org.id, admin.id, "user.created", "user", admin.id,
               bj::object{{"email", admin.email},
                          {"name", admin.name},
                          {"role", to_string(admin.role)},
                          {"via", "setup"}});
    });
    return json_response(201, bj::object{{"organization", to_json(input.organization)},
                                         {"user", to_json(input.admin)}});
  }

 private:
  SetupInput parse(const bj::object& body) {
    json::ObjectReader r(body);
    r.has("token");
    SetupInput in;
    const auto now = now_unix_ms();
    in.organization.id = new_id();
    in.organization.contract_types = default_contract_types();
    in.organization.created_at = now;
    if (const auto* org = r.object("organization", true)) {
      json::ObjectReader o(*org, "organization.");
      if (auto name = o.string("name", {.min = 1, .max = 200, .required = true}))
        in.organization.name = *name;
      if (auto zone = o.string("timeZone", {.min = 1, .max = 64})) {
        if (auto loaded = calendar_.load_zone(*zone, "organization.timeZone"); loaded)
          in.organization.time_zone = *zone;
        else
          for (const auto& e : loaded.error().fields()) o.errors().push_back(e);
      }
      for (auto& e : o.finish()) r.errors().push_back(std::move(e));
    }
    in.admin.id = new_id();
    in.admin.org_id = in.organization.id;
    in.admin.role = Role::admin;
    in.admin.created_at = in.admin.updated_at = now;
    if (const auto* admin = r.object("admin", true)) {
      json::ObjectReader a(*admin, "admin.");
      if (auto email = a.string("email", {.min = 3, .max = 254, .required = true})) {
        in.admin.email = normalize_email(*email);
        if (!is_valid_email(in.admin.email)) a.error("email", "must be an email address");
      }
      if (auto name = a.string("name", {.min = 1, .max = 200, .required = true}))
        in.admin.name = *name;
      if (auto password = a.string(
              "password",
              {.min = 1, .max = auth::kMaxPasswordLength, .required = true, .trim = false})) {
        if (auto problem = auth::password_problem(*password); !problem.empty())
          a.error("password", problem);
        else
          in.admin.password_hash = auth::hash_password(*password);
      }
      for (auto& e : a.finish()) r.errors().push_back(std::move(e));
    }
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    return in;
  }

  store::Database& db_;
  std::string secret_;
  workflow::OrgCalendar& calendar_;
};

}  // namespace

void add_setup_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<SetupHandlers>(deps);
  router.add(
      "POST", "/api/v1/setup", [h](http::Request& r) { return h->complete(r); },
      http::Access::public_route);
}

}  // namespace cm::api
