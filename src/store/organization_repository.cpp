// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/organization_repository.hpp"

#include <boost/json.hpp>

namespace cm::store {

namespace bj = boost::json;

namespace {

constexpr std::string_view kColumns =
    "id, name, contract_types, created_at, time_zone, renewal_reminder_days";

std::string types_json(const std::vector<std::string>& types) {
  bj::array a;
  for (const auto& t : types) a.push_back(bj::string(t));
  return bj::serialize(a);
}

std::string days_json(const std::vector<int>& days) {
  bj::array a;
  for (const int d : days) a.push_back(d);
  return bj::serialize(a);
}

Organization from_row(const Row& r) {
  Organization o{r.text(0), r.text(1), {}, r.int64(3)};
  const bj::value types = bj::parse(r.text(2));
  for (const auto& t : types.as_array()) o.contract_types.emplace_back(t.as_string());
  o.time_zone = r.text(4);
  o.renewal_reminder_days.clear();
  const bj::value days = bj::parse(r.text(5));
  for (const auto& d : days.as_array())
    o.renewal_reminder_days.push_back(static_cast<int>(d.to_number<std::int64_t>()));
  return o;
}

}  // namespace

void OrganizationRepository::insert(const Organization& o) {
  conn_.query(
      "INSERT INTO organizations (id, name, contract_types, created_at, time_zone, "
      "renewal_reminder_days) VALUES ($1, $2, $3, $4, $5, $6)",
      {o.id, o.name, types_json(o.contract_types), o.created_at, o.time_zone,
       days_json(o.renewal_reminder_days)});
}

std::optional<Organization> OrganizationRepository::find_by_id(std::string_view id) {
  auto r = conn_.query("SELECT " + std::string(kColumns) + " FROM organizations WHERE id = $1",
                       {std::string(id)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

const std::string& OrganizationRepository::time_zone_sql() {
  static const std::string sql = "SELECT time_zone FROM organizations WHERE id = $1";
  return sql;
}

std::optional<std::string> OrganizationRepository::time_zone_found(const QueryResult& result) {
  if (result.empty()) return std::nullopt;
  return result.rows.front().text(0);
}

std::optional<std::string> OrganizationRepository::find_time_zone(std::string_view id) {
  return time_zone_found(conn_.query(time_zone_sql(), {std::string(id)}));
}

std::optional<Organization> OrganizationRepository::find_by_name(std::string_view name) {
  auto r = conn_.query("SELECT " + std::string(kColumns) + " FROM organizations WHERE name = $1",
                       {std::string(name)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

void OrganizationRepository::update_settings(const Organization& org) {
  conn_.query(
      "UPDATE organizations SET contract_types = $2, time_zone = $3, renewal_reminder_days = $4 "
      "WHERE id = $1",
      {org.id, types_json(org.contract_types), org.time_zone,
       days_json(org.renewal_reminder_days)});
}

std::vector<Organization> OrganizationRepository::list_all() {
  std::vector<Organization> out;
  for (const auto& row :
       conn_.query("SELECT " + std::string(kColumns) + " FROM organizations ORDER BY created_at")
           .rows)
    out.push_back(from_row(row));
  return out;
}

}  // namespace cm::store
