// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The request as handlers see it: already parsed, bounded and decoded by the server.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.hpp"
#include "http/headers.hpp"

namespace cm::http {

// A request body the server wrote to a temporary file instead of memory (uploads). The file is
// deleted when the last holder lets go.
class SpooledBody {
 public:
  SpooledBody(std::string path, std::uint64_t size) : path_(std::move(path)), size_(size) {}
  ~SpooledBody();
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;
  const std::string& path() const noexcept { return path_; }
  std::uint64_t size() const noexcept { return size_; }

 private:
  std::string path_;
  std::uint64_t size_;
};

struct Route;

// What the router found for a request's method and path.
struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> allowed_methods;  // non-empty when the path matched another method
};

struct Request {
  std::string method;  // as sent (methods are case-sensitive), e.g. "GET"
  std::string target;  // raw request target, e.g. "/api/v1/contracts?limit=5"
  std::string path;    // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;                            // empty when the body was spooled
  std::shared_ptr<const SpooledBody> spooled;  // set on routes that spool (uploads)
  std::string remote_ip;
  std::chrono::steady_clock::time_point received_at = std::chrono::steady_clock::now();

  // The router's answer for `method` and `path`, made once per request: by the body policy when
  // the head arrives (so an upload's limit applies before its body is read), carried here by the
  // server, else by the pipeline. Empty until then.
  std::optional<RouteMatch> match;

  // Set by middleware and the router.
  std::string request_id;
  std::string route;  // the matched route template, e.g. "/api/v1/contracts/{id}"
  std::vector<std::pair<std::string, std::string>> path_params;
  std::optional<Principal> principal;

  std::optional<std::string_view> header(std::string_view name) const noexcept {
    return headers.get(name);
  }
  // The first value of a query parameter, if present.
  std::optional<std::string_view> query_param(std::string_view name) const noexcept;
  // A path parameter from the route template; empty if the route has none of that name.
  std::string_view param(std::string_view name) const noexcept;
};

}  // namespace cm::http
