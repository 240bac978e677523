// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What the approvals.sla job reads and records: pending approvals of every organization, one
// approval re-read under lock, and the (approval, stage) overdue notices already sent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "store/database.hpp"
#include "store/workflow_repository.hpp"

namespace cm::store {

class ApprovalSlaRepository {
 public:
  explicit ApprovalSlaRepository(Connection& conn) : conn_(conn) {}

  struct Pending {
    StoredApproval row;
    std::optional<std::size_t> last_notified_stage;  // the latest stage notified, if any
  };
  // Pending approvals of every organization after (org_id, id), in that order, for the job to
  // walk in batches, with the latest stage already notified (stages only move forward, so a
  // current stage at or before it needs nothing).
  std::vector<Pending> pending_after(
      const std::optional<std::pair<std::string, std::string>>& after, int limit);
  // The approval if it is still pending; locked until the transaction ends on PostgreSQL
  // (decisions take the same lock; SQLite writers are serialized already).
  std::optional<StoredApproval> pending_for_update(std::string_view org_id, std::string_view id);
  // Records that the overdue notice of (approval, stage) is being sent; true only for the caller
  // whose insert took effect (send it then).
  bool record_notice(std::string_view approval_id, std::size_t stage, const CivilDate& due_on,
                     std::int64_t now);

 private:
  Connection& conn_;
};

}  // namespace cm::store
