// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/user_repository.hpp"

namespace cm::store {

namespace {

const std::string kSelect =
    "SELECT id, org_id, email, name, role, password_hash, active, failed_logins, locked_until, "
    "version, created_at, updated_at FROM users ";

User from_row(const Row& r) {
  User u;
  u.id = r.text(0);
  u.org_id = r.text(1);
  u.email = r.text(2);
  u.name = r.text(3);
  u.role = parse_role(r.text(4)).value_or(Role::viewer);
  u.password_hash = r.text(5);
  u.active = r.boolean(6);
  u.failed_logins = static_cast<int>(r.int64(7));
  u.locked_until = r.int64(8);
  u.version = r.int64(9);
  u.created_at = r.int64(10);
  u.updated_at = r.int64(11);
  return u;
}

}  // namespace

void UserRepository::insert(const User& u) {
  conn_.query(
      "INSERT INTO users (id, org_id, email, name, role, password_hash, active, failed_logins, "
      "locked_until, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, 1, "
      "$8, $9)",
      {u.id, u.org_id, u.email, u.name, std::string(to_string(u.role)), u.password_hash, u.active,
       u.created_at, u.updated_at});
}

std::optional<User> UserRepository::find_by_email(std::string_view email) {
  auto r = conn_.query(kSelect + "WHERE email = $1", {std::string(email)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

std::optional<User> UserRepository::find(std::string_view org_id, std::string_view id) {
  auto r = conn_.query(kSelect + "WHERE org_id = $1 AND id = $2",
                       {std::string(org_id), std::string(id)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

std::vector<User> UserRepository::list(std::string_view org_id, int limit,
                                       const std::optional<Cursor>& after) {
  QueryResult r;
  if (after) {
    r = conn_.query(
        kSelect +
            "WHERE org_id = $1 AND (email > $2 OR (email = $2 AND id > $3)) "
            "ORDER BY email, id LIMIT $4",
        {std::string(org_id), std::get<std::string>(after->key), after->id, std::int64_t{limit}});
  } else {
    r = conn_.query(kSelect + "WHERE org_id = $1 ORDER BY email, id LIMIT $2",
                    {std::string(org_id), std::int64_t{limit}});
  }
  std::vector<User> out;
  for (const auto& row : r.rows) out.push_back(from_row(row));
  return out;
}

bool UserRepository::update(const User& u, std::int64_t expected_version) {
  auto r = conn_.query(
      "UPDATE users SET name = $3, role = $4, active = $5, password_hash = $6, updated_at = $7, "
      "version = version + 1 WHERE org_id = $1 AND id = $2 AND version = $8",
      {u.org_id, u.id, u.name, std::string(to_string(u.role)), u.active, u.password_hash,
       u.updated_at, expected_version});
  return r.affected == 1;
}

int UserRepository::record_failed_login(std::string_view id, std::int64_t lock_until) {
  auto r = conn_.query(
      "UPDATE users SET failed_logins = failed_logins + 1, locked_until = CASE WHEN "
      "failed_logins + 1 >= $2 THEN $3 ELSE locked_until END WHERE id = $1 RETURNING failed_logins",
      {std::string(id), std::int64_t{kMaxFailedLogins}, lock_until});
  return r.empty() ? 0 : static_cast<int>(r.rows.front().int64(0));
}

void UserRepository::reset_failed_logins(std::string_view id) {
  conn_.query(
      "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1 AND failed_logins <> 0",
      {std::string(id)});
}

std::int64_t UserRepository::count_active_admins(std::string_view org_id) {
  auto r =
      conn_.query("SELECT COUNT(*) FROM users WHERE org_id = $1 AND role = 'admin' AND active = $2",
                  {std::string(org_id), true});
  return r.rows.front().int64(0);
}

std::int64_t UserRepository::count_all() {
  return conn_.query("SELECT COUNT(*) FROM users").rows.front().int64(0);
}

void UserRepository::lock_for_first_user() {
  // SHARE ROW EXCLUSIVE conflicts with itself and with inserts, not with reads: logins go on.
  if (conn_.dialect() == Dialect::postgres)
    conn_.query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE");
}

std::optional<std::string> UserRepository::first_admin_id(std::string_view org_id) {
  auto r = conn_.query(
      "SELECT id FROM users WHERE org_id = $1 AND role = 'admin' ORDER BY created_at LIMIT 1",
      {std::string(org_id)});
  if (r.empty()) return std::nullopt;
  return r.rows.front().text(0);
}

}  // namespace cm::store
