// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/audit.hpp"

#include <set>

#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace cm {

namespace bj = boost::json;

namespace {

// Every field but `hash`; `at` as given (Unix ms for hashing, RFC 3339 for the API).
bj::object event_fields(const AuditEvent& e, bj::value at) {
  return bj::object{{"id", e.id},
                    {"orgId", e.org_id},
                    {"seq", e.seq},
                    {"actorId", e.actor_id},
                    {"actorType", e.actor_type},
                    {"action", e.action},
                    {"entityType", e.entity_type},
                    {"entityId", e.entity_id},
                    {"at", std::move(at)},
                    {"changes", e.changes},
                    {"requestId", e.request_id},
                    {"ip", e.ip},
                    {"prevHash", e.prev_hash}};
}

}  // namespace

std::optional<std::string> audit_contract_id(const AuditEvent& e) {
  if (e.entity_type == "contract") return e.entity_id;
  if (const auto* changes = e.changes.if_object())
    if (const auto* id = changes->if_contains("contractId"); id && id->is_string())
      return std::string(id->get_string());
  return std::nullopt;
}

std::string audit_canonical_form(const AuditEvent& e) {
  return json::canonical(event_fields(e, e.at));
}

std::string compute_audit_hash(const AuditEvent& e) {
  return crypto::sha256_hex(audit_canonical_form(e));
}

bj::value diff_objects(const bj::object& before, const bj::object& after) {
  std::set<std::string_view> keys;
  for (const auto& kv : before) keys.insert(kv.key());
  for (const auto& kv : after) keys.insert(kv.key());
  bj::object changes;
  for (const auto key : keys) {
    const auto* b = before.if_contains(key);
    const auto* a = after.if_contains(key);
    const bj::value from = b ? *b : bj::value(nullptr);
    const bj::value to = a ? *a : bj::value(nullptr);
    if (json::canonical(from) != json::canonical(to))
      changes[key] = bj::object{{"from", from}, {"to", to}};
  }
  if (changes.empty()) return nullptr;
  return changes;
}

std::optional<ChainBreak> verify_chain(const std::vector<AuditEvent>& events,
                                       std::string& prev_hash, std::int64_t& prev_seq) {
  for (const auto& e : events) {
    if (e.seq != prev_seq + 1)
      return ChainBreak{e.seq, e.id,
                        "sequence jumps from " + std::to_string(prev_seq) + " to " +
                            std::to_string(e.seq) + " (events deleted or reordered)"};
    if (e.prev_hash != prev_hash)
      return ChainBreak{e.seq, e.id, "prevHash does not match the previous event's hash"};
    if (compute_audit_hash(e) != e.hash)
      return ChainBreak{e.seq, e.id, "hash does not match the event's contents (event edited)"};
    if (e.contract_id != audit_contract_id(e))
      return ChainBreak{e.seq, e.id,
                        "contract_id does not match the event's contents (event moved between "
                        "contract trails)"};
    prev_hash = e.hash;
    prev_seq = e.seq;
  }
  return std::nullopt;
}

bj::object to_json(const AuditEvent& e) {
  auto o = event_fields(e, bj::string(format_rfc3339(e.at)));
  o["hash"] = e.hash;
  return o;
}

AuditActor AuditActor::system(std::string org_id, std::string run_id) {
  return {std::move(org_id), "system", "system", std::move(run_id), ""};
}

AuditEvent make_audit_event(const AuditActor& actor, std::string_view action,
                            std::string_view entity_type, std::string_view entity_id,
                            bj::value changes) {
  AuditEvent e;
  e.id = new_id();
  e.org_id = actor.org_id;
  e.actor_id = actor.actor_id;
  e.actor_type = actor.actor_type;
  e.action = action;
  e.entity_type = entity_type;
  e.entity_id = entity_id;
  e.at = now_unix_ms();
  e.changes = std::move(changes);
  e.request_id = actor.request_id;
  e.ip = actor.ip;
  e.contract_id = audit_contract_id(e);
  return e;
}

}  // namespace cm
