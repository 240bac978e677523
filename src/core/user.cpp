// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/user.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace cm {

namespace bj = boost::json;

std::string normalize_email(std::string_view email) {
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  });
  return out;
}

bj::object to_json(const User& u) {
  return bj::object{{"id", u.id},
                    {"orgId", u.org_id},
                    {"email", u.email},
                    {"name", u.name},
                    {"role", to_string(u.role)},
                    {"active", u.active},
                    {"version", u.version},
                    {"createdAt", format_rfc3339(u.created_at)},
                    {"updatedAt", format_rfc3339(u.updated_at)}};
}

bj::object to_json(const ApiKey& k) {
  return bj::object{
      {"id", k.id},
      {"name", k.name},
      {"prefix", k.prefix},
      {"role", to_string(k.role)},
      {"createdBy", k.created_by},
      {"createdAt", format_rfc3339(k.created_at)},
      {"lastUsedAt",
       k.last_used_at ? bj::value(format_rfc3339(*k.last_used_at)) : bj::value(nullptr)},
      {"revokedAt", k.revoked_at ? bj::value(format_rfc3339(*k.revoked_at)) : bj::value(nullptr)}};
}

bj::object to_json(const Organization& o) {
  bj::array types;
  for (const auto& t : o.contract_types) types.push_back(bj::string(t));
  bj::array reminders;
  for (const int days : o.renewal_reminder_days) reminders.push_back(days);
  return bj::object{{"id", o.id},
                    {"name", o.name},
                    {"contractTypes", std::move(types)},
                    {"timeZone", o.time_zone},
                    {"renewalReminderDays", std::move(reminders)},
                    {"createdAt", format_rfc3339(o.created_at)}};
}

}  // namespace cm
