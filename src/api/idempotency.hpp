// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Idempotency-Key for creating POSTs.

#include <functional>

#include "http/request.hpp"
#include "http/response.hpp"
#include "store/database.hpp"

namespace cm::api {

// Runs `create` in a write transaction, once per `Idempotency-Key` (when the header is sent):
// a retry with the same key and body gets the first response again (with
// `Idempotent-Replayed: true`); the same key with a different body is a 422.
http::Response idempotent_create(store::Database& db, const http::Request& request,
                                 const std::function<http::Response(store::Connection&)>& create);

}  // namespace cm::api
