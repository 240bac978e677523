#pragma once
// Shared plumbing for handlers: JSON and problem+json responses, request body parsing, version
// preconditions (ETag / If-Match), and transactions with the audit event of the change.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/contract.hpp"
#include "core/error.hpp"
#include "core/pagination.hpp"
#include "core/principal.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "store/database.hpp"

namespace cm::api {

namespace bj = boost::json;

http::Response json_response(int status, const bj::value& body);
// RFC 9457 problem details for an error; `instance` is the request id.
http::Response problem_response(const Error& error, std::string_view request_id);
// The problem `type` URI and title for an error kind, e.g. "/problems/not-found".
std::string_view problem_type(ErrorKind kind) noexcept;
int http_status(ErrorKind kind) noexcept;

// The request body as a JSON object; 415 unless the content type is JSON.
bj::object read_json_body(const http::Request& request);

const Principal& principal_of(const http::Request& request);

// `"<version>"`
std::string etag_for(std::int64_t version);
void set_etag(http::Response& response, std::int64_t version);
// A JSON response for one versioned resource, with its ETag.
http::Response versioned_json(int status, const bj::value& body, std::int64_t version);
// The version named by If-Match; 428 when absent (and `required`), 412-style parse error when
// malformed. Returns nullopt when absent and not required.
std::optional<std::int64_t> if_match_version(const http::Request& request, bool required);

// A path parameter that must be an id; 404 otherwise (a malformed id names nothing).
std::string id_param(const http::Request& request, std::string_view name, std::string_view what);

// The caller's organization's contract `id`; 404 otherwise (other organizations' too).
Contract require_contract(store::Connection& conn, const Principal& p, const std::string& id);

// `limit` and `cursor` of a keyset-paginated listing sorted by `sort`. Every other query
// parameter must be one of `other_params`; anything else is a 400 naming it.
struct PageParams {
  int limit = kDefaultLimit;
  std::optional<Cursor> after;
};
PageParams read_page_params(const http::Request& request, std::string_view sort,
                            std::initializer_list<std::string_view> other_params = {});

// {"items": [...], "nextCursor": ...} from one row more than the page: when the extra row is
// there, it is dropped and the cursor points after the last row kept.
template <class Row, class ToJson, class KeyOf>
http::Response page_response(std::vector<Row> rows, const PageParams& page, std::string_view sort,
                             ToJson to_json, KeyOf key_of) {
  bj::value next = nullptr;
  if (static_cast<int>(rows.size()) > page.limit) {
    rows.pop_back();
    next = bj::string(encode_cursor({std::string(sort), key_of(rows.back()), rows.back().id}));
  }
  bj::array items;
  items.reserve(rows.size());
  for (const auto& row : rows) items.push_back(to_json(row));
  return json_response(200, bj::object{{"items", std::move(items)}, {"nextCursor", next}});
}

// Runs `work` in a write transaction and commits, retrying a few times when the database
// reports a serialization failure or deadlock.
void in_write_transaction(store::Database& db, const std::function<void(store::Connection&)>& work);
void in_read_transaction(store::Database& db, const std::function<void(store::Connection&)>& work);
// The same, for work that also enqueues jobs (which join the transaction itself).
void in_write_transaction_tx(store::Database& db,
                             const std::function<void(store::Transaction&)>& work);

// The request's principal as the actor of audited changes (with request id and address).
AuditActor audit_actor(const http::Request& request);
// The same for a known actor without a principal (logins).
AuditActor audit_actor_as(const http::Request& request, std::string_view org_id,
                          std::string_view actor_id);

// Appends an audit event for the request's principal in the caller's transaction.
void audit(store::Connection& conn, const http::Request& request, std::string_view action,
           std::string_view entity_type, std::string_view entity_id, bj::value changes = nullptr);
// For actions without an authenticated principal (logins).
void audit_as(store::Connection& conn, const http::Request& request, std::string_view org_id,
              std::string_view actor_id, std::string_view action, std::string_view entity_type,
              std::string_view entity_id, bj::value changes = nullptr);

}  // namespace cm::api

namespace cm::api {

// Runs `create` in a write transaction, once per `Idempotency-Key` (when the header is sent):
// a retry with the same key and body gets the first response again (with
// `Idempotent-Replayed: true`); the same key with a different body is a 422.
http::Response idempotent_create(store::Database& db, const http::Request& request,
                                 const std::function<http::Response(store::Connection&)>& create);

}  // namespace cm::api
