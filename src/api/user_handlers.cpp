// SPDX-License-Identifier: AGPL-3.0-or-later
// People (admins manage them) and API keys for integrations.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/authenticator.hpp"
#include "api/etags.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/paging.hpp"
#include "api/transactions.hpp"
#include "auth/password.hpp"
#include "core/counterparty.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/pagination.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"
#include "store/credential_repository.hpp"
#include "store/user_repository.hpp"

namespace cm::api {

namespace {

void require_admin(const Principal& p) {
  if (!permissions::can_manage_users(p))
    throw forbidden("Only administrators manage users and API keys.");
}

std::optional<Role> read_role(json::ObjectReader& r, bool required) {
  auto text = r.string("role", {.min = 1, .max = 20, .required = required});
  if (!text) return std::nullopt;
  auto role = parse_role(*text);
  if (!role) r.error("role", "must be one of admin, manager, member, viewer");
  return role;
}

class UserHandlers {
 public:
  explicit UserHandlers(const ApiDependencies& deps) : db_(deps.db), auth_cache_(deps.auth_cache) {}

  // Every member of the organization reads its directory: owners, approvers, signers and
  // @mentions are named by it. Only administrators change it.
  http::Response list(http::Request& req) {
    const auto& p = principal_of(req);
    const auto page = read_page_params(req, "email");
    std::vector<User> users;
    {
      auto lease = db_.acquire();
      users = store::UserRepository(*lease).list(p.org_id, page.limit + 1, page.after);
    }
    return page_response(
        std::move(users), page, "email", [](const User& u) { return to_json(u); },
        [](const User& u) { return SortKey{u.email}; });
  }

  http::Response get(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "user");
    auto lease = db_.acquire();
    auto user = store::UserRepository(*lease).find(p.org_id, id);
    if (!user) throw not_found("user");
    auto r = versioned_json(200, to_json(*user), user->version);
    return r;
  }

  http::Response create(http::Request& req) {
    const auto& p = principal_of(req);
    require_admin(p);
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    auto email = r.string("email", {.min = 3, .max = 254, .required = true});
    if (email && !is_valid_email(*email)) r.error("email", "must be an email address");
    auto name = r.string("name", {.min = 1, .max = 200, .required = true});
    auto role = read_role(r, true);
    auto password = r.string("password", {.min = 1, .max = 1000, .required = true, .trim = false});
    if (password) {
      if (auto problem = auth::password_problem(*password); !problem.empty())
        r.error("password", problem);
    }
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    User u;
    u.id = new_id();
    u.org_id = p.org_id;
    u.email = normalize_email(*email);
    u.name = *name;
    u.role = *role;
    u.password_hash = auth::hash_password(*password);
    u.created_at = u.updated_at = now_unix_ms();
    try {
      in_write_transaction(db_, [&](store::Connection& c) {
        store::UserRepository(c).insert(u);
        audit(c, req, "user.created", "user", u.id,
              bj::object{{"email", u.email}, {"name", u.name}, {"role", to_string(u.role)}});
      });
    } catch (const store::DbError& e) {
      if (e.kind() == store::DbError::Kind::unique_violation)
        throw Error(ErrorKind::conflict, "A user with this email already exists.",
                    {{"email", "is taken"}});
      throw;
    }
    auto resp = json_response(201, to_json(u));
    resp.headers.set("Location", "/api/v1/users/" + u.id);
    set_etag(resp, u.version);
    return resp;
  }

