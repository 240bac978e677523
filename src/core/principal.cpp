// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/principal.hpp"

namespace cm {

std::string_view to_string(Role role) noexcept {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::manager:
      return "manager";
    case Role::member:
      return "member";
    case Role::viewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view text) noexcept {
  if (text == "admin") return Role::admin;
  if (text == "manager") return Role::manager;
  if (text == "member") return Role::member;
  if (text == "viewer") return Role::viewer;
  return std::nullopt;
}

}  // namespace cm
