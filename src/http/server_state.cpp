// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/server_state.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <exception>
#include <string>

#include "http/standard_headers.hpp"

namespace cm::http::detail {
namespace {

// One event loop per I/O thread. Concurrency hint 1: exactly one thread runs each, so Asio keeps
// handlers posted from that thread in a private queue (no lock, no wake-up).
std::vector<std::unique_ptr<asio::io_context>> make_loops(int count) {
  std::vector<std::unique_ptr<asio::io_context>> loops;
  for (int i = 0; i < std::max(1, count); ++i)
    loops.push_back(std::make_unique<asio::io_context>(1));
  return loops;
}

}  // namespace

ServerState::ServerState(ServerOptions o, Application a, ErrorResponder e)
    : options(std::move(o)),
      app(std::move(a)),
      errors(std::move(e)),
      loops(make_loops(options.io_threads)),
      acceptor(main_loop()),
      force_timer(main_loop()),
      pool(static_cast<std::size_t>(std::max(1, options.handler_threads))) {}

std::uint64_t ServerState::add_connection(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex);
  const auto id = ++next_connection_id;
  connections.emplace(id, connection);
  open = static_cast<std::int64_t>(connections.size());
  return id;
}

void ServerState::remove_connection(std::uint64_t id) {
  bool last = false;
  {
    std::lock_guard lock(mutex);
    connections.erase(id);
    open = static_cast<std::int64_t>(connections.size());
    last = drain_started && connections.empty();
  }
  if (last) asio::post(main_loop(), [this] { finish_if_done(); });
}

// Once draining, accepting has stopped and the last connection has gone, the loops may stop:
// each returns from run() when what is left on it (e.g. a database answer) is done.
void ServerState::finish_if_done() {
  {
    std::lock_guard lock(mutex);
    if (!drain_started || !accept_loop_done || !connections.empty()) return;
  }
  force_timer.cancel();
  for (auto& guard : keep_running) guard.reset();
}

std::vector<std::shared_ptr<Connection>> ServerState::live_connections() {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard lock(mutex);
  for (const auto& [id, weak] : connections)
    if (auto s = weak.lock()) out.push_back(std::move(s));
  return out;
}

Response ServerState::invoke(Request& request) {
  try {
    return app(request);
  } catch (const std::exception& e) {
    report_error("application failed", request.remote_ip, e.what());
  } catch (...) {
    report_error("application failed", request.remote_ip, "unknown exception");
  }
  return error_response(500, "internal server error", request.header("X-Request-Id"));
}

void ServerState::report_error(std::string_view what, std::string_view remote_ip,
                               std::string_view error) {
  if (!error_reporter) return;
  try {
    error_reporter(what, remote_ip, error);
  } catch (const std::exception&) {
    // A failing reporter (logger) has nothing left to report to.
  }
}

Response ServerState::error_response(int status, std::string_view detail,
                                     std::optional<std::string_view> request_id) {
  std::optional<Response> response;
  if (errors) {
    try {
      response = errors(status, detail);
    } catch (const std::exception& e) {
      // The plain answer below: a broken error responder must not drop the reply.
      report_error("error responder failed", "", e.what());
    }
  }
  if (!response) response = Response::text(status, std::string(detail) + "\n");
  if (status == 503 && !response->headers.has("Retry-After"))
    response->headers.set("Retry-After", "1");
  add_standard_headers(*response, request_id_for(request_id), true);
  return std::move(*response);
}

}  // namespace cm::http::detail