  http::Response update(http::Request& req) {
    const auto& p = principal_of(req);
    require_admin(p);
    const auto id = id_param(req, "id", "user");
    const auto expected = if_match_version(req, false);
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    auto name = r.string("name", {.min = 1, .max = 200});
    auto role = read_role(r, false);
    auto active = r.boolean("active");
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    if (body.empty()) throw nothing_to_change();
    User updated;
    in_write_transaction(db_, [&](store::Connection& c) {
      store::UserRepository users(c);
      auto user = users.find(p.org_id, id);
      if (!user) throw not_found("user");
      if (expected && *expected != user->version)
        throw Error(ErrorKind::precondition_failed,
                    "The user was changed by someone else; reload and retry.");
      const auto before = to_json(*user);
      const bool was_active_admin = user->role == Role::admin && user->active;
      if (name) user->name = *name;
      if (role) user->role = *role;
      if (active) user->active = *active;
      if (was_active_admin && !(user->role == Role::admin && user->active) &&
          users.count_active_admins(p.org_id) <= 1)
        throw conflict("The organization must keep at least one active administrator.");
      user->updated_at = now_unix_ms();
      if (!users.update(*user, user->version))
        throw Error(ErrorKind::precondition_failed,
                    "The user was changed by someone else; reload and retry.");
      if (!user->active)
        store::CredentialRepository(c).revoke_all_for_user(user->id, user->updated_at);
      ++user->version;
      audit(c, req, user->active ? "user.updated" : "user.deactivated", "user", user->id,
            diff_objects(before, to_json(*user)));
      updated = *user;
    });
    auth_cache_.invalidate_all();  // role or active may have changed
    auto resp = versioned_json(200, to_json(updated), updated.version);
    return resp;
  }

  http::Response create_key(http::Request& req) {
    const auto& p = principal_of(req);
    require_admin(p);
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    auto name = r.string("name", {.min = 1, .max = 100, .required = true});
    auto role = read_role(r, true);
    if (auto errors = r.finish(); !errors.empty()) throw validation_failed(std::move(errors));
    const std::string secret = std::string(kApiKeyPrefix) + crypto::random_token(32);
    ApiKey key;
    key.id = new_id();
    key.org_id = p.org_id;
    key.name = *name;
    key.prefix = secret.substr(0, 10);
    key.role = *role;
    key.created_by = p.user_id;
    key.created_at = now_unix_ms();
    in_write_transaction(db_, [&](store::Connection& c) {
      store::CredentialRepository(c).insert_api_key(key, crypto::sha256_hex(secret));
      audit(c, req, "api_key.created", "api_key", key.id,
            bj::object{{"name", key.name}, {"role", to_string(key.role)}});
    });
    auto json = to_json(key);
    json["secret"] = secret;  // shown once, never again
    auto resp = json_response(201, json);
    resp.headers.set("Location", "/api/v1/api-keys/" + key.id);
    resp.headers.set("Cache-Control", "no-store");
    return resp;
  }

  http::Response list_keys(http::Request& req) {
    const auto& p = principal_of(req);
    require_admin(p);
    auto lease = db_.acquire();
    bj::array items;
    for (const auto& k : store::CredentialRepository(*lease).list_api_keys(p.org_id))
      items.push_back(to_json(k));
    return json_response(200, bj::object{{"items", std::move(items)}, {"nextCursor", nullptr}});
  }

  http::Response revoke_key(http::Request& req) {
    const auto& p = principal_of(req);
    require_admin(p);
    const auto id = id_param(req, "id", "API key");
    in_write_transaction(db_, [&](store::Connection& c) {
      if (!store::CredentialRepository(c).revoke_api_key(p.org_id, id, now_unix_ms()))
        throw not_found("API key");
      audit(c, req, "api_key.revoked", "api_key", id);
    });
    auth_cache_.invalidate_all();
    return http::Response::empty(204);
  }

 private:
  store::Database& db_;
  AuthCache& auth_cache_;
};

}  // namespace

void add_user_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<UserHandlers>(deps);
  router.add("GET", "/api/v1/users", [h](http::Request& r) { return h->list(r); });
  router.add("POST", "/api/v1/users", [h](http::Request& r) { return h->create(r); });
  router.add("GET", "/api/v1/users/{id}", [h](http::Request& r) { return h->get(r); });
  router.add("PATCH", "/api/v1/users/{id}", [h](http::Request& r) { return h->update(r); });
  router.add("GET", "/api/v1/api-keys", [h](http::Request& r) { return h->list_keys(r); });
  router.add("POST", "/api/v1/api-keys", [h](http::Request& r) { return h->create_key(r); });
  router.add("DELETE", "/api/v1/api-keys/{id}", [h](http::Request& r) { return h->revoke_key(r); });
}

}  // namespace cm::api
