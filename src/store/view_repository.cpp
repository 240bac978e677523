// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/view_repository.hpp"

#include <boost/json.hpp>

namespace cm::store {

namespace {

const std::string kSelect =
    "SELECT id, org_id, user_id, name, query, columns, version, created_at, updated_at "
    "FROM saved_views ";

std::string columns_json(const std::vector<std::string>& columns) {
  boost::json::array out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.emplace_back(c);
  return boost::json::serialize(out);
}

std::vector<std::string> parse_columns(const std::string& text) {
  const auto parsed = boost::json::parse(text);
  std::vector<std::string> out;
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string());
  return out;
}

SavedView from_row(const Row& r) {
  SavedView v;
  v.id = r.text(0);
  v.org_id = r.text(1);
  v.user_id = r.text(2);
  v.name = r.text(3);
  v.query = r.text(4);
  v.columns = parse_columns(r.text(5));
  v.version = r.int64(6);
  v.created_at = r.int64(7);
  v.updated_at = r.int64(8);
  return v;
}

}  // namespace

void ViewRepository::insert(const SavedView& v) {
  conn_.query(
      "INSERT INTO saved_views (id, org_id, user_id, name, query, columns, version, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
      {v.id, v.org_id, v.user_id, v.name, v.query, columns_json(v.columns), v.created_at,
       v.updated_at});
}

std::optional<SavedView> ViewRepository::find(std::string_view org_id, std::string_view user_id,
                                              std::string_view id) {
  auto r = conn_.query(kSelect + "WHERE org_id = $1 AND user_id = $2 AND id = $3",
                       {std::string(org_id), std::string(user_id), std::string(id)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

std::vector<SavedView> ViewRepository::list(std::string_view org_id, std::string_view user_id) {
  auto r = conn_.query(kSelect + "WHERE org_id = $1 AND user_id = $2 ORDER BY name, id",
                       {std::string(org_id), std::string(user_id)});
  std::vector<SavedView> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) out.push_back(from_row(row));
  return out;
}

std::int64_t ViewRepository::count(std::string_view org_id, std::string_view user_id) {
  return conn_
      .query("SELECT COUNT(*) FROM saved_views WHERE org_id = $1 AND user_id = $2",
             {std::string(org_id), std::string(user_id)})
      .rows.front()
      .int64(0);
}

bool ViewRepository::update(const SavedView& v, std::int64_t expected_version) {
  return conn_
             .query(
                 "UPDATE saved_views SET name = $4, query = $5, columns = $6, updated_at = $7, "
                 "version = version + 1 WHERE org_id = $1 AND user_id = $2 AND id = $3 AND "
                 "version = $8",
                 {v.org_id, v.user_id, v.id, v.name, v.query, columns_json(v.columns), v.updated_at,
                  expected_version})
             .affected == 1;
}

bool ViewRepository::remove(std::string_view org_id, std::string_view user_id,
                            std::string_view id) {
  return conn_
             .query("DELETE FROM saved_views WHERE org_id = $1 AND user_id = $2 AND id = $3",
                    {std::string(org_id), std::string(user_id), std::string(id)})
             .affected == 1;
}

}  // namespace cm::store
