// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/idempotency.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "api/etags.hpp"
#include "api/json_io.hpp"
#include "api/transactions.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "http/headers.hpp"
#include "store/idempotency_repository.hpp"

namespace cm::api {

namespace bj = boost::json;

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
