// SPDX-License-Identifier: AGPL-3.0-or-later
// The authorization matrix: every route of the route table the server runs (built here by
// cm::api::build_router, exactly as `contractmgmt serve` builds it) × every kind of caller, against
// the real binary on the test backend, with a real resource of each kind behind every path.
//
// Who may call what is declared once per route, in kDeclaredRoutes below, with one of a few named
// policies (Allow). A route without a declaration, or a declaration naming no route, fails the
// test: a new route cannot be added without saying who may call it.
//
// For every route and caller:
//   allowed       any answer but 401/403/404 (and never 5xx): 2xx, or a 4xx that comes after the
//                 permission check (validation, 409 state conflict, 412 stale If-Match)
//   denied        403, or 404 where the policy must not reveal the resource; problem+json that
//                 carries none of the resource's data
//   no credentials      401 problem+json (public routes: allowed)
//   another org's admin 404 on every route that names a resource; on the others (its own
//                 organization's lists and settings) an answer that carries none of our data
// Denied callers go first, so a resource is still intact when they try; routes that destroy their
// resource (Fresh) give every allowed caller a resource of its own.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/auth_cache.hpp"
#include "api/handlers.hpp"
#include "api_fixture.hpp"
#include "auth/setup_token.hpp"
#include "blob/content_store.hpp"
#include "blob/local_blob_store.hpp"
#include "core/crypto.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"
#include "support/sample_files.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::test::api {
namespace {

// ---------------------------------------------------------------------------------------------
// The route table, built as the server builds it. Handlers only keep their dependencies when the
// table is built, so a database that refuses every lease is enough.

class InertDatabase final : public store::Database {
 public:
  store::Dialect dialect() const noexcept override { return store::Dialect::sqlite; }
  Lease acquire() override {
    throw store::DbError(store::DbError::Kind::unavailable, "the route table needs no database");
  }
  store::PoolStats stats() const override { return {}; }
  bool ping() noexcept override { return false; }

