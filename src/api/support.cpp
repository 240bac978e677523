#include "api/support.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "store/audit_repository.hpp"
#include "store/contract_repository.hpp"

namespace cm::api {

http::Response json_response(int status, const bj::value& body) {
  return http::Response::json(status, bj::serialize(body));
}

std::string_view problem_type(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request:
      return "/problems/bad-request";
    case ErrorKind::validation:
      return "/problems/validation";
    case ErrorKind::unauthenticated:
      return "/problems/unauthenticated";
    case ErrorKind::forbidden:
      return "/problems/forbidden";
    case ErrorKind::not_found:
      return "/problems/not-found";
    case ErrorKind::gone:
      return "/problems/gone";
    case ErrorKind::method_not_allowed:
      return "/problems/method-not-allowed";
    case ErrorKind::conflict:
      return "/problems/conflict";
    case ErrorKind::precondition_failed:
      return "/problems/precondition-failed";
    case ErrorKind::payload_too_large:
      return "/problems/payload-too-large";
    case ErrorKind::unsupported_media_type:
      return "/problems/unsupported-media-type";
    case ErrorKind::range_not_satisfiable:
      return "/problems/range-not-satisfiable";
    case ErrorKind::unprocessable:
      return "/problems/unprocessable";
    case ErrorKind::precondition_required:
      return "/problems/precondition-required";
    case ErrorKind::rate_limited:
      return "/problems/rate-limited";
    case ErrorKind::unavailable:
      return "/problems/unavailable";
    case ErrorKind::internal:
      return "/problems/internal";
  }
  return "/problems/internal";
}

int http_status(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request:
    case ErrorKind::validation:
      return 400;
    case ErrorKind::unauthenticated:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::gone:
      return 410;
    case ErrorKind::method_not_allowed:
      return 405;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::precondition_failed:
      return 412;
    case ErrorKind::payload_too_large:
      return 413;
    case ErrorKind::unsupported_media_type:
      return 415;
    case ErrorKind::range_not_satisfiable:
      return 416;
    case ErrorKind::unprocessable:
      return 422;
    case ErrorKind::precondition_required:
      return 428;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

namespace {

std::string_view title_of(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request:
      return "Bad request";
    case ErrorKind::validation:
      return "Validation failed";
    case ErrorKind::unauthenticated:
      return "Authentication required";
    case ErrorKind::forbidden:
      return "Not allowed";
    case ErrorKind::not_found:
      return "Not found";
    case ErrorKind::gone:
      return "Gone";
    case ErrorKind::method_not_allowed:
      return "Method not allowed";
    case ErrorKind::conflict:
      return "Conflict";
    case ErrorKind::precondition_failed:
      return "Precondition failed";
    case ErrorKind::payload_too_large:
      return "Payload too large";
    case ErrorKind::unsupported_media_type:
      return "Unsupported media type";
    case ErrorKind::range_not_satisfiable:
      return "Range not satisfiable";
    case ErrorKind::unprocessable:
      return "Unprocessable request";
    case ErrorKind::precondition_required:
      return "Precondition required";
    case ErrorKind::rate_limited:
      return "Too many requests";
    case ErrorKind::unavailable:
      return "Service unavailable";
    case ErrorKind::internal:
      return "Internal error";
  }
  return "Internal error";
}

}  // namespace

http::Response problem_response(const Error& error, std::string_view request_id) {
  const int status = http_status(error.kind());
  bj::object body{{"type", problem_type(error.kind())},
                  {"title", title_of(error.kind())},
                  {"status", status},
                  {"detail", error.detail()}};
  if (!request_id.empty()) body["instance"] = "urn:request:" + std::string(request_id);
  if (!error.fields().empty()) {
    bj::array errors;
    for (const auto& f : error.fields())
      errors.push_back(bj::object{{"field", f.field}, {"message", f.message}});
    body["errors"] = std::move(errors);
  }
  if (!error.extra_json().empty()) {
    boost::system::error_code ec;
    auto extra = bj::parse(error.extra_json(), ec);
    if (!ec && extra.is_object())
      for (const auto& kv : extra.as_object()) body[kv.key()] = kv.value();
  }
  http::Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/problem+json");
  if (error.retry_after_seconds())
    r.headers.set("Retry-After", std::to_string(*error.retry_after_seconds()));
  r.body = bj::serialize(body);
  return r;
}

