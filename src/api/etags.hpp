// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Optimistic concurrency over HTTP: a resource's version as its ETag, and If-Match.

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace cm::api {

// `"<version>"`
std::string etag_for(std::int64_t version);
void set_etag(http::Response& response, std::int64_t version);
// A JSON response for one versioned resource, with its ETag.
http::Response versioned_json(int status, const boost::json::value& body, std::int64_t version);
// The version named by If-Match; 428 when absent (and `required`), 412-style parse error when
// malformed. Returns nullopt when absent and not required.
std::optional<std::int64_t> if_match_version(const http::Request& request, bool required);
// 412 for a write whose If-Match (or version read in the transaction) is no longer current:
// "The <what> was changed by someone else; reload and retry."
Error changed_by_someone_else(std::string_view what);

}  // namespace cm::api
