// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/counterparty_repository.hpp"

#include "store/sql_builder.hpp"

namespace cm::store {

namespace {

const std::string kSelect =
    "SELECT id, org_id, name, kind, registration_number, country, address, contact_name, "
    "contact_email, notes, version, created_at, updated_at FROM counterparties ";

Counterparty from_row(const Row& r) {
  Counterparty c;
  c.id = r.text(0);
  c.org_id = r.text(1);
  c.name = r.text(2);
  c.kind = r.text(3);
  c.registration_number = r.opt_text(4);
  c.country = r.opt_text(5);
  c.address = r.opt_text(6);
  c.contact_name = r.opt_text(7);
  c.contact_email = r.opt_text(8);
  c.notes = r.opt_text(9);
  c.version = r.int64(10);
  c.created_at = r.int64(11);
  c.updated_at = r.int64(12);
  return c;
}

}  // namespace

std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

void CounterpartyRepository::insert(const Counterparty& c) {
  conn_.query(
      "INSERT INTO counterparties (id, org_id, name, kind, registration_number, country, address, "
      "contact_name, contact_email, notes, version, created_at, updated_at) VALUES ($1, $2, $3, "
      "$4, "
      "$5, $6, $7, $8, $9, $10, 1, $11, $12)",
      {c.id, c.org_id, c.name, c.kind, opt(c.registration_number), opt(c.country), opt(c.address),
       opt(c.contact_name), opt(c.contact_email), opt(c.notes), c.created_at, c.updated_at});
}

std::optional<Counterparty> CounterpartyRepository::find(std::string_view org_id,
                                                         std::string_view id) {
  auto r = conn_.query(kSelect + "WHERE org_id = $1 AND id = $2",
                       {std::string(org_id), std::string(id)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

std::vector<Counterparty> CounterpartyRepository::list(std::string_view org_id,
                                                       const std::optional<std::string>& q,
                                                       int limit,
                                                       const std::optional<Cursor>& after) {
  SqlBuilder b;
  b.where("org_id = " + b.bind(std::string(org_id)));
  if (q) b.where("LOWER(name) LIKE LOWER(" + b.bind(like_pattern(*q)) + ") ESCAPE '\\'");
  if (after) {
    const auto name = b.bind(std::get<std::string>(after->key));
    b.where("(name > " + name + " OR (name = " + name + " AND id > " + b.bind(after->id) + "))");
  }
  const auto sql =
      kSelect + b.where_clause() + " ORDER BY name, id LIMIT " + b.bind(std::int64_t{limit});
  std::vector<Counterparty> out;
  for (const auto& row : conn_.query(sql, b.params()).rows) out.push_back(from_row(row));
  return out;
}

bool CounterpartyRepository::update(const Counterparty& c, std::int64_t expected_version) {
  return conn_
             .query(
                 "UPDATE counterparties SET name = $3, kind = $4, registration_number = $5, "
                 "country = $6, address = $7, contact_name = $8, contact_email = $9, notes = $10, "
                 "updated_at = $11, version = version + 1 WHERE org_id = $1 AND id = $2 AND "
                 "version = $12",
                 {c.org_id, c.id, c.name, c.kind, opt(c.registration_number), opt(c.country),
                  opt(c.address), opt(c.contact_name), opt(c.contact_email), opt(c.notes),
                  c.updated_at, expected_version})
             .affected == 1;
}

bool CounterpartyRepository::is_referenced(std::string_view org_id, std::string_view id) {
  return !conn_
              .query(
                  "SELECT 1 FROM contract_parties WHERE org_id = $1 AND counterparty_id = $2 LIMIT "
                  "1",
                  {std::string(org_id), std::string(id)})
              .empty();
}

bool CounterpartyRepository::remove(std::string_view org_id, std::string_view id) {
  return conn_
             .query("DELETE FROM counterparties WHERE org_id = $1 AND id = $2",
                    {std::string(org_id), std::string(id)})
             .affected == 1;
}

std::vector<std::string> CounterpartyRepository::existing_ids(std::string_view org_id,
                                                              const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  SqlBuilder b;
  b.where("org_id = " + b.bind(std::string(org_id)));
  b.where("id IN (" + b.bind_list(ids) + ")");
  std::vector<std::string> out;
  for (const auto& row :
       conn_.query("SELECT id FROM counterparties" + b.where_clause(), b.params()).rows)
    out.push_back(row.text(0));
  return out;
}

}  // namespace cm::store
