// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/obligation_repository.hpp"

namespace cm::store {

namespace {

std::string s(std::string_view v) {
  return std::string(v);
}

const std::string kColumns =
    "id, org_id, contract_id, title, description, kind, responsible, assignee_id, due_date, "
    "anchor_date, recurrence_frequency, recurrence_until, amount_minor, amount_currency, status, "
    "completed_at, completed_by, previous_id, version, created_at, updated_at, created_by";

CivilDate date_or_epoch(const std::string& text) {
  return parse_date(text).value_or(CivilDate{});
}

Obligation obligation_from(const Row& r) {
  Obligation o;
  o.id = r.text(0);
  o.org_id = r.text(1);
  o.contract_id = r.text(2);
  o.title = r.text(3);
  o.description = r.text(4);
  o.kind = parse_obligation_kind(r.text(5)).value_or(ObligationKind::other);
  o.responsible = parse_responsible_party(r.text(6)).value_or(ResponsibleParty::us);
  o.assignee_id = r.opt_text(7);
  o.due_date = date_or_epoch(r.text(8));
  o.anchor_date = date_or_epoch(r.text(9));
  if (const auto frequency = r.opt_text(10)) {
    Recurrence rec;
    rec.frequency = parse_frequency(*frequency).value_or(Frequency::monthly);
    if (const auto until = r.opt_text(11)) rec.until = parse_date(*until);
    o.recurrence = rec;
  }
  if (const auto minor = r.opt_int64(12)) o.amount = Money{*minor, r.opt_text(13).value_or("")};
  o.status = parse_obligation_status(r.text(14)).value_or(ObligationStatus::open);
  o.completed_at = r.opt_int64(15);
  o.completed_by = r.opt_text(16);
  o.previous_id = r.opt_text(17);
  o.version = r.int64(18);
  o.created_at = r.int64(19);
  o.updated_at = r.int64(20);
  o.created_by = r.text(21);
  return o;
}

std::vector<Obligation> all_from(const QueryResult& r) {
  std::vector<Obligation> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) out.push_back(obligation_from(row));
  return out;
}

Param opt_date(const std::optional<CivilDate>& d) {
  return d ? Param{format_date(*d)} : Param{nullptr};
}

// The mutable columns, in the order of kColumns from `kind` on (parameters $first...).
std::vector<Param> mutable_values(const Obligation& o) {
  return {o.title,
          o.description,
          s(to_string(o.kind)),
          s(to_string(o.responsible)),
          opt(o.assignee_id),
          format_date(o.due_date),
          format_date(o.anchor_date),
          o.recurrence ? Param{s(to_string(o.recurrence->frequency))} : Param{nullptr},
          o.recurrence ? opt_date(o.recurrence->until) : Param{nullptr},
          o.amount ? Param{o.amount->minor} : Param{nullptr},
          o.amount ? Param{o.amount->currency} : Param{nullptr},
          s(to_string(o.status)),
          opt(o.completed_at),
          opt(o.completed_by)};
}

}  // namespace

void ObligationRepository::insert(const Obligation& o) {
  std::vector<Param> params{o.id, o.org_id, o.contract_id};
  for (auto& p : mutable_values(o)) params.push_back(std::move(p));
  params.insert(params.end(),
                {opt(o.previous_id), o.version, o.created_at, o.updated_at, o.created_by});
  conn_.query("INSERT INTO obligations (" + kColumns +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                  "$16, $17, $18, $19, $20, $21, $22)",
              params);
}

std::optional<Obligation> ObligationRepository::find(std::string_view org_id,
                                                     std::string_view contract_id,
                                                     std::string_view id) {
  const auto r = conn_.query("SELECT " + kColumns +
                                 " FROM obligations WHERE org_id = $1 AND contract_id = $2 AND "
                                 "id = $3",
                             {s(org_id), s(contract_id), s(id)});
  if (r.empty()) return std::nullopt;
  return obligation_from(r.rows.front());
}

