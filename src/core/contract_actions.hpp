// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What a caller may do with a contract right now, for clients that offer only the actions that
// will succeed (the web UI shows exactly these buttons). Computed from the same permission and
// lifecycle rules the handlers enforce (core/permissions.hpp, core/lifecycle.hpp); a listed
// action can still fail on data the contract alone does not show (a draft with documents cannot
// be deleted, a signature request needs a main document), and the API then answers 409 as usual.

#include <string_view>
#include <vector>

#include "core/contract.hpp"
#include "core/principal.hpp"

namespace cm {

// The API names of the actions, in the order they are reported.
inline constexpr std::string_view kContractActions[] = {
    "update",           "delete",  "submit",       "returnToDraft", "cancel",
    "sendForSignature", "renew",   "terminate",    "archive",       "uploadDocument",
    "addObligation",    "comment", "setLegalHold",
};

// The subset of kContractActions that `principal` may take on `contract` now, in that order.
std::vector<std::string_view> allowed_contract_actions(const Contract& contract,
                                                       const Principal& principal);

}  // namespace cm
