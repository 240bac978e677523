// SPDX-License-Identifier: AGPL-3.0-or-later
#include "workflow/related.hpp"

#include <boost/json.hpp>
#include <functional>

#include "core/lifecycle.hpp"
#include "store/audit_repository.hpp"
#include "store/contract_repository.hpp"

namespace cm::workflow {

namespace bj = boost::json;

namespace {

// The ancestors of a contract, nearest first, at most kMaxRelatedDepth + 1 (enough to detect
// a chain that is too deep).
std::vector<Contract> ancestors(store::ContractRepository& contracts, const Contract& contract) {
  std::vector<Contract> out;
  auto parent_id = contract.parent_id;
  while (parent_id && static_cast<int>(out.size()) <= kMaxRelatedDepth) {
    auto parent = contracts.find(contract.org_id, *parent_id);
    if (!parent) break;
    parent_id = parent->parent_id;
    out.push_back(std::move(*parent));
  }
  return out;
}

}  // namespace

std::vector<FieldError> check_parent(store::Connection& conn, const Contract& contract) {
  if (!contract.parent_id) return {};
  store::ContractRepository contracts(conn);
  if (!contracts.find(contract.org_id, *contract.parent_id))
    return {{"parentId", "no such contract in your organization"}};
  const auto chain = ancestors(contracts, contract);
  for (const auto& ancestor : chain)
    if (ancestor.id == contract.id)
      return {{"parentId", "would make the contract its own ancestor"}};
  if (static_cast<int>(chain.size()) >= kMaxRelatedDepth)
    return {{"parentId", "related contracts nest at most " + std::to_string(kMaxRelatedDepth) +
                             " levels deep"}};
  return {};
}

RelatedTree related_tree(store::Connection& conn, const Contract& contract) {
  store::ContractRepository contracts(conn);
  const auto chain = ancestors(contracts, contract);
  const Contract root = chain.empty() ? contract : chain.back();
  RelatedTree tree;
  const std::function<void(const Contract&, int)> visit = [&](const Contract& node, int depth) {
    if (static_cast<int>(tree.nodes.size()) >= kMaxRelatedContracts) {
      tree.truncated = true;
      return;
    }
    tree.nodes.push_back({node, depth});
    if (depth >= kMaxRelatedDepth) return;
    const int room = kMaxRelatedContracts - static_cast<int>(tree.nodes.size()) + 1;
    for (const auto& child : contracts.children(node.org_id, node.id, room))
      visit(child, depth + 1);
  };
  visit(root, 0);
  return tree;
}

void apply_amendment(store::Connection& conn, const AuditActor& actor, const Contract& amendment) {
  if (!amendment.parent_id) return;
  store::ContractRepository contracts(conn);
  auto parent = contracts.find(amendment.org_id, *amendment.parent_id);
  if (!parent) return;
  const auto state = parse_contract_state(parent->status);
  bj::array terms;
  for (const auto& t : amendment.applies_to_parent) terms.push_back(bj::string(t));
  if (!state || !is_in_force(*state)) {
    store::record_audit(conn, actor, "amendment.not_applied", "contract", amendment.id,
                        bj::object{{"parentId", parent->id},
                                   {"parentStatus", parent->status},
                                   {"terms", terms},
                                   {"reason", "the parent contract is not in force"}});
    return;
  }
  const auto before = to_json(*parent);
  for (const auto& term : amendment.applies_to_parent) {
    if (term == "value") parent->value = amendment.value;
    if (term == "expirationDate") parent->expiration_date = amendment.expiration_date;
  }
  parent->updated_at = now_unix_ms();
  const auto expected = parent->version;
  if (!contracts.update(*parent, expected))
    throw Error{ErrorKind::precondition_failed,
                "The parent contract changed at the same time; retry."};
  store::record_audit(conn, actor, "contract.amended", "contract", parent->id,
                      bj::object{{"amendmentId", amendment.id},
                                 {"terms", terms},
                                 {"changes", diff_objects(before, to_json(*parent))}});
  store::record_audit(conn, actor, "amendment.applied", "contract", amendment.id,
                      bj::object{{"parentId", parent->id}, {"terms", terms}});
}

}  // namespace cm::workflow
