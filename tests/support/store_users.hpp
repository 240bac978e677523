// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A user inserted straight through the storage layer, for tests of the services and jobs that
// need people in an organization but no login (the password hash is never checked).

#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "core/user.hpp"
#include "store/database.hpp"
#include "store/user_repository.hpp"

namespace cm::test {

// The new user's id; `name` also makes the e-mail address, unique per call.
inline std::string insert_user(store::Connection& conn, const std::string& org_id,
                               const std::string& name, Role role) {
  User u;
  u.id = new_id();
  u.org_id = org_id;
  u.email = name + "-" + u.id + "@example.com";
  u.name = name;
  u.role = role;
  u.password_hash = "unused";
  u.created_at = u.updated_at = now_unix_ms();
  store::UserRepository(conn).insert(u);
  return u.id;
}

}  // namespace cm::test
