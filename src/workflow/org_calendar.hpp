#pragma once
// "Today" for an organization: deadlines, expirations, reminders and SLAs are calendar dates of
// the organization's time zone.

#include <cstdint>
#include <string_view>

#include "core/time.hpp"
#include "store/database.hpp"

namespace cm::workflow {

// The calendar date at `now_ms` (unix ms) in the organization's time zone.
CivilDate org_today(store::Connection& conn, std::string_view org_id, std::int64_t now_ms);

}  // namespace cm::workflow
