// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/local_api.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "api/problems.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace cm::app {

namespace bj = boost::json;

namespace {

std::vector<std::pair<std::string, std::string>> split_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    out.emplace_back(std::string(pair.substr(0, eq)), eq == std::string_view::npos
                                                          ? std::string()
                                                          : std::string(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// "POST /api/v1/contracts/{id}/transitions: 409 ..." with the field errors, for the operator.
std::string describe(const http::Request& req, int status, std::string_view what) {
  return req.method + " " + req.route + " answered " + std::to_string(status) + ": " +
         std::string(what);
}

std::string describe_error(const Error& e) {
  std::string text = e.detail();
  for (const auto& f : e.fields()) text += "; " + f.field + ": " + f.message;
  return text;
}

}  // namespace

LocalApi::LocalApi(http::Router router, std::filesystem::path spool_dir)
    : router_(std::move(router)), spool_dir_(std::move(spool_dir)) {}

bj::value LocalApi::call(const Principal* caller, std::string_view method, std::string_view target,
                         const bj::value& body) {
  Call c;
  c.caller = caller;
  c.method = method;
  c.target = target;
  c.headers.emplace_back("Accept", "application/json");
  if (!body.is_null()) {
    c.headers.emplace_back("Content-Type", "application/json");
    c.body = bj::serialize(body);
  }
  return dispatch(std::move(c));
}

bj::value LocalApi::upload(const Principal& caller, std::string_view target,
                           std::string_view filename, std::string_view content_type,
                           std::string_view bytes) {
  Call c;
  c.caller = &caller;
  c.method = "POST";
  c.target = target;
  c.headers.emplace_back("Accept", "application/json");
  c.headers.emplace_back("Content-Type", std::string(content_type));
  c.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + std::string(filename) + "\"");
  c.spooled = spool_dir_ / ("local-upload-" + new_id());
  std::ofstream out(c.spooled, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + c.spooled.string());
  return dispatch(std::move(c));
}

bj::value LocalApi::dispatch(Call call) {
  http::Request req;
  req.method = call.method;
  req.target = call.target;
  const auto question = call.target.find('?');
  req.path = call.target.substr(0, question);
  if (question != std::string::npos)
    req.query = split_query(std::string_view(call.target).substr(question + 1));
  for (auto& [name, value] : call.headers) req.headers.add(name, std::move(value));
  req.body = std::move(call.body);
  if (!call.spooled.empty()) {
    // Removed when the request lets go of it, as the server's spool files are.
    req.spooled = std::make_shared<http::SpooledBody>(
        call.spooled.string(),
        static_cast<std::uint64_t>(std::filesystem::file_size(call.spooled)));
  }
  req.remote_ip = "127.0.0.1";
  req.request_id = new_id();
  req.headers.set("User-Agent", "contractmgmt (command line)");
  auto match = router_.match(req.method, req.path);
  if (!match.route)
    throw std::runtime_error("no route for " + req.method + " " + req.path +
                             " (is document storage configured?)");
  req.route = match.route->pattern;
  req.path_params = std::move(match.params);
  if (match.route->access == http::Access::authenticated) {
    if (call.caller == nullptr) throw std::runtime_error(req.route + " needs someone signed in");
    req.principal = *call.caller;
  }
  http::Response response;
  try {
    response = match.route->handler(req);
  } catch (const Error& e) {
    throw std::runtime_error(describe(req, api::http_status(e.kind()), describe_error(e)));
  }
  if (response.status >= 400)
    throw std::runtime_error(describe(req, response.status, response.body));
  if (response.body.empty()) return nullptr;
  const auto type = response.headers.get("Content-Type").value_or("");
  if (type.find("json") == std::string_view::npos) return bj::string(response.body);
  return bj::parse(response.body);
}

}  // namespace cm::app
