// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/contract_lookup.hpp"

#include "core/error.hpp"
#include "store/contract_repository.hpp"

namespace cm::api {

Contract require_contract(store::Connection& conn, const Principal& p, const std::string& id) {
  auto contract = store::ContractRepository(conn).find(p.org_id, id);
  if (!contract) throw not_found("contract");
  return std::move(*contract);
}

}  // namespace cm::api
