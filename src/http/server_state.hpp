// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Internal to src/http: the state the listener and the sessions share. Includes Asio and Beast,
// so only the server's own translation units include it (server.hpp stays Boost-free).

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/server.hpp"

namespace cm::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using LoopExecutor = asio::io_context::executor_type;
using LoopGuard = asio::executor_work_guard<LoopExecutor>;

// An open connection as draining sees it, HTTP or WebSocket.
class Connection {
 public:
  virtual ~Connection() = default;
  // Draining has begun: finish what is in progress, then close (called from any thread).
  virtual void notify_drain() = 0;
  // The shutdown timeout has passed: close now (called from any thread).
  virtual void force_close() = 0;
};

// The server's shared state (as the Beast examples' shared_state): options, the application,
// the event loops, the handler pool and the registry of open connections, which draining walks.
// Server::Impl is private to Server, so the sessions work against this type instead.
struct ServerState {
  ServerState(ServerOptions o, Application a, ErrorResponder e);

  asio::io_context& main_loop() { return *loops.front(); }
  // Round-robin; on the main loop only.
  LoopExecutor next_loop() { return loops[next_loop_index++ % loops.size()]->get_executor(); }

  // listener.cpp: accepting, and the start of draining (which stops it).
  asio::awaitable<void> accept_loop();
  // Registers an open connection (HTTP or WebSocket) so draining reaches it; returns its id.
  std::uint64_t add_connection(const std::shared_ptr<Connection>& connection);
  void remove_connection(std::uint64_t id);
  void begin_drain();     // on the main loop
  void finish_if_done();  // on the main loop
  std::vector<std::shared_ptr<Connection>> live_connections();

  Response invoke(Request& request);
  template <class Fields>
  BodyPolicy body_policy_for(const bhttp::request_header<Fields>& head) const {
    if (!body_policy) return {options.max_body_bytes, false};
    const auto url = boost::urls::parse_origin_form(head.target());
    if (!url) return {options.max_body_bytes, false};
    return body_policy(head.method_string(), url->path());
  }
  // A response the server makes itself, with the headers every response carries; `request_id`:
  // the client's X-Request-Id when the head was read (a new id otherwise, or if unacceptable).
  Response error_response(int status, std::string_view detail,
                          std::optional<std::string_view> request_id = std::nullopt);
  void report_error(std::string_view what, std::string_view remote_ip, std::string_view error);

  ServerOptions options;
  Application app;
  AsyncApplication async_app;
  BodyPolicyFn body_policy;
  ErrorResponder errors;
  ErrorReporter error_reporter;
  // Each run by one thread. A connection lives on one loop; the main loop (the first) also holds
  // the acceptor, the signal set, the shutdown timer and the drain logic, so these need no lock.
  std::vector<std::unique_ptr<asio::io_context>> loops;
  tcp::acceptor acceptor;
  asio::steady_timer force_timer;
  std::optional<asio::signal_set> signals;
  // Keep idle loops running until the server is done (drained, nothing accepting, no connection).
  std::vector<LoopGuard> keep_running;
  std::size_t next_loop_index = 0;  // main loop only
  bool accept_loop_done = false;    // main loop only
  asio::thread_pool pool;
  std::uint16_t bound_port = 0;
  std::function<void()> on_drain_start;

  std::atomic<bool> draining{false};
  std::atomic<std::int64_t> queued{0};  // requests waiting for a handler thread
  std::atomic<std::int64_t> open{0};

  std::mutex mutex;  // guards the fields below
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections;
  std::uint64_t next_connection_id = 0;
  bool drain_started = false;
};

}  // namespace cm::http::detail
