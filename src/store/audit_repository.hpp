// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Appends to and reads each organization's audit hash chain. `append` must run inside the write
// transaction of the change it records, so data and its audit event commit or vanish together.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/audit.hpp"
#include "store/database.hpp"

namespace cm::store {

struct AuditFilter {
  // The entity's events; for a contract also those of its documents and other children (the
  // events whose contract_id is the contract).
  std::optional<std::string> entity_id;
  std::optional<std::string> entity_type;
  std::optional<std::string> actor_id;
  std::optional<std::string> action;
  std::optional<std::int64_t> from;        // unix ms, inclusive
  std::optional<std::int64_t> to;          // unix ms, exclusive
  std::optional<std::int64_t> before_seq;  // keyset: newest first
  bool contract_events_only = false;       // events that belong to a contract (contract_id set)
  int limit = 50;
};

struct AuditVerification {
  std::int64_t events_checked = 0;
  std::optional<ChainBreak> first_break;
};

class AuditRepository {
 public:
  explicit AuditRepository(Connection& conn) : conn_(conn) {}

  // Fills seq, prev_hash and hash from the organization's chain head and stores the event.
  void append(AuditEvent& event);
  std::vector<AuditEvent> list(std::string_view org_id, const AuditFilter& filter);
  AuditVerification verify(std::string_view org_id);
  std::vector<std::string> org_ids_with_events();
  // The organization's chain head: the last event's seq and hash (0 and the genesis hash when
  // it has none yet). Within a write transaction, this includes the events it appended.
  std::pair<std::int64_t, std::string> head(std::string_view org_id);

 private:
  Connection& conn_;
};

// Appends an event by `actor` in the caller's transaction.
void record_audit(Connection& conn, const AuditActor& actor, std::string_view action,
                  std::string_view entity_type, std::string_view entity_id,
                  boost::json::value changes = nullptr);

}  // namespace cm::store
