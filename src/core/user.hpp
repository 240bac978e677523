// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Organizations (tenants), the people in them, and API keys for integrations.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"

namespace cm {

struct Organization {
  std::string id;
  std::string name;
  std::vector<std::string> contract_types;
  std::int64_t created_at = 0;
  // Its calendar: deadlines, expirations and reminders are dates of this IANA zone.
  std::string time_zone = "UTC";
  // Renewal reminders: days before a contract's notice deadline, descending.
  std::vector<int> renewal_reminder_days = {90, 60, 30, 7};
};

struct User {
  std::string id;
  std::string org_id;
  std::string email;  // stored lower-case; unique across organizations (it is the login name)
  std::string name;
  Role role = Role::member;
  std::string password_hash;
  bool active = true;
  int failed_logins = 0;
  std::int64_t locked_until = 0;  // unix ms; logins refused before this
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct ApiKey {
  std::string id;
  std::string org_id;
  std::string name;
  std::string prefix;  // first characters of the secret, to recognize a key in lists
  Role role = Role::viewer;
  std::string created_by;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

boost::json::object to_json(const User& user);
boost::json::object to_json(const ApiKey& key);
boost::json::object to_json(const Organization& org);

std::string normalize_email(std::string_view email);

// Login lockout policy: after this many failures in a row the account is locked for a while.
inline constexpr int kMaxFailedLogins = 5;
inline constexpr std::int64_t kLockoutMs = std::int64_t{15} * 60 * 1000;

}  // namespace cm
