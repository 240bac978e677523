// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The small set of typed errors that domain code, storage and handlers use. The HTTP layer maps
// each kind to a status and a stable problem `type` in one place (src/api/problem.cpp).

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cm {

enum class ErrorKind {
  bad_request,             // 400 malformed input (bad JSON, unknown field)
  validation,              // 400 with field errors
  unauthenticated,         // 401
  forbidden,               // 403
  not_found,               // 404 (also for other organizations' resources)
  gone,                    // 410 a link that worked once and no longer does (used, expired)
  method_not_allowed,      // 405
  conflict,                // 409 state conflict or uniqueness
  precondition_failed,     // 412 stale If-Match
  payload_too_large,       // 413
  unsupported_media_type,  // 415
  range_not_satisfiable,   // 416
  unprocessable,           // 422 well-formed but semantically invalid
  precondition_required,   // 428 If-Match missing
  rate_limited,            // 429
  unavailable,             // 503 dependency down or overloaded
  internal,                // 500 a bug; never carries internal detail to the client
};

struct FieldError {
  std::string field;
  std::string message;
};

// An error a user or operator can act on. `detail` is safe to show to the client.
class Error : public std::exception {
 public:
  Error(ErrorKind kind, std::string detail) : kind_(kind), detail_(std::move(detail)) {}
  Error(ErrorKind kind, std::string detail, std::vector<FieldError> fields)
      : kind_(kind), detail_(std::move(detail)), fields_(std::move(fields)) {}

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::vector<FieldError>& fields() const noexcept { return fields_; }
  std::optional<int> retry_after_seconds() const noexcept { return retry_after_; }
  Error& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }
  // Extra JSON members for the problem body (e.g. allowed next states), as serialized JSON.
  const std::string& extra_json() const noexcept { return extra_json_; }
  Error& with_extra_json(std::string object_members) {
    extra_json_ = std::move(object_members);
    return *this;
  }
  const char* what() const noexcept override { return detail_.c_str(); }

 private:
  ErrorKind kind_;
  std::string detail_;
  std::vector<FieldError> fields_;
  std::optional<int> retry_after_;
  std::string extra_json_;
};

inline Error not_found(const std::string& what) {
  return {ErrorKind::not_found, what + " not found"};
}
inline Error conflict(std::string detail) {
  return {ErrorKind::conflict, std::move(detail)};
}
inline Error forbidden(std::string detail) {
  return {ErrorKind::forbidden, std::move(detail)};
}
inline Error bad_request(std::string detail) {
  return {ErrorKind::bad_request, std::move(detail)};
}
inline Error validation_failed(std::vector<FieldError> fields) {
  return {ErrorKind::validation, "The request has invalid fields.", std::move(fields)};
}
// An update that names nothing to change; `hint` says what it should name.
inline Error nothing_to_change(std::string hint = "at least one field is required") {
  return {ErrorKind::validation, "The request changes nothing.", {{"", std::move(hint)}}};
}

}  // namespace cm
