#include "api/etags.hpp"

#include <charconv>

#include "api/json_io.hpp"
#include "core/error.hpp"

namespace cm::api {

std::string etag_for(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
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
  std::string_view v = *header;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::int64_t version = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc() || ptr != v.data() + v.size())
    throw Error(ErrorKind::precondition_failed,
                "If-Match does not name a version of this resource.");
  return version;
}

}  // namespace cm::api
