// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/pipeline.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "api/problems.hpp"
#include "core/strings.hpp"
#include "http/standard_headers.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"
#include "store/database.hpp"

namespace cm::api {

namespace {

constexpr std::string_view kAllowedHeaders =
    "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-Id";
constexpr std::string_view kExposedHeaders =
    "ETag, Location, X-Request-Id, Retry-After, Idempotent-Replayed";

ErrorKind kind_for_status(int status) {
  switch (status) {
    case 400:
      return ErrorKind::bad_request;
    case 404:
      return ErrorKind::not_found;
    case 405:
      return ErrorKind::method_not_allowed;
    case 413:
      return ErrorKind::payload_too_large;
    case 429:
      return ErrorKind::rate_limited;
    case 503:
      return ErrorKind::unavailable;
    default:
      return status >= 500 ? ErrorKind::internal : ErrorKind::bad_request;
  }
}

// The path for the access log. A signing link's path is its secret (/sign/{token}), so those
// requests are logged by their route template: tokens never reach the logs.
std::string_view loggable_path(const http::Request& request) {
  if (request.route.starts_with("/sign/")) return request.route;
  return request.path;
}

// Shown at / when no web UI is built (WEB_ROOT has no index.html), so a first visitor sees
// that the server runs and where the API is described.
http::Response landing_page() {
  auto r = http::Response::text(200, R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>contractmgmt</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>contractmgmt is running</h1>
<p>The API lives under <code>/api/v1</code>; its description is
<a href="/api/openapi.json">/api/openapi.json</a>. Probes: <a href="/health">/health</a>,
<a href="/ready">/ready</a>; metrics on the operations port (<code>METRICS_PORT</code>).</p>
<p>No web UI is built in <code>WEB_ROOT</code> yet.</p>
</body></html>
)",
                                "text/html; charset=utf-8");
  r.headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  r.headers.set("Cache-Control", "no-cache");
  return r;
}

}  // namespace

http::BodyPolicy Pipeline::body_policy(std::string_view method, std::string_view path,
                                       std::size_t default_limit) const {
  // The server passes the method as sent; requests are routed by its upper-case form.
  http::BodyPolicy policy{default_limit, false, router_.match(to_upper(method), path)};
  const http::Route* route = policy.match->route;
  if (route && route->upload_limit > 0 && (route->method == "POST" || route->method == "PUT")) {
    policy.limit = route->upload_limit;
    policy.spool = true;
  }
  return policy;
}

const http::RouteMatch& Pipeline::matched(http::Request& request) const {
  if (!request.match) request.match = router_.match(request.method, request.path);
  return *request.match;
}

Pipeline::Pipeline(http::Router router, Authenticator authenticator, const obs::Logger& log,
                   obs::Metrics& metrics, PipelineOptions options)
    : router_(std::move(router)),
      authenticator_(std::move(authenticator)),
      log_(log),
      metrics_(metrics),
      options_(std::move(options)),
      static_files_(options_.web_root) {}

http::Response Pipeline::handle(http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  request.request_id = http::request_id_for(request.header("X-Request-Id"));
  http::Response response = dispatch(request);
  complete(request, response, started);
  return response;
}

bool Pipeline::handle_async(http::Request& request, std::function<void(http::Response)> respond) {
  if (request.method == "OPTIONS") return false;
  const http::Route* route = matched(request).route;
  if (!route || !route->async_handler) return false;
  const bool authenticated = route->access == http::Access::authenticated;
  if (authenticated && !authenticator_.can_authenticate_async(request)) return false;

  const auto started = std::chrono::steady_clock::now();
  request.request_id = http::request_id_for(request.header("X-Request-Id"));
  request.route = route->pattern;
  request.path_params = std::move(request.match->params);

  // Runs once, on whichever thread finishes; `request` is alive until `respond` returns control.
  http::Done done = [this, &request, started, respond = std::move(respond)](
                        const std::exception_ptr& error, http::Response response) {
    if (error) response = error_response(request, error);
    complete(request, response, started);
    respond(std::move(response));
  };
  auto run_handler = [route, &request](const http::Done& finish) {
    try {
      route->async_handler(request, finish);
    } catch (const std::exception&) {
      // Thrown before the handler started its work: `finish` was not called.
      finish(std::current_exception(), {});
    }
  };
  if (!authenticated) {
    run_handler(done);
    return true;
  }
  authenticator_.authenticate_async(
      request, [&request, done = std::move(done), run_handler](const std::exception_ptr& error,
                                                               Principal principal) mutable {
        if (error) return done(error, {});
        request.principal = std::move(principal);
        run_handler(done);
      });
  return true;
}

