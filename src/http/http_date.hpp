// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// IMF-fixdate (RFC 9110 section 5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT". Internal to the
// HTTP layer: the server's Date header and the static files' Last-Modified/If-Modified-Since.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace cm::http {

std::string format_http_date(std::time_t t);
// Accepts IMF-fixdate only (the form every current client sends); nullopt otherwise.
std::optional<std::time_t> parse_http_date(std::string_view text) noexcept;

}  // namespace cm::http