 protected:
  void release(std::unique_ptr<store::Connection>) noexcept override {}
};

struct ServerRoute {
  std::string method;
  std::string pattern;
  bool is_public = false;
};

std::vector<ServerRoute> server_routes() {
  InertDatabase db;
  const obs::Logger log(obs::LogLevel::off);
  obs::Metrics metrics;
  const std::atomic<bool> draining{false};
  ::cm::api::AuthCache auth_cache(std::chrono::milliseconds(0));
  // Document storage is configured on every server (document and signature routes need it).
  blob::LocalBlobStore blobs(std::filesystem::temp_directory_path() / "cm-route-table-unused");
  blob::ContentStore content(blobs, nullptr);
  ::cm::api::DocumentServices documents;
  documents.content = &content;
  workflow::OrgCalendar calendar;
  const ::cm::api::ApiDependencies deps{db,         log,      metrics, "unused-secret", draining, 0,
                                        auth_cache, calendar, nullptr, documents,       nullptr};
  const auto router = ::cm::api::build_router(deps);
  std::vector<ServerRoute> out;
  for (const auto& r : router.routes())
    out.push_back({r.method, r.pattern, r.access == http::Access::public_route});
  return out;
}

// ---------------------------------------------------------------------------------------------
// Callers and policies

enum class Caller {
  anonymous,  // no Authorization header
  admin,
  manager,
  owner,      // a member who owns the contracts of the fixture
  bystander,  // a member who owns none of them
  viewer,
  // API keys of each role, created by the admin: a key acts for its creator, with its own role.
  admin_key,
  manager_key,
  member_key,
  viewer_key,
  outsider,  // the admin of another organization
};

constexpr Caller kCallers[] = {Caller::anonymous,  Caller::outsider,  Caller::admin,
                               Caller::manager,    Caller::owner,     Caller::bystander,
                               Caller::viewer,     Caller::admin_key, Caller::manager_key,
                               Caller::member_key, Caller::viewer_key};

std::string_view to_string(Caller c) {
  switch (c) {
    case Caller::anonymous:
      return "no credentials";
    case Caller::admin:
      return "admin";
    case Caller::manager:
      return "manager";
    case Caller::owner:
      return "member (owner)";
    case Caller::bystander:
      return "member (not the owner)";
    case Caller::viewer:
      return "viewer";
    case Caller::admin_key:
      return "admin API key";
    case Caller::manager_key:
      return "manager API key";
    case Caller::member_key:
      return "member API key";
    case Caller::viewer_key:
      return "viewer API key";
    case Caller::outsider:
      return "another organization's admin";
  }
  return "?";
}

bool is_key(Caller c) {
  return c == Caller::admin_key || c == Caller::manager_key || c == Caller::member_key ||
         c == Caller::viewer_key;
}

// Who may call a route, of the callers of this organization (anonymous and outsiders are judged by
// the general rules above).
enum class Allow {
  everyone,          // a public route: no credentials needed
  org_members,       // every role, people and API keys
  people,            // every role, in a session of their own; API keys 403
  writers,           // every role but viewer
  contract_editors,  // the contract's owner, managers and admins (a member key acts for the admin
                     // who created it, so it owns nothing of the owner's)
  managers,          // managers and admins
  admins,
  admins_or_self,  // admins, and users reading themselves; 404 to others
  comment_author,  // the comment's author (the owner)
  approver,        // an approver of the current stage: the manager under the default policy
                   // (never the owner, admins only when a policy names them)
  signer,          // the request's internal signer (the manager), in person
  recipient,       // the notification's recipient (the manager); 404 to others
  view_owner,      // the person who saved the view (the owner); 404 to everyone else
};

std::string_view to_string(Allow a) {
  switch (a) {
    case Allow::everyone:
      return "everyone";
    case Allow::org_members:
      return "org_members";
    case Allow::people:
      return "people";
    case Allow::writers:
      return "writers";
    case Allow::contract_editors:
      return "contract_editors";
    case Allow::managers:
      return "managers";
    case Allow::admins:
      return "admins";
    case Allow::admins_or_self:
      return "admins_or_self";
    case Allow::comment_author:
      return "comment_author";
    case Allow::approver:
      return "approver";
    case Allow::signer:
      return "signer";
    case Allow::recipient:
      return "recipient";
    case Allow::view_owner:
      return "view_owner";
  }
  return "?";
}

bool allows(Allow policy, Caller c) {
  using enum Caller;
  switch (policy) {
    case Allow::everyone:
    case Allow::org_members:
      return true;
    case Allow::people:
      return !is_key(c);
    case Allow::writers:
      return c != viewer && c != viewer_key;
    case Allow::contract_editors:
      return c == admin || c == manager || c == owner || c == admin_key || c == manager_key;
    case Allow::managers:
      return c == admin || c == manager || c == admin_key || c == manager_key;
    case Allow::admins:
      return c == admin || c == admin_key;
    case Allow::admins_or_self:
      return c == admin || c == admin_key || c == owner;
    case Allow::comment_author:
    case Allow::view_owner:
      return c == owner;
    case Allow::approver:
    case Allow::signer:
    case Allow::recipient:
      return c == manager;
  }
  return false;
}

// What a denied caller gets: 404 where even the resource's existence is not the caller's business.
long denied_status(Allow policy) {
  return policy == Allow::admins_or_self || policy == Allow::recipient ||
                 policy == Allow::view_owner
             ? 404
             : 403;
}

// Which of the fixture's contracts (and its signature request) a route's path names.
enum class Scene {
  draft,              // the owner's draft, with a document, an obligation and a comment
  submittable,        // a draft the first allowed caller sends to review
  in_review,          // waiting for the manager's approval
  out_for_signature,  // a parallel request: the manager signs in session, an external signer by
                      // link
  cancellable,        // a pending request the first allowed caller cancels
};

// A route that destroys its resource gives each allowed caller a new one.
enum class Fresh { none, session, api_key, counterparty, document, comment, view };

// One declaration per route.
struct Declared {
  std::string method;
  std::string pattern;
  Allow allow = Allow::admins;
  std::string body;  // JSON; "$sha256" is replaced by the signed document's SHA-256 and
                     // "$setup_token" by the server's first-run setup token
  bool upload = false;
  bool stale_if_match = false;  // If-Match: "999999": allowed callers get 412, nothing changes
  Scene scene = Scene::draft;
  Fresh fresh = Fresh::none;
  std::string query;
  HeaderList headers;

