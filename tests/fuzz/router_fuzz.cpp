// SPDX-License-Identifier: AGPL-3.0-or-later
// The router (src/http/router) with the API's route table (the method and pattern of every
// route in src/api/routes.cpp, as listed by src/api/openapi.cpp). The input is
// "METHOD target"; the target is decoded the way the server does (Boost.URL origin-form).
// Properties: a matched route has the request's method (or GET for HEAD) and its pattern with the
// parameters filled in spells the path; parameters are non-empty single segments; a 405 lists
// only methods of routes whose pattern matches, and only when none has the request's method.

#include <boost/url/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "http/router.hpp"

using namespace cm;
using namespace cm::http;

namespace {

constexpr const char* const kRoutes[][2] = {
    {"DELETE", "/api/v1/api-keys/{id}"},
    {"DELETE", "/api/v1/contracts/{id}"},
    {"DELETE", "/api/v1/contracts/{id}/comments/{commentId}"},
    {"DELETE", "/api/v1/contracts/{id}/documents/{docId}"},
    {"DELETE", "/api/v1/contracts/{id}/obligations/{obligationId}"},
    {"DELETE", "/api/v1/contracts/{id}/watchers/me"},
    {"DELETE", "/api/v1/counterparties/{id}"},
    {"GET", "/api/openapi.json"},
    {"GET", "/api/v1/api-keys"},
    {"GET", "/api/v1/approval-policies"},
    {"GET", "/api/v1/approvals"},
    {"GET", "/api/v1/audit"},
    {"GET", "/api/v1/contracts"},
    {"GET", "/api/v1/contracts/{id}"},
    {"GET", "/api/v1/contracts/{id}/approval"},
    {"GET", "/api/v1/contracts/{id}/comments"},
    {"GET", "/api/v1/contracts/{id}/documents"},
    {"GET", "/api/v1/contracts/{id}/documents/{docId}"},
    {"GET", "/api/v1/contracts/{id}/documents/{docId}/versions/{a}/compare/{b}"},
    {"GET", "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/content"},
    {"GET", "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/text"},
    {"GET", "/api/v1/contracts/{id}/history"},
    {"GET", "/api/v1/contracts/{id}/obligations"},
    {"GET", "/api/v1/contracts/{id}/obligations/{obligationId}"},
    {"GET", "/api/v1/contracts/{id}/related"},
    {"GET", "/api/v1/contracts/{id}/signature-requests"},
    {"GET", "/api/v1/contracts/{id}/signature-requests/{requestId}"},
    {"GET", "/api/v1/contracts/{id}/watchers"},
    {"GET", "/api/v1/counterparties"},
    {"GET", "/api/v1/counterparties/{id}"},
    {"GET", "/api/v1/me"},
    {"GET", "/api/v1/me/delegations"},
    {"GET", "/api/v1/notifications"},
    {"GET", "/api/v1/notifications/preferences"},
    {"GET", "/api/v1/notifications/unread-count"},
    {"GET", "/api/v1/obligations"},
    {"GET", "/api/v1/organization"},
    {"GET", "/api/v1/renewals"},
    {"GET", "/api/v1/reports/summary"},
    {"GET", "/api/v1/users"},
    {"GET", "/api/v1/users/{id}"},
    {"GET", "/health"},
    {"GET", "/metrics"},
    {"GET", "/ready"},
    {"GET", "/sign/{token}"},
    {"GET", "/sign/{token}/document"},
    {"PATCH", "/api/v1/contracts/{id}"},
    {"PATCH", "/api/v1/contracts/{id}/comments/{commentId}"},
    {"PATCH", "/api/v1/contracts/{id}/obligations/{obligationId}"},
    {"PATCH", "/api/v1/counterparties/{id}"},
    {"PATCH", "/api/v1/organization"},
    {"PATCH", "/api/v1/users/{id}"},
    {"POST", "/api/v1/api-keys"},
    {"POST", "/api/v1/auth/login"},
    {"POST", "/api/v1/auth/logout"},
    {"POST", "/api/v1/auth/refresh"},
    {"POST", "/api/v1/contracts"},
    {"POST", "/api/v1/contracts/{id}/approval/decisions"},
    {"POST", "/api/v1/contracts/{id}/archive"},
    {"POST", "/api/v1/contracts/{id}/comments"},
    {"POST", "/api/v1/contracts/{id}/documents"},
    {"POST", "/api/v1/contracts/{id}/documents/{docId}/versions"},
    {"POST", "/api/v1/contracts/{id}/obligations"},
    {"POST", "/api/v1/contracts/{id}/obligations/{obligationId}/complete"},
    {"POST", "/api/v1/contracts/{id}/obligations/{obligationId}/waive"},
    {"POST", "/api/v1/contracts/{id}/renew"},
    {"POST", "/api/v1/contracts/{id}/signature-requests"},
    {"POST", "/api/v1/contracts/{id}/signature-requests/{requestId}/cancel"},
    {"POST", "/api/v1/contracts/{id}/signature-requests/{requestId}/sign"},
    {"POST", "/api/v1/contracts/{id}/signature-requests/{requestId}/signers/{signerId}/reissue"},
    {"POST", "/api/v1/contracts/{id}/terminate"},
    {"POST", "/api/v1/contracts/{id}/transitions"},
    {"POST", "/api/v1/counterparties"},
    {"POST", "/api/v1/me/password"},
    {"POST", "/api/v1/notifications/read-all"},
    {"POST", "/api/v1/notifications/{notificationId}/read"},
    {"POST", "/api/v1/users"},
    {"POST", "/sign/{token}"},
    {"PUT", "/api/v1/approval-policies"},
    {"PUT", "/api/v1/contracts/{id}/watchers/me"},
    {"PUT", "/api/v1/me/delegations"},
    {"PUT", "/api/v1/notifications/preferences"},
};

const Router& api_router() {
  static const Router router = [] {
    Router r;
    for (const auto& [method, pattern] : kRoutes)
      r.add(method, pattern, [](Request&) { return Response{}; });
    return r;
  }();
  return router;
}

// The pattern with `{name}` segments replaced by the parameters, in order.
std::string fill(std::string_view pattern,
                 const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  std::size_t next = 0;
  while (!pattern.empty()) {
    const auto open = pattern.find('{');
    if (open == std::string_view::npos) {
      out += pattern;
      break;
    }
    const auto close = pattern.find('}', open);
    out += pattern.substr(0, open);
    if (next < params.size()) {
      CM_FUZZ_CHECK(params[next].first == pattern.substr(open + 1, close - open - 1));
      out += params[next].second;
    }
    ++next;
    pattern.remove_prefix(close + 1);
  }
  CM_FUZZ_CHECK(next == params.size());
  return out;
}

// Whether route `i`'s pattern matches the path, whatever the method: a router with that route
// alone, built once.
bool pattern_matches(std::size_t i, std::string_view path) {
  static const std::vector<Router> single = [] {
    std::vector<Router> out(std::size(kRoutes));
    for (std::size_t k = 0; k < out.size(); ++k)
      out[k].add("X", kRoutes[k][1], [](Request&) { return Response{}; });
    return out;
  }();
  return single[i].match("X", path).route != nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  const auto space = input.find(' ');
  if (space == std::string_view::npos || space > 16) return 0;
  const std::string method(input.substr(0, space));
  const auto target = input.substr(space + 1);
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return 0;
  const std::string path = url->path();
  if (path.find('\0') != std::string::npos) return 0;  // the server answers 400

  const auto& router = api_router();
  const auto match = router.match(method, path);
  if (match.route) {
    CM_FUZZ_CHECK(match.route->method == method ||
                  (method == "HEAD" && match.route->method == "GET"));
    CM_FUZZ_CHECK(fill(match.route->pattern, match.params) == path);
    for (const auto& [name, value] : match.params)
      CM_FUZZ_CHECK(!value.empty() && value.find('/') == std::string::npos);
    CM_FUZZ_CHECK(match.allowed_methods.empty());
    return 0;
  }
  CM_FUZZ_CHECK(match.params.empty());
  bool any_pattern = false;
  const auto& routes = router.routes();
  std::vector<bool> matches(routes.size());
  for (std::size_t i = 0; i < routes.size(); ++i) {
    matches[i] = pattern_matches(i, path);
    any_pattern = any_pattern || matches[i];
    CM_FUZZ_CHECK(!(matches[i] && routes[i].method == method));
  }
  for (const auto& allowed : match.allowed_methods) {
    bool found = false;
    for (std::size_t i = 0; i < routes.size(); ++i)
      if (matches[i] &&
          (routes[i].method == allowed || (allowed == "HEAD" && routes[i].method == "GET")))
        found = true;
    CM_FUZZ_CHECK(found);
  }
  CM_FUZZ_CHECK(match.allowed_methods.empty() == !any_pattern);
  return 0;
}
