// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/problems.hpp"

#include <boost/json.hpp>

namespace cm::api {

namespace bj = boost::json;

std::string_view problem_type(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request:
      return "/problems/bad-request";
    case ErrorKind::validation:
      return "/problems/validation";
    case ErrorKind::unauthenticated:
      return "/problems/unauthenticated";
    case ErrorKind::forbidden:
      return "/problems/forbidden";
    case ErrorKind::not_found:
      return "/problems/not-found";
    case ErrorKind::gone:
      return "/problems/gone";
    case ErrorKind::method_not_allowed:
      return "/problems/method-not-allowed";
    case ErrorKind::conflict:
      return "/problems/conflict";
    case ErrorKind::precondition_failed:
      return "/problems/precondition-failed";
    case ErrorKind::payload_too_large:
      return "/problems/payload-too-large";
    case ErrorKind::unsupported_media_type:
      return "/problems/unsupported-media-type";
    case ErrorKind::range_not_satisfiable:
      return "/problems/range-not-satisfiable";
    case ErrorKind::unprocessable:
      return "/problems/unprocessable";
    case ErrorKind::precondition_required:
      return "/problems/precondition-required";
    case ErrorKind::rate_limited:
      return "/problems/rate-limited";
    case ErrorKind::unavailable:
      return "/problems/unavailable";
    case ErrorKind::internal:
      return "/problems/internal";
  }
  return "/problems/internal";
}

int http_status(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request:
    case ErrorKind::validation:
      return 400;
    case ErrorKind::unauthenticated:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::gone:
      return 410;
    case ErrorKind::method_not_allowed:
      return 405;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::precondition_failed:
      return 412;
    case ErrorKind::payload_too_large:
      return 413;
    case ErrorKind::unsupported_media_type:
      return 415;
    case ErrorKind::range_not_satisfiable:
      return 416;
    case ErrorKind::unprocessable:
      return 422;
    case ErrorKind::precondition_required:
      return 428;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

namespace {

std::string_view title_of(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request:
      return "Bad request";
    case ErrorKind::validation:
      return "Validation failed";
    case ErrorKind::unauthenticated:
      return "Authentication required";
    case ErrorKind::forbidden:
      return "Not allowed";
    case ErrorKind::not_found:
      return "Not found";
    case ErrorKind::gone:
      return "Gone";
    case ErrorKind::method_not_allowed:
      return "Method not allowed";
    case ErrorKind::conflict:
      return "Conflict";
    case ErrorKind::precondition_failed:
      return "Precondition failed";
    case ErrorKind::payload_too_large:
      return "Payload too large";
    case ErrorKind::unsupported_media_type:
      return "Unsupported media type";
    case ErrorKind::range_not_satisfiable:
      return "Range not satisfiable";
    case ErrorKind::unprocessable:
      return "Unprocessable request";
    case ErrorKind::precondition_required:
      return "Precondition required";
    case ErrorKind::rate_limited:
      return "Too many requests";
    case ErrorKind::unavailable:
      return "Service unavailable";
    case ErrorKind::internal:
      return "Internal error";
  }
  return "Internal error";
}

}  // namespace

http::Response problem_response(const Error& error, std::string_view request_id) {
  const int status = http_status(error.kind());
  bj::object body{{"type", problem_type(error.kind())},
                  {"title", title_of(error.kind())},
                  {"status", status},
                  {"detail", error.detail()}};
  if (!request_id.empty()) body["instance"] = "urn:request:" + std::string(request_id);
  if (!error.fields().empty()) {
    bj::array errors;
    for (const auto& f : error.fields())
      errors.push_back(bj::object{{"field", f.field}, {"message", f.message}});
    body["errors"] = std::move(errors);
  }
  if (!error.extra_json().empty()) {
    boost::system::error_code ec;
    auto extra = bj::parse(error.extra_json(), ec);
    if (!ec && extra.is_object())
      for (const auto& kv : extra.as_object()) body[kv.key()] = kv.value();
  }
  http::Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/problem+json");
  // Every 503 tells the client when to come back (RFC 9110 §10.2.3), also when the cause (a
  // blob store, a full disk) named no delay.
  if (error.retry_after_seconds())
    r.headers.set("Retry-After", std::to_string(*error.retry_after_seconds()));
  else if (status == 503)
    r.headers.set("Retry-After", "1");
  r.body = bj::serialize(body);
  return r;
}

}  // namespace cm::api