  Declared& json(std::string text) {
    body = std::move(text);
    return *this;
  }
  Declared& text_upload() {
    upload = true;
    return *this;
  }
  Declared& stale() {
    stale_if_match = true;
    return *this;
  }
  Declared& on(Scene s) {
    scene = s;
    return *this;
  }
  Declared& fresh_per_caller(Fresh f) {
    fresh = f;
    return *this;
  }
  Declared& with_query(std::string q) {
    query = std::move(q);
    return *this;
  }
  Declared& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Declared route(std::string method, std::string pattern, Allow allow) {
  Declared d;
  d.method = std::move(method);
  d.pattern = std::move(pattern);
  d.allow = allow;
  return d;
}

const std::vector<Declared>& declared_routes() {
  using A = Allow;
  static const std::vector<Declared> table = {
      // operations
      route("GET", "/health", A::everyone),
      route("GET", "/ready", A::everyone),
      route("GET", "/api/openapi.json", A::everyone),
      // auth and the caller's own account
      // With the right token (an installation with users answers 400 for this body, 409 for a
      // whole one): without it the route is 404 to everyone, which says nothing.
      route("POST", "/api/v1/setup", A::everyone).json(R"({"token":"$setup_token"})"),
      route("POST", "/api/v1/auth/login", A::everyone).json("{}"),
      route("POST", "/api/v1/auth/refresh", A::everyone).json("{}"),
      route("POST", "/api/v1/auth/logout", A::org_members).fresh_per_caller(Fresh::session),
      route("GET", "/api/v1/me", A::org_members),
      route("POST", "/api/v1/me/password", A::people).json("{}"),
      // organization, users, API keys
      route("GET", "/api/v1/organization", A::org_members),
      route("PATCH", "/api/v1/organization", A::admins).json(R"({"timeZone":"UTC"})"),
      route("GET", "/api/v1/users", A::org_members),
      route("POST", "/api/v1/users", A::admins).json("{}"),
      route("GET", "/api/v1/users/{id}", A::org_members),
      route("PATCH", "/api/v1/users/{id}", A::admins).json(R"({"name":"Owner"})").stale(),
      route("GET", "/api/v1/api-keys", A::admins),
      route("POST", "/api/v1/api-keys", A::admins).json("{}"),
      route("DELETE", "/api/v1/api-keys/{id}", A::admins).fresh_per_caller(Fresh::api_key),
      // counterparties
      route("GET", "/api/v1/counterparties", A::org_members),
      route("POST", "/api/v1/counterparties", A::writers).json(R"({"name":"Matrix Supplier"})"),
      route("GET", "/api/v1/counterparties/{id}", A::org_members),
      route("PATCH", "/api/v1/counterparties/{id}", A::writers).json(R"({"name":"X"})").stale(),
      route("DELETE", "/api/v1/counterparties/{id}", A::managers)
          .fresh_per_caller(Fresh::counterparty),
      // contracts
      route("GET", "/api/v1/contracts", A::org_members),
      route("GET", "/api/v1/contracts/export", A::org_members),
      // saved views: each person's own
      route("GET", "/api/v1/views", A::org_members),
      route("POST", "/api/v1/views", A::org_members).json(R"({"name":"Mine","query":""})"),
      route("PATCH", "/api/v1/views/{id}", A::view_owner).json(R"({"query":"status=draft"})"),
      route("DELETE", "/api/v1/views/{id}", A::view_owner).fresh_per_caller(Fresh::view),
      route("POST", "/api/v1/contracts", A::writers).json(R"({"title":"Matrix","type":"nda"})"),
      route("GET", "/api/v1/contracts/{id}", A::org_members),
      route("PATCH", "/api/v1/contracts/{id}", A::contract_editors)
          .json(R"({"title":"Renamed"})")
          .stale(),
      route("DELETE", "/api/v1/contracts/{id}", A::contract_editors).stale(),
      // documents
      route("POST", "/api/v1/contracts/{id}/documents", A::contract_editors).text_upload(),
      route("GET", "/api/v1/contracts/{id}/documents", A::org_members),
      route("GET", "/api/v1/contracts/{id}/documents/{docId}", A::org_members),
      route("DELETE", "/api/v1/contracts/{id}/documents/{docId}", A::contract_editors)
          .fresh_per_caller(Fresh::document),
      route("POST", "/api/v1/contracts/{id}/documents/{docId}/versions", A::contract_editors)
          .text_upload(),
      route("GET", "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/content", A::org_members),
      route("GET", "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/text", A::org_members),
      route("GET", "/api/v1/contracts/{id}/documents/{docId}/versions/{a}/compare/{b}",
            A::org_members),
      // comments, watchers, notifications
      route("GET", "/api/v1/contracts/{id}/comments", A::org_members),
      route("POST", "/api/v1/contracts/{id}/comments", A::writers).json(R"({"body":"Noted."})"),
      route("PATCH", "/api/v1/contracts/{id}/comments/{commentId}", A::comment_author)
          .json(R"({"body":"Edited."})"),
      route("DELETE", "/api/v1/contracts/{id}/comments/{commentId}", A::comment_author)
          .fresh_per_caller(Fresh::comment),
      route("GET", "/api/v1/contracts/{id}/watchers", A::org_members),
      route("PUT", "/api/v1/contracts/{id}/watchers/me", A::org_members),
      route("DELETE", "/api/v1/contracts/{id}/watchers/me", A::org_members),
      route("GET", "/api/v1/notifications", A::org_members),
      route("GET", "/api/v1/notifications/unread-count", A::org_members),
      route("POST", "/api/v1/notifications/read-all", A::org_members),
      route("GET", "/api/v1/notifications/preferences", A::org_members),
      route("PUT", "/api/v1/notifications/preferences", A::org_members).json(R"({"mention":true})"),
      route("POST", "/api/v1/notifications/{notificationId}/read", A::recipient),
      // workflow: transitions, approvals, delegations
      route("POST", "/api/v1/contracts/{id}/transitions", A::contract_editors)
          .json(R"({"to":"in_review"})")
          .on(Scene::submittable),
      route("POST", "/api/v1/contracts/{id}/archive", A::contract_editors),
      route("GET", "/api/v1/contracts/{id}/history", A::org_members),
      route("GET", "/api/v1/contracts/{id}/approval", A::org_members).on(Scene::in_review),
      route("POST", "/api/v1/contracts/{id}/approval/decisions", A::approver)
          .json(R"({"decision":"approve"})")
          .on(Scene::in_review),
      route("GET", "/api/v1/approval-policies", A::org_members),
      route("PUT", "/api/v1/approval-policies", A::admins).json("{}"),
      route("GET", "/api/v1/approvals", A::org_members).with_query("assignee=me"),
      route("GET", "/api/v1/me/delegations", A::org_members),
      route("PUT", "/api/v1/me/delegations", A::people).json(R"({"items":[]})"),
      // obligations
      route("GET", "/api/v1/contracts/{id}/obligations", A::org_members),
      route("POST", "/api/v1/contracts/{id}/obligations", A::contract_editors)
          .json(R"({"title":"Pay","kind":"payment","responsible":"us","dueDate":"2030-01-31"})"),
      route("GET", "/api/v1/contracts/{id}/obligations/{obligationId}", A::org_members),
      route("PATCH", "/api/v1/contracts/{id}/obligations/{obligationId}", A::contract_editors)
          .json(R"({"title":"Pay later"})")
          .stale(),
      route("DELETE", "/api/v1/contracts/{id}/obligations/{obligationId}", A::contract_editors)
          .stale(),
      route("POST", "/api/v1/contracts/{id}/obligations/{obligationId}/complete",
            A::contract_editors),
      route("POST", "/api/v1/contracts/{id}/obligations/{obligationId}/waive", A::contract_editors),
      route("GET", "/api/v1/obligations", A::org_members),
      // signatures
      route("POST", "/api/v1/contracts/{id}/signature-requests", A::contract_editors)
          .json(R"({"signers":[{"name":"Sam Signer","email":"sam@signer.example"}]})"),
      route("GET", "/api/v1/contracts/{id}/signature-requests", A::org_members)
          .on(Scene::out_for_signature),
      route("GET", "/api/v1/contracts/{id}/signature-requests/{requestId}", A::org_members)
          .on(Scene::out_for_signature),
      route("POST", "/api/v1/contracts/{id}/signature-requests/{requestId}/cancel",
            A::contract_editors)
          .on(Scene::cancellable),
      route("POST",
            "/api/v1/contracts/{id}/signature-requests/{requestId}/signers/{signerId}/reissue",
            A::contract_editors)
          .on(Scene::out_for_signature),
      route("POST", "/api/v1/contracts/{id}/signature-requests/{requestId}/sign", A::signer)
          .json(R"({"action":"sign","fullName":"Manager Signer","consent":true,)"
                R"("documentSha256":"$sha256"})")
          .on(Scene::out_for_signature),
      route("GET", "/sign/{token}", A::everyone)
          .on(Scene::out_for_signature)
          .header("Accept", "application/json"),
      route("POST", "/sign/{token}", A::everyone).json("{}").on(Scene::out_for_signature),
      route("GET", "/sign/{token}/document", A::everyone).on(Scene::out_for_signature),
      // renewals, reports, audit
      route("GET", "/api/v1/renewals", A::org_members),
      route("POST", "/api/v1/contracts/{id}/renew", A::contract_editors)
          .json(R"({"termMonths":12})"),
      route("POST", "/api/v1/contracts/{id}/terminate", A::contract_editors)
          .json(R"({"reason":"matrix"})"),
      route("GET", "/api/v1/contracts/{id}/related", A::org_members),
      route("GET", "/api/v1/reports/summary", A::org_members),
      route("GET", "/api/v1/audit", A::org_members),
  };
  return table;
}

// ---------------------------------------------------------------------------------------------
// The fixture: one organization with a resource of every kind, and another organization.

// The ids a path is built from.
struct Ids {
  std::string contract;
  std::string user;  // the owner
  std::string counterparty;
  std::string api_key;  // a spare key nobody calls with
  std::string document;
  std::string comment;
  std::string notification;
  std::string obligation;
  std::string signature_request;
  std::string signer;  // the request's internal signer
  std::string sign_token;
  std::string signed_sha256;
  std::string view;  // the owner's saved view
};

// What every resource's text carries, so a leak is easy to see.
const std::string& marker() {
  static const std::string m = unique_name("Confidential");
  return m;
}

const std::string kTextFile = "Plain notes for the authorization matrix.\n";

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixture_ = new Fixture(); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }

