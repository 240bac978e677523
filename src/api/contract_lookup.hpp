// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Finding the caller's contract named in a request.

#include <string>

#include "core/contract.hpp"
#include "core/principal.hpp"
#include "store/database.hpp"

namespace cm::api {

// The caller's organization's contract `id`; 404 otherwise (other organizations' too).
Contract require_contract(store::Connection& conn, const Principal& p, const std::string& id);

}  // namespace cm::api
