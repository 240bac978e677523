// SPDX-License-Identifier: AGPL-3.0-or-later
#include "workflow/org_calendar.hpp"

#include <fstream>
#include <vector>

#include "store/organization_repository.hpp"

namespace cm::workflow {

namespace {

constexpr std::size_t kMaxZoneFileBytes = 1 << 20;

// Each thread's copy of the organizations' zones it used, so that the hot read path takes no
// lock and shares no reference count with other threads. Entries name the calendar they were
// copied from (ids are never reused) and its generation then; at most `thread_capacity` of them,
// the oldest copied dropped first.
struct ThreadZone {
  std::uint64_t calendar_id = 0;
  std::uint64_t generation = 0;
  std::string org_id;
  std::int64_t loaded_at = 0;
  std::shared_ptr<const TimeZone> zone;
};
thread_local std::vector<ThreadZone> t_zones;

std::atomic<std::uint64_t> g_next_calendar_id{1};

std::shared_ptr<const TimeZone> utc_zone() {
  static const auto utc = std::make_shared<const TimeZone>(TimeZone::utc());
  return utc;
}

// Moves a list element to the front (most recently used).
template <typename List>
void touch(List& list, typename List::iterator it) {
  list.splice(list.begin(), list, it);
}

}  // namespace

OrgCalendar::OrgCalendar(OrgCalendarOptions options)
    : options_(std::move(options)), id_(g_next_calendar_id.fetch_add(1)) {}

Result<std::shared_ptr<const TimeZone>> OrgCalendar::read_zone(std::string_view name,
                                                               std::string_view field) const {
  const auto unknown = [&] {
    return validation_failed({{std::string(field),
                               "must be an IANA time zone name such as "
                               "\"Europe/Berlin\" or \"UTC\""}});
  };
  if (name == "UTC") return utc_zone();
  if (!is_valid_zone_name(name)) return unknown();
  std::ifstream in(options_.zoneinfo_dir + "/" + std::string(name), std::ios::binary);
  if (!in) return unknown();
  std::string bytes(kMaxZoneFileBytes, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  auto zone = TimeZone::from_tzif(name, bytes);
  if (!zone) return unknown();
  return std::make_shared<const TimeZone>(std::move(*zone));
}

Result<std::shared_ptr<const TimeZone>> OrgCalendar::load_zone(std::string_view name,
                                                               std::string_view field) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = zone_index_.find(name); it != zone_index_.end()) {
      touch(zones_, it->second);
      return it->second->zone;
    }
  }
  // Read outside the lock: a file read must not hold up every other thread's miss.
  auto zone = read_zone(name, field);
  if (!zone) return zone;
  std::lock_guard lock(mutex_);
  if (auto it = zone_index_.find(name); it != zone_index_.end()) {
    touch(zones_, it->second);  // another thread read it meanwhile
    return it->second->zone;
  }
  zones_.push_front({std::string(name), *zone});
  zone_index_.emplace(zones_.front().name, zones_.begin());
  while (zones_.size() > options_.zone_capacity) {
    zone_index_.erase(zones_.back().name);
    zones_.pop_back();
  }
  return zone;
}

std::shared_ptr<const TimeZone> OrgCalendar::zone_or_utc(std::string_view name) {
  auto zone = load_zone(name, "timeZone");
  return zone ? *zone : utc_zone();
}

CivilDate OrgCalendar::today_in(std::string_view zone_name, std::int64_t now_ms) {
  return date_in(*zone_or_utc(zone_name), now_ms);
}

std::optional<OrgCalendar::OrgEntry> OrgCalendar::fresh_entry(std::string_view org_id,
                                                              std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = org_index_.find(org_id);
  if (it == org_index_.end()) return std::nullopt;
  if (now_ms - it->second->loaded_at >= options_.org_ttl.count()) return std::nullopt;
  touch(orgs_, it->second);
  return *it->second;
}

std::optional<CivilDate> OrgCalendar::cached_today(std::string_view org_id, std::int64_t now_ms) {
  const auto generation = generation_.load(std::memory_order_acquire);
  const auto ttl = options_.org_ttl.count();
  for (const auto& t : t_zones)
    if (t.calendar_id == id_ && t.org_id == org_id && t.generation == generation &&
        now_ms - t.loaded_at < ttl)
      return date_in(*t.zone, now_ms);
  auto entry = fresh_entry(org_id, now_ms);
  if (!entry) return std::nullopt;
  std::erase_if(t_zones,
                [&](const ThreadZone& t) { return t.calendar_id == id_ && t.org_id == org_id; });
  if (options_.thread_capacity > 0) {
    while (t_zones.size() >= options_.thread_capacity) t_zones.erase(t_zones.begin());
    t_zones.push_back({id_, generation, std::move(entry->org_id), entry->loaded_at, entry->zone});
  }
  return date_in(*entry->zone, now_ms);
}

void OrgCalendar::remember(std::string_view org_id, std::string zone_name, std::int64_t now_ms) {
  auto zone = zone_or_utc(zone_name);
  std::lock_guard lock(mutex_);
  if (auto it = org_index_.find(org_id); it != org_index_.end()) {
    it->second->zone_name = std::move(zone_name);
    it->second->zone = std::move(zone);
    it->second->loaded_at = now_ms;
    touch(orgs_, it->second);
    return;
  }
  orgs_.push_front({std::string(org_id), std::move(zone_name), std::move(zone), now_ms});
  org_index_.emplace(orgs_.front().org_id, orgs_.begin());
  while (orgs_.size() > options_.org_capacity) {
    org_index_.erase(orgs_.back().org_id);
    orgs_.pop_back();
  }
}

void OrgCalendar::invalidate(std::string_view org_id) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = org_index_.find(org_id); it != org_index_.end()) {
      const auto entry = it->second;
      org_index_.erase(it);
      orgs_.erase(entry);
    }
  }
  // After the erase: a thread that sees the new generation finds no stale shared entry.
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

CivilDate OrgCalendar::today(store::Connection& conn, std::string_view org_id,
                             std::int64_t now_ms) {
  if (const auto today = cached_today(org_id, now_ms)) return *today;
  std::string zone_name =
      store::OrganizationRepository(conn).find_time_zone(org_id).value_or("UTC");
  const auto today = today_in(zone_name, now_ms);
  remember(org_id, std::move(zone_name), now_ms);
  return today;
}

CivilDate OrgCalendar::today(store::Database& db, std::string_view org_id, std::int64_t now_ms) {
  if (const auto today = cached_today(org_id, now_ms)) return *today;
  auto lease = db.acquire();
  return today(*lease, org_id, now_ms);
}

std::size_t OrgCalendar::cached_orgs() const {
  std::lock_guard lock(mutex_);
  return orgs_.size();
}

std::size_t OrgCalendar::cached_zones() const {
  std::lock_guard lock(mutex_);
  return zones_.size();
}

}  // namespace cm::workflow
