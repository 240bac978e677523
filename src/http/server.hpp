// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The HTTP/1.1 server (Boost.Beast + Asio, C++20 coroutines). This header deliberately includes
// no Boost: the implementation lives behind a pimpl so that only the server's own
// translation units (listener, http_session, server_state) pay for Beast.
//
// Threads: `io_threads` event loops (one Asio io_context each, run by exactly one thread) do the
// network I/O. The first loop accepts and hands each new connection to the next loop in turn;
// the connection then lives on that loop. Each parsed request is first offered to the optional
// AsyncApplication (non-blocking, on the connection's loop), else handed to a bounded pool of
// `handler_threads` that run the (blocking) application handler; the response is written back
// on the connection's loop. When more than `max_pending_requests` wait for a handler thread,
// new requests get 503 at once instead of queueing without bound.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace cm::http {

// Names of upload spool files in ServerOptions::spool_dir (a sweep at start removes the ones a
// crashed process left behind).
inline constexpr std::string_view kSpoolFilePrefix = "cm-upload-";

struct ServerOptions {
  std::string bind_address = "0.0.0.0";
  std::uint16_t port = 8000;
  int io_threads = 2;
  int handler_threads = 8;
  int max_pending_requests = 1024;
  std::size_t max_header_bytes = std::size_t{16} * 1024;       // larger: 431
  std::size_t max_body_bytes = std::size_t{10} * 1024 * 1024;  // larger: 413
  std::chrono::milliseconds keep_alive_timeout{65'000};
  std::chrono::milliseconds header_timeout{66'000};
  std::chrono::milliseconds request_timeout{120'000};
  std::chrono::milliseconds shutdown_timeout{30'000};
  // While draining, how long an idle keep-alive connection is kept open for a request that may
  // already be on its way.
  std::chrono::milliseconds drain_idle_grace{1'000};
  // Where bodies of spooling routes (uploads) are written while they arrive, each as
  // kSpoolFilePrefix followed by a random suffix.
  std::string spool_dir = "/tmp";
};

// How the server reads one request's body, decided from its method and path once the header is
// in: at most `limit` bytes (more: 413, answered before reading the rest), kept in memory or
// written to a temporary file under ServerOptions::spool_dir (Request::spooled) so an upload never
// sits in memory and a slow uploader holds no handler thread.
// The policy may carry the route match it was decided from; the server then hands it on in
// Request::match, so the request is routed once.
struct BodyPolicy {
  std::size_t limit = 0;
  bool spool = false;
  std::optional<RouteMatch> match;
};
using BodyPolicyFn = std::function<BodyPolicy(std::string_view method, std::string_view path)>;

// The whole application as the server sees it: one function from request to response.
// It runs on a handler thread and may block (database, disk).
using Application = std::function<Response(Request&)>;

// The optional non-blocking path, tried first for every request on the connection's I/O
// thread. It returns false to decline (the request then goes to the handler pool and the
// Application as usual), or true after arranging for `respond` to be called exactly once, from
// any thread. It must never block: no database, disk or lock waits.
using Respond = std::function<void(Response)>;
using AsyncApplication = std::function<bool(Request&, Respond)>;

// Called for responses the server produces itself (413, 431, 503, 400 on a malformed request)
// so they carry the same problem+json shape and headers as the application's.
using ErrorResponder = std::function<Response(int status, std::string_view detail)>;

// Told about failures the server handles itself (a connection that died of an exception, an
// application that threw), with the peer's address, so they reach the operator's log.
using ErrorReporter =
    std::function<void(std::string_view what, std::string_view remote_ip, std::string_view error)>;

class Server {
 public:
  Server(ServerOptions options, Application app, ErrorResponder errors);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Before run(): per-route body limits and spooling; by default every body may hold up to
  // max_body_bytes in memory.
  void set_body_policy(BodyPolicyFn policy);
  // Before run(): where the server's own failures are reported (nowhere by default).
  void set_error_reporter(ErrorReporter reporter);
  // Before run(): installs the non-blocking path.
  void set_async_application(AsyncApplication app);
  // The event loops of the I/O threads (io_threads of them, fixed at construction), for clients
  // that want to run on them (the asynchronous PostgreSQL client). Each is run by exactly one
  // thread, so work posted to one loop never runs concurrently with other work of that loop.
  // Such clients must be destroyed before the server.
  std::vector<boost::asio::io_context*> io_contexts();
  // The first of them; it also accepts connections and handles signals.
  boost::asio::io_context& io_context();
  // From any thread: the index in io_contexts() of the loop this thread runs (of the server
  // whose run() it serves), or -1 when it runs none (handler threads, other threads).
  static int current_loop_index() noexcept;

  // Binds the port (throws std::runtime_error with a clear message on failure).
  void listen();
  // The port actually bound (useful with port 0).
  std::uint16_t port() const;
  // Runs until SIGTERM/SIGINT or shutdown(), then drains: stops accepting, lets in-flight
  // requests finish (up to shutdown_timeout), closes idle connections. Returns when all is done.
  // `on_drain_start` is called once, first thing, when draining begins (readiness goes 503).
  void run(std::function<void()> on_drain_start = {});
  // Starts draining from any thread.
  void shutdown();

  std::int64_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cm::http
