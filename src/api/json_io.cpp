// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/json_io.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"

namespace cm::api {

http::Response json_response(int status, const bj::value& body) {
  return http::Response::json(status, bj::serialize(body));
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

std::string id_param(const http::Request& request, std::string_view name, std::string_view what) {
  const auto value = request.param(name);
  if (!is_valid_id(value)) throw not_found(std::string(what));
  return std::string(value);
}

}  // namespace cm::api
