// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The middleware chain around the router, in order:
//   request id → CORS (preflight) → routing (405/404/static files) → authentication → handler
//   → error mapping (typed errors to problem+json; anything else a logged 500)
//   → response headers (request id, security headers, CORS) → metrics → access log.

#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "api/authenticator.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"

namespace cm::obs {
class Logger;
class Metrics;
}  // namespace cm::obs

namespace cm::api {

struct PipelineOptions {
  std::vector<std::string> cors_origins;  // exact origins
  std::filesystem::path web_root;
};

class Pipeline {
 public:
  Pipeline(http::Router router, Authenticator authenticator, const obs::Logger& log,
           obs::Metrics& metrics, PipelineOptions options);

  // The Application the HTTP server runs.
  http::Response handle(http::Request& request);
  // The AsyncApplication: takes a request when its route has an async handler and its
  // authentication needs no blocking work, runs the same chain without blocking and calls
  // `respond` once; returns false otherwise (having changed nothing but Request::match, which it
  // may have filled, so handle() does not route again).
  bool handle_async(http::Request& request, std::function<void(http::Response)> respond);
  // How the server reads a request's body: upload routes spool up to their own limit, every
  // other route keeps up to `default_limit` bytes in memory. This is where a request is routed:
  // the policy carries the match, which the server hands on in Request::match.
  http::BodyPolicy body_policy(std::string_view method, std::string_view path,
                               std::size_t default_limit) const;
  // Responses the server makes itself (413, 431, 503...), in the same problem+json shape; the
  // server adds the headers every response carries (http::add_standard_headers).
  http::Response server_error(int status, std::string_view detail) const;

 private:
  http::Response dispatch(http::Request& request);
  // The error mapping of dispatch(), for an exception caught elsewhere.
  http::Response error_response(const http::Request& request, std::exception_ptr error) const;
  // Response headers, metrics and the access log line.
  void complete(const http::Request& request, http::Response& response,
                std::chrono::steady_clock::time_point started) const;
  http::Response route(http::Request& request);
  // The request's route match: the one the body policy made, else made now and kept.
  const http::RouteMatch& matched(http::Request& request) const;
  void finish(const http::Request& request, http::Response& response) const;
  void add_cors(const http::Request& request, http::Response& response) const;
  bool origin_allowed(std::string_view origin) const;

  http::Router router_;
  Authenticator authenticator_;
  const obs::Logger& log_;
  obs::Metrics& metrics_;
  PipelineOptions options_;
  http::StaticFiles static_files_;
};

}  // namespace cm::api