  struct Fixture {
    ServerProcess& server = shared_server();
    Org org = make_org(server);
    Org other = make_org(server, {"admin"});
    std::map<Caller, std::string> tokens;
    std::map<Scene, Ids> scenes;
    std::vector<std::string> our_ids;  // none may reach another organization

    Fixture() {
      add_user(server, org, "bystander", "member");
      tokens[Caller::admin] = org["admin"].access_token;
      tokens[Caller::manager] = org["manager"].access_token;
      tokens[Caller::owner] = org["member"].access_token;
      tokens[Caller::bystander] = org["bystander"].access_token;
      tokens[Caller::viewer] = org["viewer"].access_token;
      tokens[Caller::outsider] = other["admin"].access_token;
      tokens[Caller::admin_key] = new_api_key("admin").second;
      tokens[Caller::manager_key] = new_api_key("manager").second;
      tokens[Caller::member_key] = new_api_key("member").second;
      tokens[Caller::viewer_key] = new_api_key("viewer").second;

      Ids draft;
      draft.user = org["member"].id;
      draft.api_key = new_api_key("viewer").first;
      draft.counterparty = new_counterparty();
      draft.contract = new_contract();
      draft.document = new_document(draft.contract);
      draft.obligation =
          str(expect_created(as(Caller::owner)
                                 .post_json(contract_path(draft.contract, "/obligations"),
                                            bj::object{{"title", marker() + " payment"},
                                                       {"kind", "payment"},
                                                       {"responsible", "us"},
                                                       {"dueDate", "2030-01-31"}})),
              "id");
      // The owner's comment mentions the manager, who is notified.
      draft.comment = new_comment(draft.contract, " @" + org["manager"].email);
      const auto inbox = body_of(as(Caller::manager).get("/api/v1/notifications"));
      draft.notification = ids_of(inbox).at(0);
      draft.view = new_view();
      scenes[Scene::draft] = draft;

      Ids submittable = draft;
      submittable.contract = new_contract();
      scenes[Scene::submittable] = submittable;

      Ids in_review = draft;
      in_review.contract = new_contract();
      submit(in_review.contract);
      scenes[Scene::in_review] = in_review;

      Ids signing = draft;
      const std::string pdf = make_pdf({marker() + " signature page"});
      signing.contract = approved_contract(pdf);
      const auto request = send_for_signature(
          signing.contract,
          bj::array{bj::object{{"userId", org["manager"].id}},
                    bj::object{{"name", "Erin External"}, {"email", "erin@external.example"}}});
      signing.signature_request = str(request, "id");
      const auto& signers = request.at("signers").as_array();
      signing.signer = str(signers.at(0).as_object(), "id");
      const auto link = str(signers.at(1).as_object(), "signUrl");
      signing.sign_token = link.substr(link.rfind('/') + 1);
      signing.signed_sha256 = crypto::sha256_hex(pdf);
      scenes[Scene::out_for_signature] = signing;

      Ids cancellable = draft;
      cancellable.contract = approved_contract(make_pdf({marker() + " to be cancelled"}));
      const auto to_cancel = send_for_signature(
          cancellable.contract, bj::array{bj::object{{"name", "Carl"}, {"email", "c@x.example"}}});
      cancellable.signature_request = str(to_cancel, "id");
      cancellable.signer = str(to_cancel.at("signers").as_array().at(0).as_object(), "id");
      scenes[Scene::cancellable] = cancellable;

      our_ids.push_back(org.id);
      for (const auto& [scene, ids] : scenes)
        for (const auto* id : {&ids.contract, &ids.user, &ids.counterparty, &ids.api_key,
                               &ids.document, &ids.comment, &ids.notification, &ids.obligation,
                               &ids.signature_request, &ids.signer})
          our_ids.push_back(*id);
      for (const auto& [key, account] : org.users) our_ids.push_back(account.id);
    }

