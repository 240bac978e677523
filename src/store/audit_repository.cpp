// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/audit_repository.hpp"

#include <boost/json.hpp>

#include "store/sql_builder.hpp"

namespace cm::store {

namespace bj = boost::json;

namespace {

const std::string kSelect =
    "SELECT id, org_id, seq, actor_id, actor_type, action, entity_type, entity_id, at, changes, "
    "request_id, ip, prev_hash, hash, contract_id FROM audit_events ";

AuditEvent from_row(const Row& r) {
  AuditEvent e;
  e.id = r.text(0);
  e.org_id = r.text(1);
  e.seq = r.int64(2);
  e.actor_id = r.text(3);
  e.actor_type = r.text(4);
  e.action = r.text(5);
  e.entity_type = r.text(6);
  e.entity_id = r.text(7);
  e.at = r.int64(8);
  boost::system::error_code ec;
  e.changes = r.is_null(9) ? bj::value(nullptr) : bj::parse(r.text(9), ec);
  if (ec) e.changes = bj::string(r.text(9));  // kept as text so verification reports the edit
  e.request_id = r.text(10);
  e.ip = r.text(11);
  e.prev_hash = r.text(12);
  e.hash = r.text(13);
  e.contract_id = r.opt_text(14);
  return e;
}

}  // namespace

void AuditRepository::append(AuditEvent& e) {
  conn_.query(
      "INSERT INTO audit_heads (org_id, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT "
      "(org_id) DO NOTHING",
      {e.org_id, kGenesisHash});
  // The head row lock serializes appends per organization on PostgreSQL; SQLite write
  // transactions are serialized already.
  const std::string lock = conn_.dialect() == Dialect::postgres ? " FOR UPDATE" : "";
  auto head = conn_.query("SELECT last_seq, last_hash FROM audit_heads WHERE org_id = $1" + lock,
                          {e.org_id});
  e.seq = head.rows.front().int64(0) + 1;
  e.prev_hash = head.rows.front().text(1);
  e.hash = compute_audit_hash(e);
  // Always derived here, never taken from the caller: verification recomputes it the same way.
  e.contract_id = audit_contract_id(e);
  conn_.query(
      "INSERT INTO audit_events (id, org_id, seq, actor_id, actor_type, action, entity_type, "
      "entity_id, at, changes, request_id, ip, prev_hash, hash, contract_id) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
      {e.id, e.org_id, e.seq, e.actor_id, e.actor_type, e.action, e.entity_type, e.entity_id, e.at,
       e.changes.is_null() ? Param{nullptr} : Param{bj::serialize(e.changes)}, e.request_id, e.ip,
       e.prev_hash, e.hash, e.contract_id ? Param{*e.contract_id} : Param{nullptr}});
  conn_.query("UPDATE audit_heads SET last_seq = $2, last_hash = $3 WHERE org_id = $1",
              {e.org_id, e.seq, e.hash});
}

std::vector<AuditEvent> AuditRepository::list(std::string_view org_id, const AuditFilter& f) {
  SqlBuilder b;
  b.where("org_id = " + b.bind(std::string(org_id)));
  if (f.entity_id) {
    // A contract's trail includes its children's events (contract_id); any other entity's is
    // its own. Both sides are index ranges (audit_events_entity, audit_events_contract).
    const auto id = b.bind(*f.entity_id);
    b.where("(entity_id = " + id + " OR contract_id = " + id + ")");
  }
  if (f.contract_events_only) b.where("contract_id IS NOT NULL");
  if (f.entity_type) b.where("entity_type = " + b.bind(*f.entity_type));
  if (f.actor_id) b.where("actor_id = " + b.bind(*f.actor_id));
  if (f.action) b.where("action = " + b.bind(*f.action));
  if (f.from) b.where("at >= " + b.bind(*f.from));
  if (f.to) b.where("at < " + b.bind(*f.to));
  if (f.before_seq) b.where("seq < " + b.bind(*f.before_seq));
  const auto sql =
      kSelect + b.where_clause() + " ORDER BY seq DESC LIMIT " + b.bind(std::int64_t{f.limit});
  std::vector<AuditEvent> out;
  for (const auto& row : conn_.query(sql, b.params()).rows) out.push_back(from_row(row));
  return out;
}

AuditVerification AuditRepository::verify(std::string_view org_id) {
  constexpr std::int64_t kBatch = 1000;
  AuditVerification result;
  std::string prev_hash = kGenesisHash;
  std::int64_t prev_seq = 0;
  for (;;) {
    auto rows = conn_.query(kSelect + "WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                            {std::string(org_id), prev_seq, kBatch});
    std::vector<AuditEvent> events;
    for (const auto& row : rows.rows) events.push_back(from_row(row));
    if (events.empty()) break;
    const auto checked_before = prev_seq;
    result.first_break = verify_chain(events, prev_hash, prev_seq);
    result.events_checked += prev_seq - checked_before;
    if (result.first_break) return result;
    if (static_cast<std::int64_t>(events.size()) < kBatch) break;
  }
  auto head = conn_.query("SELECT last_seq, last_hash FROM audit_heads WHERE org_id = $1",
                          {std::string(org_id)});
  if (!head.empty() &&
      (head.rows.front().int64(0) != prev_seq || head.rows.front().text(1) != prev_hash)) {
    result.first_break =
        ChainBreak{prev_seq + 1, "",
                   "the chain ends at event " + std::to_string(prev_seq) +
                       " but the organization's head records event " +
                       std::to_string(head.rows.front().int64(0)) + " (latest events deleted)"};
  }
  return result;
}

std::pair<std::int64_t, std::string> AuditRepository::head(std::string_view org_id) {
  const auto r = conn_.query("SELECT last_seq, last_hash FROM audit_heads WHERE org_id = $1",
                             {std::string(org_id)});
  if (r.empty()) return {0, kGenesisHash};
  return {r.rows.front().int64(0), r.rows.front().text(1)};
}

std::vector<std::string> AuditRepository::org_ids_with_events() {
  std::vector<std::string> out;
  for (const auto& row : conn_.query("SELECT org_id FROM audit_heads ORDER BY org_id").rows)
    out.push_back(row.text(0));
  return out;
}

void record_audit(Connection& conn, const AuditActor& actor, std::string_view action,
                  std::string_view entity_type, std::string_view entity_id, bj::value changes) {
  auto event = make_audit_event(actor, action, entity_type, entity_id, std::move(changes));
  AuditRepository(conn).append(event);
}

}  // namespace cm::store
