// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The operations port of `serve` (METRICS_PORT) and `worker` (WORKER_PORT): /health, /ready and
// /metrics on a small server of their own, never on the public port.

#include <cstdint>

#include "api/authenticator.hpp"
#include "api/handlers.hpp"
#include "api/pipeline.hpp"
#include "app/config.hpp"
#include "http/server.hpp"

namespace cm::app {

class OperationsServer {
 public:
  OperationsServer(const api::ApiDependencies& deps, const Config& config, std::uint16_t port,
                   int handler_threads);

  // Binds the port; throws std::runtime_error naming the problem.
  void listen() { server_.listen(); }
  std::uint16_t port() const { return server_.port(); }
  http::Server& server() { return server_; }

 private:
  static http::ServerOptions options(const Config& config, std::uint16_t port, int handler_threads);

  api::Pipeline pipeline_;  // before server_: the server's callbacks use it
  http::Server server_;
};

}  // namespace cm::app
