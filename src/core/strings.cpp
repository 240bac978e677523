// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/strings.hpp"

namespace cm {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = to_lower(c);
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = to_upper(c);
  return out;
}

}  // namespace cm
