// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/request.hpp"

#include <unistd.h>

namespace cm::http {

SpooledBody::~SpooledBody() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

std::optional<std::string_view> Request::query_param(std::string_view name) const noexcept {
  for (const auto& [key, value] : query)
    if (key == name) return std::string_view(value);
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const noexcept {
  for (const auto& [key, value] : path_params)
    if (key == name) return value;
  return {};
}

}  // namespace cm::http
