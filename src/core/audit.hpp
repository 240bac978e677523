// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The tamper-evident audit trail. Each organization's events form a hash chain: an event's hash
// is SHA-256 over its canonical JSON, which includes its sequence number and the previous
// event's hash. Editing, deleting or reordering any stored event breaks the chain from there on.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cm {

struct AuditEvent {
  std::string id;
  std::string org_id;
  std::int64_t seq = 0;  // 1, 2, 3 ... per organization
  std::string actor_id;
  std::string actor_type;  // user | api_key | system
  std::string action;      // resource.verb, e.g. contract.created
  std::string entity_type;
  std::string entity_id;
  std::int64_t at = 0;         // unix ms
  boost::json::value changes;  // {"field": {"from": x, "to": y}} or null
  std::string request_id;
  std::string ip;
  std::string prev_hash;  // 64 zeros for the first event
  std::string hash;
  // The contract the event belongs to (audit_events.contract_id, migration 10), so that a
  // contract's trail includes the events of its documents and other children. Not hashed: it is
  // derived from hashed fields (audit_contract_id), and verify_chain checks that it still is.
  std::optional<std::string> contract_id;
};

inline const std::string kGenesisHash(64, '0');

// Who causes an audited change and through what: the request's principal (with its request id
// and address) or the system (jobs, the daily workflow run). Services outside the HTTP layer
// take this instead of a request.
struct AuditActor {
  std::string org_id;
  std::string actor_id;
  std::string actor_type;  // user | api_key | system
  std::string request_id;
  std::string ip;

  // The system acting for `org_id` (actor id "system"); `run_id` names the job run.
  static AuditActor system(std::string org_id, std::string run_id = {});
};

// An event by `actor` (id, org, time now, everything but the chain fields).
AuditEvent make_audit_event(const AuditActor& actor, std::string_view action,
                            std::string_view entity_type, std::string_view entity_id,
                            boost::json::value changes);

// The contract an event belongs to: the entity itself for entity type "contract"; for any other
// entity (a document, ...), the contract its changes name as a string "contractId", as the events
// about a contract's children do (document.uploaded, document.generated, ...); else none.
std::optional<std::string> audit_contract_id(const AuditEvent& event);

// The bytes that are hashed (every field but `hash` and `contract_id`).
//
// Why contract_id is not hashed: migration 10 added it to events that were hashed without it, and
// a hash over it would fail every one of them (or need a second, versioned canonical form). It is
// a pure function of hashed fields instead, so it needs no hash of its own: verify_chain
// recomputes it and reports a stored value that differs (an edit that hides an event from a
// contract's trail, or adds one to it) like any other edited event.
std::string audit_canonical_form(const AuditEvent& event);
std::string compute_audit_hash(const AuditEvent& event);

// Before/after of the fields that differ between two JSON objects (both sides' keys).
boost::json::value diff_objects(const boost::json::object& before,
                                const boost::json::object& after);

struct ChainBreak {
  std::int64_t seq = 0;
  std::string event_id;
  std::string reason;
};

// Checks a run of consecutive events (ascending seq) that follows `prev_hash` / `prev_seq`.
// Returns the first break, if any.
std::optional<ChainBreak> verify_chain(const std::vector<AuditEvent>& events,
                                       std::string& prev_hash, std::int64_t& prev_seq);

boost::json::object to_json(const AuditEvent& event);

}  // namespace cm
