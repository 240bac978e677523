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
  void update_contract_types(std::string_view id, const std::vector<std::string>& types);
  std::vector<Organization> list_all();

 private:
  Connection& conn_;
};

}  // namespace cm::store