    HttpClient as(Caller c) { return client_for(server, tokens.at(c)); }

    static bj::object expect_created(const HttpResponse& r) {
      if (r.status != 201 && r.status != 200)
        throw std::runtime_error("fixture: expected 201, got " + std::to_string(r.status) + ": " +
                                 r.body);
      return body_of(r);
    }
    static void expect_ok(const HttpResponse& r, const char* what) {
      if (r.status != 200)
        throw std::runtime_error(std::string("fixture: ") + what + ": " + r.body);
    }

    // {id, secret}
    std::pair<std::string, std::string> new_api_key(const std::string& role) {
      const auto key = expect_created(
          as(Caller::admin)
              .post_json("/api/v1/api-keys",
                         bj::object{{"name", unique_name("matrix-" + role)}, {"role", role}}));
      return {str(key, "id"), str(key, "secret")};
    }
    std::string new_counterparty() {
      auto admin = as(Caller::admin);
      return str(create_counterparty(admin, unique_name(marker() + " Supplier")), "id");
    }
    std::string new_contract() {
      auto owner = as(Caller::owner);
      return str(create_contract(owner, contract_input(unique_name(marker() + " agreement"))),
                 "id");
    }
    std::string new_document(const std::string& contract) {
      const auto r = as(Caller::owner)
                         .post(contract_path(contract, "/documents?kind=attachment"),
                               marker() + ": " + kTextFile,
                               {{"Content-Type", "text/plain"},
                                {"Content-Disposition",
                                 "attachment; filename=\"" + unique_name("notes") + ".txt\""}});
      return str(expect_created(r), "id");
    }
    std::string new_comment(const std::string& contract, const std::string& extra = {}) {
      return str(
          expect_created(as(Caller::owner)
                             .post_json(contract_path(contract, "/comments"),
                                        bj::object{{"body", marker() + " comment" + extra}})),
          "id");
    }
    std::string new_view() {
      return str(expect_created(as(Caller::owner)
                                    .post_json("/api/v1/views",
                                               bj::object{{"name", unique_name(marker() + " view")},
                                                          {"query", "status=draft"}})),
                 "id");
    }
    void submit(const std::string& contract) {
      expect_ok(
          as(Caller::owner)
              .post_json(contract_path(contract, "/transitions"), bj::object{{"to", "in_review"}}),
          "submit");
    }
    // The owner's contract with `pdf` as its main document, approved by the manager.
    std::string approved_contract(const std::string& pdf) {
      const auto id = new_contract();
      expect_created(as(Caller::owner)
                         .post(contract_path(id, "/documents?kind=main"), pdf,
                               {{"Content-Type", "application/pdf"},
                                {"Content-Disposition", "attachment; filename=\"main.pdf\""}}));
      submit(id);
      expect_ok(as(Caller::manager)
                    .post_json(contract_path(id, "/approval/decisions"),
                               bj::object{{"decision", "approve"}}),
                "approve");
      return id;
    }
    bj::object send_for_signature(const std::string& contract, bj::array signers) {
      return expect_created(
          as(Caller::owner)
              .post_json(contract_path(contract, "/signature-requests"),
                         bj::object{{"signers", std::move(signers)}, {"order", "parallel"}}));
    }
    static std::string contract_path(const std::string& id, const std::string& rest) {
      return "/api/v1/contracts/" + id + rest;
    }

