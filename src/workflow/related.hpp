// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Related contracts: a contract may have a parent with a relation (amendment, sow, renewal,
// addendum, order). These helpers check a parent, walk the tree, and apply an amendment's terms
// to its parent when the amendment becomes active.

#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/contract.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace cm::workflow {

inline constexpr int kMaxRelatedDepth = 10;
inline constexpr int kMaxRelatedContracts = 500;

// Field errors for `contract.parent_id`: it must be a contract of the same organization, and
// making it the parent must not create a cycle or a chain deeper than kMaxRelatedDepth.
std::vector<FieldError> check_parent(store::Connection& conn, const Contract& contract);

struct RelatedNode {
  Contract contract;
  int depth = 0;  // 0: the root
};

// The tree `contract_id` belongs to, from its root down (depth-first, children oldest first), at
// most kMaxRelatedContracts nodes; `truncated` says when more exist.
struct RelatedTree {
  std::vector<RelatedNode> nodes;
  bool truncated = false;
};
RelatedTree related_tree(store::Connection& conn, const Contract& contract);

// Called when `amendment` becomes active: copies the terms it applies (value, expirationDate) to
// its parent if the parent is in force, audited on both (`contract.amended` on the parent,
// `amendment.applied` on the amendment). A parent not in force is left alone and that is audited
// (`amendment.not_applied`).
void apply_amendment(store::Connection& conn, const AuditActor& actor, const Contract& amendment);

}  // namespace cm::workflow
