// SPDX-License-Identifier: AGPL-3.0-or-later
// The listener: accepts on the main loop and hands each connection to an HTTP session on the
// next loop; draining stops it.
#include <boost/asio/steady_timer.hpp>

#include "http/http_session.hpp"
#include "http/server_state.hpp"

namespace cm::http::detail {
namespace {

constexpr std::chrono::milliseconds kAcceptBackoff{50};

}  // namespace

// Accepts on the main loop; each new connection goes to the next loop, where it stays.
asio::awaitable<void> ServerState::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(next_loop(), kTuple);
    if (!ec) {
      start_http_session(*this, std::move(socket));
      continue;
    }
    if (!acceptor.is_open() || ec == asio::error::operation_aborted) break;
    // Out of file descriptors and the like: back off instead of spinning.
    asio::steady_timer backoff(main_loop(), kAcceptBackoff);
    co_await backoff.async_wait(kTuple);
  }
  accept_loop_done = true;
  finish_if_done();
}

void ServerState::begin_drain() {
  {
    std::lock_guard lock(mutex);
    if (drain_started) return;
    drain_started = true;
    draining = true;  // under the mutex: sessions registered from now on see it
  }
  if (on_drain_start) on_drain_start();
  // Connections that completed the handshake are already open for their clients, who may have
  // sent a request: take them from the backlog (served with `Connection: close`) instead of
  // letting close() reset them.
  error_code ec;
  acceptor.non_blocking(true, ec);
  while (!ec) {
    tcp::socket socket(next_loop());
    acceptor.accept(socket, ec);
    if (!ec) start_http_session(*this, std::move(socket));
  }
  acceptor.close(ec);
  if (signals) {
    signals->cancel(ec);
    signals->clear(ec);  // a second SIGTERM/SIGINT kills the process the default way
  }
  for (const auto& connection : live_connections()) connection->notify_drain();
  force_timer.expires_after(options.shutdown_timeout);
  force_timer.async_wait([this](error_code wait_ec) {
    if (wait_ec) return;
    for (const auto& connection : live_connections()) connection->force_close();
  });
  finish_if_done();
}

}  // namespace cm::http::detail