    // The account behind a person caller.
    Account& account_of(Caller c) {
      switch (c) {
        case Caller::admin:
          return org["admin"];
        case Caller::manager:
          return org["manager"];
        case Caller::owner:
          return org["member"];
        case Caller::bystander:
          return org["bystander"];
        case Caller::viewer:
          return org["viewer"];
        case Caller::outsider:
          return other["admin"];
        default:
          throw std::logic_error("not a person: " + std::string(to_string(c)));
      }
    }

    // A token for `c` that the route may spend: a new session for people, the key itself for keys.
    std::string fresh_token(Caller c) {
      if (is_key(c)) return tokens.at(c);
      Account account = account_of(c);
      login(server, account);
      return account.access_token;
    }

    // `ids` with the resource the route destroys replaced by a new one.
    Ids fresh_ids(Ids ids, Fresh fresh) {
      switch (fresh) {
        case Fresh::none:
        case Fresh::session:
          break;
        case Fresh::api_key:
          ids.api_key = new_api_key("viewer").first;
          break;
        case Fresh::counterparty:
          ids.counterparty = new_counterparty();
          break;
        case Fresh::document:
          ids.document = new_document(ids.contract);
          break;
        case Fresh::comment:
          ids.comment = new_comment(ids.contract);
          break;
        case Fresh::view:
          ids.view = new_view();
          break;
      }
      return ids;
    }
  };

