// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Internal to src/http: one HTTP/1.1 connection (http_session.cpp).

#include "http/server_state.hpp"

namespace cm::http::detail {

// Starts serving a newly accepted connection on the loop its socket belongs to.
void start_http_session(ServerState& server, tcp::socket socket);

}  // namespace cm::http::detail
