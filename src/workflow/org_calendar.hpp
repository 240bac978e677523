// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// "Today" for an organization: deadlines, expirations, reminders and SLAs are calendar dates of
// the organization's time zone (organizations.time_zone, an IANA name).
//
// OrgCalendar is one component per process, built by the composition root (src/app) and passed
// to the API handlers and the jobs. It caches, bounded and least recently used first out:
// - zones read from the system's zoneinfo (tzdata), by name (`zone_capacity`);
// - each organization's zone name, for `org_ttl` (30 s), so a change made on another replica
//   applies within that time; invalidate() makes it immediate in this process (`org_capacity`).
// The hot path (cached_today(), the by-id read) takes no shared lock: each thread keeps its own
// small copy (`thread_capacity` organizations) and checks it against the calendar's generation,
// which invalidate() bumps. A miss there takes the calendar's mutex once and refills the copy.
// All members are thread-safe.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "store/database.hpp"

namespace cm::workflow {

struct OrgCalendarOptions {
  std::size_t org_capacity = 10'000;
  std::size_t zone_capacity = 1'000;  // tzdata has about 600 names
  std::size_t thread_capacity = 64;
  std::chrono::milliseconds org_ttl{30'000};
  std::string zoneinfo_dir = "/usr/share/zoneinfo";  // Debian's tzdata package
};

class OrgCalendar {
 public:
  explicit OrgCalendar(OrgCalendarOptions options = {});
  OrgCalendar(const OrgCalendar&) = delete;
  OrgCalendar& operator=(const OrgCalendar&) = delete;

  // The calendar date at `now_ms` (unix ms) in the organization's time zone. An organization
  // whose zone cannot be loaded (tzdata removed since it was set) counts in UTC.
  CivilDate today(store::Connection& conn, std::string_view org_id, std::int64_t now_ms);
  // The same, taking a connection from `db` only when the zone is not cached. Call it before
  // opening a transaction (it must not wait for a second connection while holding one).
  CivilDate today(store::Database& db, std::string_view org_id, std::int64_t now_ms);
  // The organization's date when this process has its zone cached and fresh, nullopt otherwise:
  // for callers that cannot block on a query (the asynchronous read path fetches the zone name
  // with OrganizationRepository::time_zone_sql() and calls remember()).
  std::optional<CivilDate> cached_today(std::string_view org_id, std::int64_t now_ms);
  void remember(std::string_view org_id, std::string zone_name, std::int64_t now_ms);
  // Drops what this process knows of the organization's zone (after its settings change).
  void invalidate(std::string_view org_id);

  // The date at `now_ms` in the zone named `zone_name` (UTC when it cannot be loaded).
  CivilDate today_in(std::string_view zone_name, std::int64_t now_ms);
  // Loads an IANA zone (cached): validation error on field `field` for a malformed or unknown
  // name.
  Result<std::shared_ptr<const TimeZone>> load_zone(std::string_view name, std::string_view field);

  // What the shared caches hold now (tests, metrics).
  std::size_t cached_orgs() const;
  std::size_t cached_zones() const;

 private:
  struct OrgEntry {
    std::string org_id;
    std::string zone_name;
    std::shared_ptr<const TimeZone> zone;
    std::int64_t loaded_at = 0;
  };
  struct ZoneEntry {
    std::string name;
    std::shared_ptr<const TimeZone> zone;
  };
  Result<std::shared_ptr<const TimeZone>> read_zone(std::string_view name,
                                                    std::string_view field) const;
  std::shared_ptr<const TimeZone> zone_or_utc(std::string_view name);
  std::optional<OrgEntry> fresh_entry(std::string_view org_id, std::int64_t now_ms);

  const OrgCalendarOptions options_;
  const std::uint64_t id_;  // tells this calendar's per-thread copies from another's
  std::atomic<std::uint64_t> generation_{0};
  mutable std::mutex mutex_;
  // Most recently used first; the maps point into the lists.
  std::list<OrgEntry> orgs_;
  std::unordered_map<std::string_view, std::list<OrgEntry>::iterator> org_index_;
  std::list<ZoneEntry> zones_;
  std::unordered_map<std::string_view, std::list<ZoneEntry>::iterator> zone_index_;
};

}  // namespace cm::workflow
