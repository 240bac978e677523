#pragma once
// The contract as the API shows it.

#include <boost/json/object.hpp>

#include "core/contract.hpp"

namespace cm::api {

// The stored fields plus the derived `noticeDeadline` and `daysToExpiry` (on today's UTC date).
boost::json::object contract_json(const Contract& contract);

}  // namespace cm::api
