// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/user.hpp"
#include "store/database.hpp"

namespace cm::store {

class OrganizationRepository {
 public:
  explicit OrganizationRepository(Connection& conn) : conn_(conn) {}
  void insert(const Organization& org);
  std::optional<Organization> find_by_id(std::string_view id);
  std::optional<Organization> find_by_name(std::string_view name);
  // The organization's IANA time zone name; nullopt when there is no such organization.
  std::optional<std::string> find_time_zone(std::string_view id);
  // find_time_zone() split in two for AsyncDatabase: the statement (parameter: org id) and the
  // reading of its result.
  static const std::string& time_zone_sql();
  static std::optional<std::string> time_zone_found(const QueryResult& result);
  // Writes the settings: contract types, time zone, renewal reminder days.
  void update_settings(const Organization& org);
  std::vector<Organization> list_all();

 private:
  Connection& conn_;
};

}  // namespace cm::store