void Pipeline::complete(const http::Request& request, http::Response& response,
                        std::chrono::steady_clock::time_point started) const {
  finish(request, response);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string route = request.route.empty() ? "unmatched" : request.route;
  metrics_.record_http_request(request.method, route, response.status, seconds);
  if (log_.enabled(obs::LogLevel::info)) {
    std::vector<obs::LogField> fields{{"requestId", request.request_id},
                                      {"method", request.method},
                                      {"path", std::string(loggable_path(request))},
                                      {"route", route},
                                      {"status", std::int64_t{response.status}},
                                      {"durationMs", seconds * 1000.0},
                                      {"ip", request.remote_ip}};
    if (request.principal) {
      fields.push_back({"orgId", request.principal->org_id});
      fields.push_back({"userId", request.principal->user_id});
    }
    log_.info("request", fields);
  }
}

http::Response Pipeline::dispatch(http::Request& request) {
  try {
    return route(request);
  } catch (const std::exception&) {
    return error_response(request, std::current_exception());
  }
}

http::Response Pipeline::error_response(const http::Request& request,
                                        std::exception_ptr error) const {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::unavailable && e.kind() != ErrorKind::internal)
      return problem_response(e, request.request_id);
    // The detail of a failed dependency or an internal error is for operators (a directory, a
    // bucket, a key id: docs/STORAGE.md): logged, and the client gets a generic answer.
    if (e.kind() == ErrorKind::internal) {
      log_.error("internal error", {{"requestId", request.request_id}, {"error", e.detail()}});
    } else {
      log_.warn("dependency unavailable",
                {{"requestId", request.request_id}, {"error", e.detail()}});
      Error generic(ErrorKind::unavailable,
                    "A service this request needs is unavailable; retry shortly.");
      if (e.retry_after_seconds()) generic.with_retry_after(*e.retry_after_seconds());
      return problem_response(generic, request.request_id);
    }
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::unavailable) {
      log_.warn("database unavailable", {{"requestId", request.request_id}, {"error", e.what()}});
      return problem_response(
          Error(ErrorKind::unavailable, "The database is unavailable; retry shortly.")
              .with_retry_after(1),
          request.request_id);
    }
    log_.error("database error", {{"requestId", request.request_id}, {"error", e.what()}});
  } catch (const std::exception& e) {
    log_.error("unhandled error", {{"requestId", request.request_id}, {"error", e.what()}});
  }
  return problem_response(
      Error(ErrorKind::internal,
            "Something went wrong on our side; the request id identifies it in our logs."),
      request.request_id);
}

http::Response Pipeline::route(http::Request& request) {
  const auto origin = request.header("Origin");
  if (request.method == "OPTIONS" && origin && request.header("Access-Control-Request-Method")) {
    request.route = "preflight";
    if (!origin_allowed(*origin)) throw forbidden("This origin is not allowed.");
    auto r = http::Response::empty(204);
    r.headers.set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    r.headers.set("Access-Control-Allow-Headers", std::string(kAllowedHeaders));
    r.headers.set("Access-Control-Max-Age", "600");
    return r;
  }
  const auto& match = matched(request);
  if (!match.route) {
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      auto r =
          problem_response(Error(ErrorKind::method_not_allowed,
                                 request.method + " is not supported here; use " + allow + "."),
                           request.request_id);
      r.headers.set("Allow", allow);
      return r;
    }
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (get) {
      if (auto file = static_files_.serve(request)) {
        request.route = "static";
        return std::move(*file);
      }
    }
    if (get && request.path == "/") {
      request.route = "landing";
      return landing_page();
    }
    throw not_found("No resource at " + request.path + " is");
  }
  const http::Route& route = *match.route;
  request.route = route.pattern;
  request.path_params = std::move(request.match->params);
  if (route.access == http::Access::authenticated)
    request.principal = authenticator_.authenticate(request);
  return route.handler(request);
}

void Pipeline::finish(const http::Request& request, http::Response& response) const {
  http::add_standard_headers(response, request.request_id, request.path.starts_with("/api/"));
  add_cors(request, response);
}

void Pipeline::add_cors(const http::Request& request, http::Response& response) const {
  const auto origin = request.header("Origin");
  if (!origin || !origin_allowed(*origin)) return;
  response.headers.set("Access-Control-Allow-Origin", std::string(*origin));
  response.headers.set("Access-Control-Expose-Headers", std::string(kExposedHeaders));
  response.headers.add("Vary", "Origin");
}

bool Pipeline::origin_allowed(std::string_view origin) const {
  return std::find(options_.cors_origins.begin(), options_.cors_origins.end(), origin) !=
         options_.cors_origins.end();
}

// The server adds the standard headers (http/standard_headers.hpp) to these.
http::Response Pipeline::server_error(int status, std::string_view detail) const {
  if (status == 431) {
    auto r = http::Response::json(
        431, boost::json::serialize(boost::json::object{{"type", "/problems/headers-too-large"},
                                                        {"title", "Request headers too large"},
                                                        {"status", 431},
                                                        {"detail", detail}}));
    r.headers.set("Content-Type", "application/problem+json");
    return r;
  }
  return problem_response(Error(kind_for_status(status), std::string(detail)), "");
}

}  // namespace cm::api
