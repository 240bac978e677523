// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/standard_headers.hpp"

#include <algorithm>

#include "core/ids.hpp"

namespace cm::http {

bool is_acceptable_request_id(std::string_view id) noexcept {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  });
}

std::string request_id_for(std::optional<std::string_view> given) {
  return given && is_acceptable_request_id(*given) ? std::string(*given) : new_id();
}

void add_standard_headers(Response& response, std::string_view request_id, bool no_store) {
  auto& h = response.headers;
  h.set("X-Request-Id", std::string(request_id));
  h.set("X-Content-Type-Options", "nosniff");
  h.set("Referrer-Policy", "no-referrer");
  if (!h.has("X-Frame-Options")) h.set("X-Frame-Options", "DENY");
  if (no_store && !h.has("Cache-Control")) h.set("Cache-Control", "no-store");
}

}  // namespace cm::http