  static Fixture& fixture() { return *fixture_; }

 private:
  static inline Fixture* fixture_ = nullptr;
};

// The concrete path of `pattern` for the fixture's `ids`. A parameter the matrix does not know
// fails the test: teach it which resource the new route names.
std::string concrete_path(std::string_view pattern, const Ids& ids) {
  std::string out;
  std::string_view previous;
  std::size_t start = 1;
  while (start <= pattern.size()) {
    auto end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    const auto segment = pattern.substr(start, end - start);
    out += '/';
    if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
      const auto name = segment.substr(1, segment.size() - 2);
      std::string value;
      if (name == "id" && previous == "contracts")
        value = ids.contract;
      else if (name == "id" && previous == "users")
        value = ids.user;
      else if (name == "id" && previous == "counterparties")
        value = ids.counterparty;
      else if (name == "id" && previous == "api-keys")
        value = ids.api_key;
      else if (name == "id" && previous == "views")
        value = ids.view;
      else if (name == "docId")
        value = ids.document;
      else if (name == "n" || name == "a" || name == "b")
        value = "1";
      else if (name == "commentId")
        value = ids.comment;
      else if (name == "notificationId")
        value = ids.notification;
      else if (name == "obligationId")
        value = ids.obligation;
      else if (name == "requestId")
        value = ids.signature_request;
      else if (name == "signerId")
        value = ids.signer;
      else if (name == "token")
        value = ids.sign_token;
      else
        ADD_FAILURE() << "the matrix does not know the parameter " << segment << " of " << pattern;
      out += value;
    } else {
      out += segment;
    }
    previous = segment;
    start = end + 1;
  }
  return out;
}

bool names_a_resource(std::string_view pattern) {
  return pattern.find('{') != std::string_view::npos;
}

bool is_problem_json(const HttpResponse& r) {
  return r.header("Content-Type").starts_with("application/problem+json");
}

std::string describe(const Declared& d, Caller c, const HttpResponse& r) {
  return d.method + " " + d.pattern + " [" + std::string(to_string(d.allow)) + "] as " +
         std::string(to_string(c)) + ": " + std::to_string(r.status) + " " + r.body.substr(0, 300);
}

TEST_F(AuthorizationMatrixTest, EveryRouteIsDeclaredOnceAndEveryDeclarationNamesARoute) {
  const auto routes = server_routes();
  std::map<std::pair<std::string, std::string>, int> declared;
  for (const auto& d : declared_routes()) ++declared[{d.method, d.pattern}];
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& r : routes) {
    served.insert({r.method, r.pattern});
    EXPECT_EQ(declared[std::make_pair(r.method, r.pattern)], 1)
        << r.method << " " << r.pattern
        << " must be declared exactly once in the authorization matrix (who may call it?)";
  }
  for (const auto& [route, count] : declared)
    EXPECT_TRUE(served.count(route))
        << route.first << " " << route.second
        << " is declared in the matrix but the server has no such route";
  for (const auto& r : routes)
    for (const auto& d : declared_routes())
      if (d.method == r.method && d.pattern == r.pattern) {
        EXPECT_EQ(r.is_public, d.allow == Allow::everyone)
            << r.method << " " << r.pattern << ": the route table and the matrix disagree on "
            << "whether it is public";
      }
  EXPECT_GE(routes.size(), 80u) << "the route table looks incomplete";
}