bj::object read_json_body(const http::Request& request) {
  const auto type = request.header("Content-Type");
  const auto base = type ? type->substr(0, type->find(';')) : std::string_view{};
  if (!type || !(base == "application/json" || base == "application/merge-patch+json"))
    throw Error(ErrorKind::unsupported_media_type, "Send the request body as application/json.");
  auto parsed = json::parse_object(request.body);
  if (!parsed) throw parsed.error();
  return std::move(parsed).value();
}

const Principal& principal_of(const http::Request& request) {
  if (!request.principal) throw Error(ErrorKind::unauthenticated, "Authentication is required.");
  return *request.principal;
}

std::string etag_for(std::int64_t version) {
  return http::version_etag(version);
}

void set_etag(http::Response& response, std::int64_t version) {
  response.headers.set("ETag", etag_for(version));
}

http::Response versioned_json(int status, const bj::value& body, std::int64_t version) {
  auto response = json_response(status, body);
  set_etag(response, version);
  return response;
}

std::optional<std::int64_t> if_match_version(const http::Request& request, bool required) {
  auto header = request.header("If-Match");
  if (!header) {
    if (required)
      throw Error(ErrorKind::precondition_required,
                  "Send If-Match with the ETag you last read, so concurrent edits are not lost.");
    return std::nullopt;
  }
  const auto version = http::parse_version_etag(*header);
  if (!version)
    throw Error(ErrorKind::precondition_failed,
                "If-Match does not name a version of this resource.");
  return version;
}

std::string id_param(const http::Request& request, std::string_view name, std::string_view what) {
  const auto value = request.param(name);
  if (!is_valid_id(value)) throw not_found(std::string(what));
  return std::string(value);
}

PageParams read_page_params(const http::Request& request, std::string_view sort,
                            std::initializer_list<std::string_view> other_params) {
  std::vector<FieldError> errors;
  for (const auto& [name, value] : request.query)
    if (name != "limit" && name != "cursor" &&
        std::find(other_params.begin(), other_params.end(), name) == other_params.end())
      errors.push_back({name, "unknown query parameter"});
  PageParams page;
  if (auto limit = parse_limit(request.query_param("limit")))
    page.limit = *limit;
  else
    errors.push_back(limit.error().fields().front());
  if (const auto text = request.query_param("cursor")) {
    if (auto cursor = decode_cursor(*text, sort))
      page.after = *cursor;
    else
      errors.push_back(cursor.error().fields().front());
  }
  if (!errors.empty()) throw validation_failed(std::move(errors));
  return page;
}

namespace {

void in_transaction(store::Database& db, store::Transaction::Mode mode,
                    const std::function<void(store::Transaction&)>& work) {
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    try {
      auto lease = db.acquire();
      store::Transaction tx(*lease, mode);
      work(tx);
      tx.commit();
      return;
    } catch (const store::DbError& e) {
      if (e.kind() != store::DbError::Kind::serialization_failure || attempt == kAttempts) throw;
    }
  }
}

}  // namespace

void in_write_transaction(store::Database& db,
                          const std::function<void(store::Connection&)>& work) {
  in_transaction(db, store::Transaction::Mode::write,
                 [&](store::Transaction& tx) { work(tx.connection()); });
}

void in_read_transaction(store::Database& db, const std::function<void(store::Connection&)>& work) {
  in_transaction(db, store::Transaction::Mode::read,
                 [&](store::Transaction& tx) { work(tx.connection()); });
}

void in_write_transaction_tx(store::Database& db,
                             const std::function<void(store::Transaction&)>& work) {
  in_transaction(db, store::Transaction::Mode::write, work);
}

