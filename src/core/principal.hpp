// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Who is making a request: a person (user) or an integration (API key), within one organization.

#include <optional>
#include <string>
#include <string_view>

namespace cm {

enum class Role { admin, manager, member, viewer };

std::string_view to_string(Role role) noexcept;
std::optional<Role> parse_role(std::string_view text) noexcept;

enum class ActorType { user, api_key, system };

struct Principal {
  std::string org_id;
  std::string actor_id;  // user id or API key id
  ActorType actor_type = ActorType::user;
  Role role = Role::viewer;
  std::string user_id;  // the person behind the action (API key: its creator)
};

}  // namespace cm
