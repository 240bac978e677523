// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The contract as the API shows it.

#include <boost/json/object.hpp>

#include "core/contract.hpp"
#include "core/principal.hpp"
#include "core/time.hpp"

namespace cm::api {

// The stored fields plus the derived `noticeDeadline` and `daysToExpiry` on `today` (a date of
// the organization's time zone: workflow::OrgCalendar::today) and the `allowedActions` of
// `caller` (core/contract_actions.hpp).
boost::json::object contract_json(const Contract& contract, const CivilDate& today,
                                  const Principal& caller);

}  // namespace cm::api
