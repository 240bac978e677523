// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/contract_json.hpp"

#include <boost/json.hpp>

#include "core/contract_actions.hpp"
#include "core/lifecycle.hpp"

namespace cm::api {

namespace bj = boost::json;

bj::object contract_json(const Contract& contract, const CivilDate& today,
                         const Principal& caller) {
  auto out = to_json(contract);
  const auto derived = derived_dates(contract, today);
  out["noticeDeadline"] = derived.notice_deadline
                              ? bj::value(bj::string(format_date(*derived.notice_deadline)))
                              : bj::value(nullptr);
  out["daysToExpiry"] =
      derived.days_to_expiry ? bj::value(*derived.days_to_expiry) : bj::value(nullptr);
  bj::array actions;
  for (const auto action : allowed_contract_actions(contract, caller))
    actions.emplace_back(bj::string(action));
  out["allowedActions"] = std::move(actions);
  return out;
}

}  // namespace cm::api
