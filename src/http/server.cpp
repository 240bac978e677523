// SPDX-License-Identifier: AGPL-3.0-or-later
// The Server facade over the listener (listener.cpp), the HTTP sessions (http_session.cpp) and
// their shared state (server_state.hpp), in the layout of the Beast server examples.
#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <csignal>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http/server_state.hpp"

namespace cm::http {
namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): this file's own layer

// The index of the event loop the calling thread runs, -1 on other threads.
thread_local int t_loop_index = -1;

}  // namespace

struct Server::Impl : detail::ServerState {
  using ServerState::ServerState;
};

Server::Server(ServerOptions options, Application app, ErrorResponder errors)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(app), std::move(errors))) {}

Server::~Server() = default;

void Server::set_body_policy(BodyPolicyFn policy) {
  impl_->body_policy = std::move(policy);
}

void Server::set_error_reporter(ErrorReporter reporter) {
  impl_->error_reporter = std::move(reporter);
}

void Server::set_async_application(AsyncApplication app) {
  impl_->async_app = std::move(app);
}

boost::asio::io_context& Server::io_context() {
  return impl_->main_loop();
}

std::vector<boost::asio::io_context*> Server::io_contexts() {
  std::vector<boost::asio::io_context*> out;
  for (const auto& loop : impl_->loops) out.push_back(loop.get());
  return out;
}

int Server::current_loop_index() noexcept {
  return t_loop_index;
}

void Server::listen() {
  auto& s = *impl_;
  const auto where = s.options.bind_address + ":" + std::to_string(s.options.port);
  try {
    const tcp::endpoint endpoint(asio::ip::make_address(s.options.bind_address), s.options.port);
    s.acceptor.open(endpoint.protocol());
    s.acceptor.set_option(asio::socket_base::reuse_address(true));
    s.acceptor.bind(endpoint);
    s.acceptor.listen(asio::socket_base::max_listen_connections);
    s.bound_port = s.acceptor.local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    error_code ignored;
    s.acceptor.close(ignored);
    throw std::runtime_error("cannot listen on " + where + ": " + e.code().message());
  }
}

std::uint16_t Server::port() const {
  return impl_->bound_port;
}

void Server::run(std::function<void()> on_drain_start) {
  auto& s = *impl_;
  if (!s.acceptor.is_open()) listen();
  s.on_drain_start = std::move(on_drain_start);
  s.signals.emplace(s.main_loop(), SIGINT, SIGTERM);
  s.signals->async_wait([&s](error_code ec, int) {
    if (!ec) s.begin_drain();
  });
  s.keep_running.clear();
  for (const auto& loop : s.loops) s.keep_running.emplace_back(loop->get_executor());
  asio::co_spawn(s.main_loop(), s.accept_loop(), [](const std::exception_ptr& e) {
    if (e) std::rethrow_exception(e);
  });

  const auto run_loop = [&s](std::size_t i) {
    t_loop_index = static_cast<int>(i);
    s.loops[i]->run();
    t_loop_index = -1;
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < s.loops.size(); ++i) threads.emplace_back(run_loop, i);
  run_loop(0);
  for (auto& t : threads) t.join();
  s.pool.join();
}

void Server::shutdown() {
  auto& s = *impl_;
  asio::post(s.main_loop(), [&s] { s.begin_drain(); });
}

std::int64_t Server::open_connections() const {
  return impl_->open.load();
}

}  // namespace cm::http
