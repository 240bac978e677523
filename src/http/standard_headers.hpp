// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The headers every response carries, whoever made it: the pipeline for the requests it handles,
// the server for those it refuses before the pipeline sees them (400, 413, 431, 503 busy).

#include <optional>
#include <string>
#include <string_view>

#include "http/response.hpp"

namespace cm::http {

// A client-supplied X-Request-Id is kept when it is 1-128 characters of [A-Za-z0-9._:-].
bool is_acceptable_request_id(std::string_view id) noexcept;

// The request id of a request that sent `given` as X-Request-Id: that value when acceptable,
// otherwise (or without one) a new UUIDv7.
std::string request_id_for(std::optional<std::string_view> given);

// X-Request-Id, X-Content-Type-Options, Referrer-Policy, X-Frame-Options (unless set) and, when
// `no_store`, Cache-Control: no-store (unless set).
void add_standard_headers(Response& response, std::string_view request_id, bool no_store);

}  // namespace cm::http
