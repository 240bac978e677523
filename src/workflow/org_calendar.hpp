#pragma once
// "Today" for an organization: deadlines, expirations, reminders and SLAs are calendar dates of
// the organization's time zone (organizations.time_zone, an IANA name).
//
// Zones are read from the system's zoneinfo (tzdata) once per name and kept; an organization's
// zone name is cached for 30 s per process, so a change made on another replica applies within
// that time (forget_org_zone makes it immediate in this process).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "store/database.hpp"

namespace cm::workflow {

// The calendar date at `now_ms` (unix ms) in the organization's time zone. An organization whose
// zone cannot be loaded (tzdata removed since it was set) counts in UTC.
CivilDate org_today(store::Connection& conn, std::string_view org_id, std::int64_t now_ms);

// The same, taking a connection from `db` only when the zone is not cached. Call it before
// opening a transaction (it must not wait for a second connection while holding one).
CivilDate org_today(store::Database& db, std::string_view org_id, std::int64_t now_ms);

// The date at `now_ms` in the zone named `zone_name` (UTC when it cannot be loaded).
CivilDate today_in(std::string_view zone_name, std::int64_t now_ms);

// Loads an IANA zone from /usr/share/zoneinfo (Debian's tzdata):
// validation error on field `field` for a malformed or unknown name.
Result<std::shared_ptr<const TimeZone>> load_zone(std::string_view name, std::string_view field);

// The organization's zone name when this process has it cached and fresh, for callers that
// cannot block on a query (the asynchronous read path fetches it and calls remember_org_zone).
std::optional<std::string> cached_org_zone(std::string_view org_id, std::int64_t now_ms);
void remember_org_zone(std::string_view org_id, std::string zone_name, std::int64_t now_ms);
// The organization's date from this thread's copy of its cached zone, without locks (the hot
// read path); nullopt when the process has not cached it.
std::optional<CivilDate> cached_org_today(std::string_view org_id, std::int64_t now_ms);

// Drops the cached zone name of an organization (after its settings change).
void forget_org_zone(std::string_view org_id);

}  // namespace cm::workflow
