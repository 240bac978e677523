// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/contract_json.hpp"

#include <boost/json.hpp>

#include "core/lifecycle.hpp"

namespace cm::api {

namespace bj = boost::json;

bj::object contract_json(const Contract& contract, const CivilDate& today) {
  auto out = to_json(contract);
  const auto derived = derived_dates(contract, today);
  out["noticeDeadline"] = derived.notice_deadline
                              ? bj::value(bj::string(format_date(*derived.notice_deadline)))
                              : bj::value(nullptr);
  out["daysToExpiry"] =
      derived.days_to_expiry ? bj::value(*derived.days_to_expiry) : bj::value(nullptr);
  return out;
}

}  // namespace cm::api
