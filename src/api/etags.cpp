// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/etags.hpp"

#include "api/json_io.hpp"
#include "core/error.hpp"
#include "http/headers.hpp"

namespace cm::api {

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

Error changed_by_someone_else(std::string_view what) {
  return {ErrorKind::precondition_failed,
          "The " + std::string(what) + " was changed by someone else; reload and retry."};
}

}  // namespace cm::api
