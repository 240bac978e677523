// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/operations_server.hpp"

namespace cm::app {

OperationsServer::OperationsServer(const api::ApiDependencies& deps, const Config& config,
                                   std::uint16_t port, int handler_threads)
    : pipeline_(api::build_operations_router(deps),
                api::Authenticator(deps.db, config.jwt_secret, deps.auth_cache, nullptr), deps.log,
                deps.metrics, api::PipelineOptions{}),
      server_(
          options(config, port, handler_threads),
          [this](http::Request& r) { return pipeline_.handle(r); },
          [this](int status, std::string_view detail) {
            return pipeline_.server_error(status, detail);
          }) {}

http::ServerOptions OperationsServer::options(const Config& config, std::uint16_t port,
                                              int handler_threads) {
  http::ServerOptions o;
  o.bind_address = config.bind_address;
  o.port = port;
  o.io_threads = 1;
  o.handler_threads = handler_threads;
  o.shutdown_timeout = config.shutdown_timeout;
  return o;
}

}  // namespace cm::app