std::vector<Obligation> ObligationRepository::list_for_contract(std::string_view org_id,
                                                                std::string_view contract_id,
                                                                const std::optional<Cursor>& after,
                                                                int limit) {
  std::vector<Param> params{s(org_id), s(contract_id), std::int64_t{limit}};
  std::string keyset;
  if (after) {
    params.emplace_back(std::get<std::string>(after->key));
    params.emplace_back(after->id);
    keyset = " AND (due_date > $4 OR (due_date = $4 AND id > $5))";
  }
  return all_from(conn_.query("SELECT " + kColumns +
                                  " FROM obligations WHERE org_id = $1 AND contract_id = $2" +
                                  keyset + " ORDER BY due_date, id LIMIT $3",
                              params));
}

std::vector<Obligation> ObligationRepository::list(std::string_view org_id,
                                                   const ObligationFilter& f,
                                                   const std::optional<Cursor>& after, int limit) {
  std::vector<Param> params{s(org_id), std::int64_t{limit}};
  std::string where = " WHERE org_id = $1";
  const auto next = [&params](Param p) {
    params.push_back(std::move(p));
    return "$" + std::to_string(params.size());
  };
  if (f.assignee_id) where += " AND assignee_id = " + next(*f.assignee_id);
  if (f.status) where += " AND status = " + next(s(to_string(*f.status)));
  if (f.overdue_on)
    where += " AND status = 'open' AND due_date < " + next(format_date(*f.overdue_on));
  if (f.due_before) where += " AND due_date < " + next(format_date(*f.due_before));
  if (after) {
    const auto key = next(std::get<std::string>(after->key));
    const auto id = next(after->id);
    where += " AND (due_date > " + key + " OR (due_date = " + key + " AND id > " + id + "))";
  }
  return all_from(conn_.query(
      "SELECT " + kColumns + " FROM obligations" + where + " ORDER BY due_date, id LIMIT $2",
      params));
}

bool ObligationRepository::update(const Obligation& o, std::int64_t expected) {
  std::vector<Param> params{o.org_id, o.id, expected, o.updated_at};
  for (auto& p : mutable_values(o)) params.push_back(std::move(p));
  return conn_
             .query(
                 "UPDATE obligations SET title = $5, description = $6, kind = $7, responsible = "
                 "$8, "
                 "assignee_id = $9, due_date = $10, anchor_date = $11, recurrence_frequency = $12, "
                 "recurrence_until = $13, amount_minor = $14, amount_currency = $15, status = $16, "
                 "completed_at = $17, completed_by = $18, version = version + 1, updated_at = $4 "
                 "WHERE org_id = $1 AND id = $2 AND version = $3",
                 params)
             .affected == 1;
}

bool ObligationRepository::remove(std::string_view org_id, std::string_view id) {
  conn_.query("DELETE FROM obligation_reminders WHERE obligation_id = $1", {s(id)});
  return conn_.query("DELETE FROM obligations WHERE org_id = $1 AND id = $2", {s(org_id), s(id)})
             .affected == 1;
}

std::vector<Obligation> ObligationRepository::open_due_by(
    const CivilDate& last_due, const std::optional<std::pair<std::string, std::string>>& after,
    int limit) {
  std::vector<Param> params{format_date(last_due), std::int64_t{limit}};
  std::string keyset;
  if (after) {
    params.emplace_back(after->first);
    params.emplace_back(after->second);
    keyset = " AND (due_date > $3 OR (due_date = $3 AND id > $4))";
  }
  return all_from(conn_.query("SELECT " + kColumns +
                                  " FROM obligations WHERE status = 'open' AND due_date <= $1" +
                                  keyset + " ORDER BY due_date, id LIMIT $2",
                              params));
}

bool ObligationRepository::record_reminder(std::string_view obligation_id,
                                           const CivilDate& due_date, int offset_days,
                                           std::int64_t now) {
  return conn_
             .query(
                 "INSERT INTO obligation_reminders (obligation_id, due_date, offset_days, sent_at) "
                 "VALUES ($1, $2, $3, $4) ON CONFLICT (obligation_id, due_date, offset_days) DO "
                 "NOTHING",
                 {s(obligation_id), format_date(due_date), std::int64_t{offset_days}, now})
             .affected == 1;
}

}  // namespace cm::store