Contract require_contract(store::Connection& conn, const Principal& p, const std::string& id) {
  auto contract = store::ContractRepository(conn).find(p.org_id, id);
  if (!contract) throw not_found("contract");
  return std::move(*contract);
}

AuditActor audit_actor(const http::Request& request) {
  const auto& p = principal_of(request);
  return audit_actor_as(request, p.org_id, p.actor_id);
}

AuditActor audit_actor_as(const http::Request& request, std::string_view org_id,
                          std::string_view actor_id) {
  const bool api_key = request.principal && request.principal->actor_type == ActorType::api_key;
  return {std::string(org_id), std::string(actor_id), api_key ? "api_key" : "user",
          request.request_id, request.remote_ip};
}

void audit_as(store::Connection& conn, const http::Request& request, std::string_view org_id,
              std::string_view actor_id, std::string_view action, std::string_view entity_type,
              std::string_view entity_id, bj::value changes) {
  store::record_audit(conn, audit_actor_as(request, org_id, actor_id), action, entity_type,
                      entity_id, std::move(changes));
}

void audit(store::Connection& conn, const http::Request& request, std::string_view action,
           std::string_view entity_type, std::string_view entity_id, bj::value changes) {
  store::record_audit(conn, audit_actor(request), action, entity_type, entity_id,
                      std::move(changes));
}

}  // namespace cm::api

#include "core/crypto.hpp"
#include "store/idempotency_repository.hpp"

namespace cm::api {

namespace {

std::optional<std::string> idempotency_key(const http::Request& request) {
  const auto key = request.header("Idempotency-Key");
  if (!key) return std::nullopt;
  if (!http::is_valid_idempotency_key(*key))
    throw Error(ErrorKind::validation, "Invalid Idempotency-Key.",
                {{"Idempotency-Key", "must be 1-200 visible ASCII characters"}});
  return std::string(*key);
}

http::Response replay(const store::StoredResponse& stored, const http::Request& request) {
  auto resp = http::Response::json(stored.status, stored.body);
  resp.headers.set("Idempotent-Replayed", "true");
  boost::system::error_code ec;
  const auto body = bj::parse(stored.body, ec);
  if (!ec && body.is_object()) {
    const auto& o = body.as_object();
    if (const auto* id = o.if_contains("id"); id && id->is_string())
      resp.headers.set("Location", request.path + "/" + std::string(id->as_string()));
    if (const auto* v = o.if_contains("version"); v && v->is_int64()) set_etag(resp, v->as_int64());
  }
  return resp;
}

}  // namespace

http::Response idempotent_create(store::Database& db, const http::Request& request,
                                 const std::function<http::Response(store::Connection&)>& create) {
  const auto key = idempotency_key(request);
  http::Response response;
  if (!key) {
    in_write_transaction(db, [&](store::Connection& c) { response = create(c); });
    return response;
  }
  const auto& p = principal_of(request);
  const std::string request_hash =
      crypto::sha256_hex(request.method + " " + request.path + "\n" + request.body);
  in_write_transaction(db, [&](store::Connection& c) {
    store::IdempotencyRepository keys(c);
    auto existing = keys.find(p.org_id, p.actor_id, *key);
    if (!existing && keys.claim(p.org_id, p.actor_id, *key, request_hash, now_unix_ms())) {
      response = create(c);
      keys.store_response(p.org_id, p.actor_id, *key, response.status, response.body);
      return;
    }
    if (!existing)
      existing = keys.find(p.org_id, p.actor_id, *key);  // lost a race: read the winner's
    if (!existing || existing->status == 0)
      throw Error(ErrorKind::conflict, "A request with this Idempotency-Key is still in progress.");
    if (existing->request_hash != request_hash)
      throw Error(ErrorKind::unprocessable,
                  "This Idempotency-Key was used for a different request; use a new key.");
    response = replay(*existing, request);
  });
  return response;
}

}  // namespace cm::api
