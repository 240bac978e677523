#include "store/organization_repository.hpp"

#include <boost/json.hpp>

namespace cm::store {

namespace bj = boost::json;

namespace {

constexpr std::string_view kColumns = "id, name, contract_types, created_at";

std::string types_json(const std::vector<std::string>& types) {
  bj::array a;
  for (const auto& t : types) a.push_back(bj::string(t));
  return bj::serialize(a);
}

Organization from_row(const Row& r) {
  Organization o{r.text(0), r.text(1), {}, r.int64(3)};
  const bj::value types = bj::parse(r.text(2));
  for (const auto& t : types.as_array()) o.contract_types.emplace_back(t.as_string());
  return o;
}

}  // namespace

void OrganizationRepository::insert(const Organization& o) {
  conn_.query(
      "INSERT INTO organizations (id, name, contract_types, created_at) VALUES ($1, $2, $3, $4)",
      {o.id, o.name, types_json(o.contract_types), o.created_at});
}

std::optional<Organization> OrganizationRepository::find_by_id(std::string_view id) {
  auto r = conn_.query("SELECT " + std::string(kColumns) + " FROM organizations WHERE id = $1",
                       {std::string(id)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

std::optional<Organization> OrganizationRepository::find_by_name(std::string_view name) {
  auto r = conn_.query("SELECT " + std::string(kColumns) + " FROM organizations WHERE name = $1",
                       {std::string(name)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

void OrganizationRepository::update_contract_types(std::string_view id,
                                                   const std::vector<std::string>& types) {
  conn_.query("UPDATE organizations SET contract_types = $2 WHERE id = $1",
              {std::string(id), types_json(types)});
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
