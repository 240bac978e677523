// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pagination.hpp"
#include "core/user.hpp"
#include "store/database.hpp"

namespace cm::store {

class UserRepository {
 public:
  explicit UserRepository(Connection& conn) : conn_(conn) {}

  // Throws DbError(unique_violation) when the email is taken.
  void insert(const User& user);
  std::optional<User> find_by_email(std::string_view email);
  std::optional<User> find(std::string_view org_id, std::string_view id);
  // Ordered by email; `after` is the last email/id of the previous page.
  std::vector<User> list(std::string_view org_id, int limit, const std::optional<Cursor>& after);
  // Writes name, role, active and password hash; bumps version. False when `expected_version`
  // is stale or the user is gone.
  bool update(const User& user, std::int64_t expected_version);
  // Counts a failed login atomically; locks the account until `lock_until` once the count reaches
  // kMaxFailedLogins. Returns the new count.
  int record_failed_login(std::string_view id, std::int64_t lock_until);
  void reset_failed_logins(std::string_view id);
  std::int64_t count_active_admins(std::string_view org_id);
  // Users of every organization (`migrate` tells the operator to create the first one).
  std::int64_t count_all();
  // In a write transaction: holds off other first-run setups until it ends, so that two of them
  // cannot both see an empty database (PostgreSQL: a table lock on users; SQLite's write
  // transactions are exclusive already). Call before count_all().
  void lock_for_first_user();
  // The organization's first administrator, by creation time.
  std::optional<std::string> first_admin_id(std::string_view org_id);

 private:
  Connection& conn_;
};

}  // namespace cm::store
