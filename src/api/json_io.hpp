// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// JSON in and out of handlers: the response, the strictly typed request body, the caller and
// the ids in the path.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/principal.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace cm::api {

namespace bj = boost::json;

http::Response json_response(int status, const bj::value& body);

// The request body as a JSON object; 415 unless the content type is JSON.
bj::object read_json_body(const http::Request& request);

const Principal& principal_of(const http::Request& request);

// A path parameter that must be an id; 404 otherwise (a malformed id names nothing).
std::string id_param(const http::Request& request, std::string_view name, std::string_view what);

}  // namespace cm::api
