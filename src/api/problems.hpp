// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// RFC 9457 problem+json: the one mapping from an error kind to its status, `type` and title.

#include <string_view>

#include "core/error.hpp"
#include "http/response.hpp"

namespace cm::api {

// RFC 9457 problem details for an error; `instance` is the request id.
http::Response problem_response(const Error& error, std::string_view request_id);
// The problem `type` URI and title for an error kind, e.g. "/problems/not-found".
std::string_view problem_type(ErrorKind kind) noexcept;
int http_status(ErrorKind kind) noexcept;

}  // namespace cm::api
