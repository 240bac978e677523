// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/contract_repository.hpp"

#include <boost/json.hpp>

#include "core/lifecycle.hpp"
#include "store/counterparty_repository.hpp"
#include "store/sql_builder.hpp"

namespace cm::store {

namespace bj = boost::json;

namespace {

const std::string kSelect =
    "SELECT id, org_id, title, type, status, description, owner_id, value_minor, currency, "
    "effective_date, expiration_date, auto_renew, renewal_term_months, notice_period_days, "
    "custom_fields, parties, tags, version, created_at, updated_at, created_by, legal_hold, "
    "activated_at, terminated_at, termination_reason, signed_at, renewal_count, archived, "
    "parent_id, relation, applies_to_parent, termination_effective_date "
    "FROM contracts ";

constexpr std::string_view kNoDate = "9999-12-31";

std::string parties_json(const std::vector<ContractParty>& parties) {
  bj::array a;
  for (const auto& p : parties) {
    bj::object o;
    o["counterpartyId"] = p.counterparty_id;
    o["role"] = p.role;
    a.emplace_back(std::move(o));
  }
  return bj::serialize(a);
}

std::string tags_json(const std::vector<std::string>& tags) {
  bj::array a;
  for (const auto& t : tags) a.push_back(bj::string(t));
  return bj::serialize(a);
}

std::optional<int> opt_int(const Row& r, std::size_t i) {
  auto v = r.opt_int64(i);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

Contract from_row(const Row& r) {
  Contract c;
  c.id = r.text(0);
  c.org_id = r.text(1);
  c.title = r.text(2);
  c.type = r.text(3);
  c.status = r.text(4);
  c.description = r.text(5);
  c.owner_id = r.text(6);
  if (auto minor = r.opt_int64(7)) c.value = Money{*minor, r.text(8)};
  c.effective_date = r.opt_text(9);
  c.expiration_date = r.opt_text(10);
  c.auto_renew = r.boolean(11);
  c.renewal_term_months = opt_int(r, 12);
  c.notice_period_days = opt_int(r, 13);
  c.custom_fields = bj::parse(r.text(14)).as_object();
  const bj::value parties = bj::parse(r.text(15));
  for (const auto& p : parties.as_array()) {
    const auto& o = p.as_object();
    c.parties.push_back(
        {std::string(o.at("counterpartyId").as_string()), std::string(o.at("role").as_string())});
  }
  const bj::value tags = bj::parse(r.text(16));
  for (const auto& t : tags.as_array()) c.tags.emplace_back(t.as_string());
  c.version = r.int64(17);
  c.created_at = r.int64(18);
  c.updated_at = r.int64(19);
  c.created_by = r.text(20);
  c.legal_hold = r.boolean(21);
  c.activated_at = r.opt_int64(22);
  c.terminated_at = r.opt_int64(23);
  c.termination_reason = r.opt_text(24);
  c.signed_at = r.opt_int64(25);
  c.renewal_count = static_cast<int>(r.int64(26));
  c.archived = r.boolean(27);
  c.parent_id = r.opt_text(28);
  c.relation = r.opt_text(29);
  if (const auto& applies_text = r.text(30); applies_text != "[]") {  // almost always empty
    const bj::value applies = bj::parse(applies_text);
    for (const auto& t : applies.as_array()) c.applies_to_parent.emplace_back(t.as_string());
  }
  c.termination_effective_date = r.opt_text(31);
  return c;
}

std::string sort_expression(std::string_view field) {
  if (field == "createdAt") return "created_at";
  if (field == "updatedAt") return "updated_at";
  if (field == "title") return "title";
  if (field == "effectiveDate") return "COALESCE(effective_date, '9999-12-31')";
  if (field == "expirationDate") return "COALESCE(expiration_date, '9999-12-31')";
  return "COALESCE(value_minor, -1)";
}

// Kept on the row so renewal queries can filter and sort on it with an index.
std::optional<std::string> stored_notice_deadline(const Contract& c) {
  const auto expiration = c.expiration_date ? parse_date(*c.expiration_date) : std::nullopt;
  if (!expiration) return std::nullopt;
  return format_date(notice_deadline(*expiration, c.notice_period_days.value_or(0)));
}

std::vector<Param> contract_params(const Contract& c) {
  return {c.id,
          c.org_id,
          c.title,
          c.type,
          c.status,
          c.description,
          c.owner_id,
          c.value ? Param{c.value->minor} : Param{nullptr},
          c.value ? Param{c.value->currency} : Param{nullptr},
          opt(c.effective_date),
          opt(c.expiration_date),
          c.auto_renew,
          c.renewal_term_months ? Param{std::int64_t{*c.renewal_term_months}} : Param{nullptr},
          c.notice_period_days ? Param{std::int64_t{*c.notice_period_days}} : Param{nullptr},
          bj::serialize(c.custom_fields),
          parties_json(c.parties),
          tags_json(c.tags),
          c.created_at,
          c.updated_at,
          c.created_by,
          c.legal_hold,
          opt(c.parent_id),
          opt(c.relation),
          tags_json(c.applies_to_parent),
          opt(c.termination_effective_date),
          opt(stored_notice_deadline(c))};
}

}  // namespace

SortKey contract_sort_key(const Contract& c, std::string_view field) {
  if (field == "createdAt") return c.created_at;
  if (field == "updatedAt") return c.updated_at;
  if (field == "title") return c.title;
  if (field == "effectiveDate") return c.effective_date.value_or(std::string(kNoDate));
  if (field == "expirationDate") return c.expiration_date.value_or(std::string(kNoDate));
  return c.value ? c.value->minor : std::int64_t{-1};
}

void ContractRepository::insert(const Contract& c) {
  conn_.query(
      "INSERT INTO contracts (id, org_id, title, type, status, description, owner_id, value_minor, "
      "currency, effective_date, expiration_date, auto_renew, renewal_term_months, "
      "notice_period_days, custom_fields, parties, tags, created_at, updated_at, created_by, "
      "legal_hold, parent_id, relation, applies_to_parent, termination_effective_date, "
      "notice_deadline, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, 1)",
      contract_params(c));
  write_side_tables(c);
}

void ContractRepository::write_side_tables(const Contract& c) {
  for (const auto& p : c.parties)
    conn_.query(
        "INSERT INTO contract_parties (contract_id, org_id, counterparty_id, role) VALUES ($1, $2, "
        "$3, $4)",
        {c.id, c.org_id, p.counterparty_id, p.role});
  for (const auto& t : c.tags)
    conn_.query("INSERT INTO contract_tags (contract_id, org_id, tag) VALUES ($1, $2, $3)",
                {c.id, c.org_id, t});
}

const std::string& ContractRepository::find_sql() {
  static const std::string sql = kSelect + "WHERE org_id = $1 AND id = $2";
  return sql;
}

std::optional<Contract> ContractRepository::found(const QueryResult& result) {
  if (result.empty()) return std::nullopt;
  return from_row(result.rows.front());
}

void ContractRepository::set_seeded_history(std::string_view id,
                                            std::optional<std::int64_t> activated_at,
                                            bool archived) {
  conn_.query("UPDATE contracts SET activated_at = $1, archived = $2 WHERE id = $3",
              {activated_at ? Param{*activated_at} : Param{nullptr}, archived, std::string(id)});
}

std::optional<Contract> ContractRepository::find(std::string_view org_id, std::string_view id) {
  return found(conn_.query(find_sql(), {std::string(org_id), std::string(id)}));
}

ContractPage ContractRepository::list(std::string_view org_id, const ContractQuery& q) {
  SqlBuilder b;
  const std::string org = b.bind(std::string(org_id));
  b.where("org_id = " + org);
  if (!q.statuses.empty()) b.where("status IN (" + b.bind_list(q.statuses) + ")");
  if (q.type) b.where("type = " + b.bind(*q.type));
  if (q.owner_id) b.where("owner_id = " + b.bind(*q.owner_id));
  if (q.counterparty_id)
    b.where("id IN (SELECT contract_id FROM contract_parties WHERE org_id = " + org +
            " AND counterparty_id = " + b.bind(*q.counterparty_id) + ")");
  if (q.tag)
    b.where("id IN (SELECT contract_id FROM contract_tags WHERE org_id = " + org +
            " AND tag = " + b.bind(*q.tag) + ")");
  if (q.q) b.where("LOWER(title) LIKE LOWER(" + b.bind(like_pattern(*q.q)) + ") ESCAPE '\\'");
  if (q.expiring_before) b.where("expiration_date < " + b.bind(*q.expiring_before));
  if (q.expiring_after) b.where("expiration_date > " + b.bind(*q.expiring_after));
  if (q.currency) {
    b.where("currency = " + b.bind(*q.currency));
    if (q.min_value_minor) b.where("value_minor >= " + b.bind(*q.min_value_minor));
    if (q.max_value_minor) b.where("value_minor <= " + b.bind(*q.max_value_minor));
  }
  const std::string expr = sort_expression(q.sort.field);
  const char* cmp = q.sort.descending ? " < " : " > ";
  const char* dir = q.sort.descending ? " DESC" : "";
  if (q.after) {
    const Param key = std::holds_alternative<std::int64_t>(q.after->key)
                          ? Param{std::get<std::int64_t>(q.after->key)}
                          : Param{std::get<std::string>(q.after->key)};
    const auto k = b.bind(key);
    b.where("(" + expr + cmp + k + " OR (" + expr + " = " + k + " AND id" + cmp +
            b.bind(q.after->id) + "))");
  }
  const std::string sql = kSelect + b.where_clause() + " ORDER BY " + expr + dir + ", id" + dir +
                          " LIMIT " + b.bind(std::int64_t{q.limit + 1});
  ContractPage page;
  for (const auto& row : conn_.query(sql, b.params()).rows) page.items.push_back(from_row(row));
  if (static_cast<int>(page.items.size()) > q.limit) {
    page.items.pop_back();
    const auto& last = page.items.back();
    page.next = Cursor{q.sort.text(), contract_sort_key(last, q.sort.field), last.id};
  }
  return page;
}

bool ContractRepository::update(const Contract& c, std::int64_t expected_version) {
  auto params = contract_params(c);
  // Same order as contract_params without created_at/created_by, which never change.
  params.erase(params.begin() + 19);  // created_by
  params.erase(params.begin() + 17);  // created_at
  params.emplace_back(expected_version);
  params.emplace_back(c.activated_at ? Param{*c.activated_at} : Param{nullptr});
  params.emplace_back(c.terminated_at ? Param{*c.terminated_at} : Param{nullptr});
  params.emplace_back(opt(c.termination_reason));
  params.emplace_back(c.signed_at ? Param{*c.signed_at} : Param{nullptr});
  params.emplace_back(std::int64_t{c.renewal_count});
  params.emplace_back(c.archived);
  const auto r = conn_.query(
      "UPDATE contracts SET title = $3, type = $4, status = $5, description = $6, owner_id = $7, "
      "value_minor = $8, currency = $9, effective_date = $10, expiration_date = $11, "
      "auto_renew = $12, renewal_term_months = $13, notice_period_days = $14, custom_fields = $15, "
      "parties = $16, tags = $17, updated_at = $18, legal_hold = $19, parent_id = $20, "
      "relation = $21, applies_to_parent = $22, termination_effective_date = $23, "
      "notice_deadline = $24, activated_at = $26, terminated_at = $27, termination_reason = $28, "
      "signed_at = $29, renewal_count = $30, archived = $31, version = version + 1 "
      "WHERE id = $1 AND org_id = $2 AND version = $25",
      params);
  if (r.affected != 1) return false;
  conn_.query("DELETE FROM contract_parties WHERE contract_id = $1", {c.id});
  conn_.query("DELETE FROM contract_tags WHERE contract_id = $1", {c.id});
  write_side_tables(c);
  return true;
}

bool ContractRepository::remove(std::string_view org_id, std::string_view id) {
  // A draft may have been submitted before: its workflow rows go with it (the audit log stays).
  for (const char* table : {"contract_transitions", "contract_approvals"})
    conn_.query(std::string("DELETE FROM ") + table + " WHERE org_id = $1 AND contract_id = $2",
                {std::string(org_id), std::string(id)});
  return conn_
             .query("DELETE FROM contracts WHERE org_id = $1 AND id = $2",
                    {std::string(org_id), std::string(id)})
             .affected == 1;
}

std::map<std::string, std::int64_t> ContractRepository::count_active_by_org() {
  std::map<std::string, std::int64_t> out;
  for (const auto& row :
       conn_
           .query("SELECT org_id, COUNT(*) FROM contracts WHERE status NOT IN ('expired', "
                  "'terminated', 'cancelled') GROUP BY org_id")
           .rows)
    out[row.text(0)] = row.int64(1);
  return out;
}

bool ContractRepository::has_any(std::string_view org_id) {
  static const std::string kHasAny = "SELECT 1 FROM contracts WHERE org_id = $1 LIMIT 1";
  return !conn_.query(kHasAny, {std::string(org_id)}).empty();
}

std::vector<std::string> ContractRepository::renewal_run_candidates(
    std::string_view org_id, const CivilDate& today, const CivilDate& reminder_horizon) {
  // Each branch repeats the partial indexes' condition word for word, so SQLite uses them.
  static const std::string sql =
      "SELECT id FROM contracts WHERE org_id = $1 AND status IN ('active', 'renewed') AND "
      "expiration_date < $2 "
      "UNION SELECT id FROM contracts WHERE org_id = $1 AND status IN ('active', 'renewed') AND "
      "notice_deadline >= $2 AND notice_deadline <= $3 "
      "UNION SELECT id FROM contracts WHERE org_id = $1 AND status IN ('active', 'renewed') AND "
      "termination_effective_date IS NOT NULL AND termination_effective_date <= $2 "
      "ORDER BY 1";
  std::vector<std::string> out;
  for (const auto& row :
       conn_.query(sql, {std::string(org_id), format_date(today), format_date(reminder_horizon)})
           .rows)
    out.push_back(row.text(0));
  return out;
}

std::vector<Contract> ContractRepository::find_many(std::string_view org_id,
                                                    const std::vector<std::string>& ids) {
  std::vector<Contract> out;
  if (ids.empty()) return out;
  SqlBuilder b;
  b.where("org_id = " + b.bind(std::string(org_id)));
  b.where("id IN (" + b.bind_list(ids) + ")");
  for (const auto& row : conn_.query(kSelect + b.where_clause(), b.params()).rows)
    out.push_back(from_row(row));
  return out;
}

std::vector<ContractRepository::Upcoming> ContractRepository::upcoming_renewals(
    std::string_view org_id, const CivilDate& today, const CivilDate& horizon,
    const std::optional<std::pair<std::string, std::string>>& after, int limit) {
  // next_date: the notice deadline while it is in the window, else the expiration. Two index
  // ranges (the partial indexes on notice deadline and expiration), not one OR.
  static const std::string columns =
      kSelect.substr(std::string("SELECT ").size(), kSelect.size() - std::string("SELECT ").size() -
                                                        std::string("FROM contracts ").size());
  static const std::string sql =
      "SELECT * FROM (SELECT " + columns +
      ", notice_deadline AS next_date FROM contracts WHERE org_id = $1 AND status IN ('active', "
      "'renewed') AND notice_deadline >= $2 AND notice_deadline <= $3 UNION ALL SELECT " +
      columns +
      ", expiration_date AS next_date FROM contracts WHERE org_id = $1 AND status IN ('active', "
      "'renewed') AND expiration_date >= $2 AND expiration_date <= $3 AND NOT (notice_deadline "
      ">= $2 AND notice_deadline <= $3)) upcoming WHERE next_date > $4 OR (next_date = $4 AND id "
      "> $5) ORDER BY next_date, id LIMIT $6";
  const auto r = conn_.query(sql, {std::string(org_id), format_date(today), format_date(horizon),
                                   after ? after->first : std::string(),
                                   after ? after->second : std::string(), std::int64_t{limit}});
  std::vector<Upcoming> out;
  for (const auto& row : r.rows) out.push_back({from_row(row), row.text(32)});
  return out;
}

std::vector<Contract> ContractRepository::children(std::string_view org_id,
                                                   std::string_view parent_id, int limit) {
  const auto r =
      conn_.query(kSelect + "WHERE org_id = $1 AND parent_id = $2 ORDER BY created_at, id LIMIT $3",
                  {std::string(org_id), std::string(parent_id), std::int64_t{limit}});
  std::vector<Contract> out;
  for (const auto& row : r.rows) out.push_back(from_row(row));
  return out;
}

bool ContractRepository::record_renewal_reminder(const Contract& c,
                                                 const CivilDate& notice_deadline, int offset_days,
                                                 std::int64_t now) {
  return conn_
             .query(
                 "INSERT INTO renewal_reminders (contract_id, org_id, notice_deadline, "
                 "offset_days, sent_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (contract_id, "
                 "notice_deadline, offset_days) DO NOTHING",
                 {c.id, c.org_id, format_date(notice_deadline), std::int64_t{offset_days}, now})
             .affected == 1;
}

std::set<std::string> ContractRepository::recorded_renewal_reminders(
    std::string_view org_id, const std::vector<std::string>& contract_ids) {
  std::set<std::string> out;
  if (contract_ids.empty()) return out;
  SqlBuilder b;
  b.where("org_id = " + b.bind(std::string(org_id)));
  b.where("contract_id IN (" + b.bind_list(contract_ids) + ")");
  for (const auto& row : conn_
                             .query("SELECT contract_id, notice_deadline, offset_days FROM "
                                    "renewal_reminders" +
                                        b.where_clause(),
                                    b.params())
                             .rows)
    out.insert(row.text(0) + "|" + row.text(1) + "|" + std::to_string(row.int64(2)));
  return out;
}

}  // namespace cm::store