TEST_F(AuthorizationMatrixTest, EveryRouteAnswersEveryCallerAsDeclared) {
  auto& f = fixture();
  std::map<Caller, HttpClient> clients;
  for (const auto c : kCallers) clients.emplace(c, client_for(f.server));
  const auto send = [&](const Declared& d, Caller c, const Ids& ids, const std::string& token) {
    std::string path = concrete_path(d.pattern, ids);
    if (!d.query.empty()) path += "?" + d.query;
    HeaderList headers = d.headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (d.stale_if_match) headers.emplace_back("If-Match", "\"999999\"");
    std::string body;
    if (d.upload) {
      path += "?kind=attachment";
      body = kTextFile;
      headers.emplace_back("Content-Type", "text/plain");
      headers.emplace_back("Content-Disposition", "attachment; filename=\"matrix.txt\"");
    } else if (!d.body.empty()) {
      body = d.body;
      if (const auto at = body.find("$sha256"); at != std::string::npos)
        body.replace(at, 7, ids.signed_sha256);
      if (const auto at = body.find("$setup_token"); at != std::string::npos)
        body.replace(at, 12, auth::setup_token(f.server.env().at("JWT_SECRET")));
      headers.emplace_back("Content-Type", "application/json");
    }
    return clients.at(c).request(d.method, path, body, headers);
  };
  const auto carries_our_data = [&](const HttpResponse& r) -> std::string {
    if (r.body.find(marker()) != std::string::npos) return marker();
    for (const auto& id : f.our_ids)
      if (!id.empty() && r.body.find(id) != std::string::npos) return id;
    return {};
  };

  int checked = 0;
  const auto started = std::chrono::steady_clock::now();
  for (const auto& route : server_routes()) {
    const auto found = std::find_if(
        declared_routes().begin(), declared_routes().end(),
        [&](const Declared& d) { return d.method == route.method && d.pattern == route.pattern; });
    if (found == declared_routes().end()) continue;  // reported by the test above
    const Declared& d = *found;
    const Ids& shared = f.scenes.at(d.scene);

    // Denied callers first, while every resource is intact.
    std::vector<Caller> order;
    for (const auto c : kCallers)
      if (c == Caller::anonymous || c == Caller::outsider || !allows(d.allow, c))
        order.push_back(c);
    for (const auto c : kCallers)
      if (c != Caller::anonymous && c != Caller::outsider && allows(d.allow, c)) order.push_back(c);

    for (const auto c : order) {
      ++checked;
      const bool outsider_sees_resource = c == Caller::outsider && names_a_resource(d.pattern);
      const bool allowed = d.allow == Allow::everyone ||
                           (c == Caller::outsider && !names_a_resource(d.pattern)) ||
                           (c != Caller::anonymous && c != Caller::outsider && allows(d.allow, c));
      const bool spends = allowed && d.fresh != Fresh::none && d.allow != Allow::everyone;
      const Ids ids = spends ? f.fresh_ids(shared, d.fresh) : shared;
      const std::string token = c == Caller::anonymous                ? std::string()
                                : spends && d.fresh == Fresh::session ? f.fresh_token(c)
                                                                      : f.tokens.at(c);
      const auto r = send(d, c, ids, token);
      const auto what = describe(d, c, r);
      EXPECT_LT(r.status, 500) << what;
      if (allowed) {
        EXPECT_TRUE(r.status != 401 && r.status != 403 && r.status != 404) << what;
        if (c == Caller::outsider && d.allow != Allow::everyone) {
          EXPECT_EQ(carries_our_data(r), "") << "another organization sees our data: " << what;
        }
      } else if (c == Caller::anonymous) {
        EXPECT_PROBLEM(r, 401, "/problems/unauthenticated") << what;
      } else {
        const long expected = outsider_sees_resource ? 404 : denied_status(d.allow);
        EXPECT_EQ(r.status, expected) << what;
        EXPECT_TRUE(is_problem_json(r)) << what;
        EXPECT_EQ(r.body.find(marker()), std::string::npos) << "a denial carries data: " << what;
        if (c == Caller::outsider) {
          EXPECT_EQ(carries_our_data(r), "") << "another organization sees our data: " << what;
        }
      }
    }
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("authorization matrix: %d route x caller checks in %.1f s\n", checked, seconds);
  EXPECT_GE(checked, 80 * 11);
}

}  // namespace
}  // namespace cm::test::api
