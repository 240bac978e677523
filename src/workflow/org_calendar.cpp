#include "workflow/org_calendar.hpp"

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <vector>

#include "store/organization_repository.hpp"

namespace cm::workflow {

namespace {

constexpr std::int64_t kOrgZoneTtlMs = 30'000;
constexpr std::size_t kMaxZoneFileBytes = 1 << 20;

struct CachedOrgZone {
  std::string zone_name;
  std::int64_t loaded_at = 0;
};

std::mutex& cache_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>>& zones() {
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> z;
  return z;
}
std::map<std::string, CachedOrgZone, std::less<>>& org_zones() {
  static std::map<std::string, CachedOrgZone, std::less<>> z;
  return z;
}

// Bumped when an organization's zone is forgotten: every thread's copy is stale then.
std::atomic<std::uint64_t> g_generation{0};

// Each thread's copy of the zones it used, so the hot read path takes no lock and shares no
// reference count with other threads.
struct ThreadZone {
  std::string org_id;
  std::uint64_t generation = 0;
  std::int64_t loaded_at = 0;
  std::shared_ptr<const TimeZone> zone;
};
constexpr std::size_t kMaxThreadZones = 64;
thread_local std::vector<ThreadZone> t_zones;

std::optional<CachedOrgZone> cached_entry(std::string_view org_id, std::int64_t now_ms) {
  std::lock_guard lock(cache_mutex());
  auto it = org_zones().find(org_id);
  if (it == org_zones().end() || now_ms - it->second.loaded_at >= kOrgZoneTtlMs)
    return std::nullopt;
  return it->second;
}

// Debian's tzdata package.
constexpr const char* kZoneinfoDir = "/usr/share/zoneinfo";

Result<std::shared_ptr<const TimeZone>> read_zone(std::string_view name, std::string_view field) {
  const auto unknown = [&] {
    return validation_failed({{std::string(field),
                               "must be an IANA time zone name such as "
                               "\"Europe/Berlin\" or \"UTC\""}});
  };
  if (name == "UTC") return std::make_shared<const TimeZone>(TimeZone::utc());
  if (!is_valid_zone_name(name)) return unknown();
  std::ifstream in(std::string(kZoneinfoDir) + "/" + std::string(name), std::ios::binary);
  if (!in) return unknown();
  std::string bytes(kMaxZoneFileBytes, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  auto zone = TimeZone::from_tzif(name, bytes);
  if (!zone) return unknown();
  return std::make_shared<const TimeZone>(std::move(*zone));
}

}  // namespace

Result<std::shared_ptr<const TimeZone>> load_zone(std::string_view name, std::string_view field) {
  {
    std::lock_guard lock(cache_mutex());
    if (auto it = zones().find(name); it != zones().end()) return it->second;
  }
  auto zone = read_zone(name, field);
  if (!zone) return zone;
  std::lock_guard lock(cache_mutex());
  zones().emplace(std::string(name), *zone);
  return zone;
}

CivilDate today_in(std::string_view zone_name, std::int64_t now_ms) {
  const auto zone = load_zone(zone_name, "timeZone");
  return zone ? date_in(**zone, now_ms) : date_of(now_ms);
}

std::optional<std::string> cached_org_zone(std::string_view org_id, std::int64_t now_ms) {
  auto entry = cached_entry(org_id, now_ms);
  if (!entry) return std::nullopt;
  return std::move(entry->zone_name);
}

std::optional<CivilDate> cached_org_today(std::string_view org_id, std::int64_t now_ms) {
  const auto generation = g_generation.load(std::memory_order_acquire);
  for (const auto& t : t_zones)
    if (t.org_id == org_id && t.generation == generation && now_ms - t.loaded_at < kOrgZoneTtlMs)
      return date_in(*t.zone, now_ms);
  const auto entry = cached_entry(org_id, now_ms);
  if (!entry) return std::nullopt;
  auto zone = load_zone(entry->zone_name, "timeZone");
  if (!zone) return date_of(now_ms);
  std::erase_if(t_zones, [&](const ThreadZone& t) { return t.org_id == org_id; });
  if (t_zones.size() >= kMaxThreadZones) t_zones.erase(t_zones.begin());
  t_zones.push_back({std::string(org_id), generation, entry->loaded_at, *zone});
  return date_in(**zone, now_ms);
}

void remember_org_zone(std::string_view org_id, std::string zone_name, std::int64_t now_ms) {
  std::lock_guard lock(cache_mutex());
  org_zones()[std::string(org_id)] = {std::move(zone_name), now_ms};
}

CivilDate org_today(store::Connection& conn, std::string_view org_id, std::int64_t now_ms) {
  if (const auto today = cached_org_today(org_id, now_ms)) return *today;
  const auto org = store::OrganizationRepository(conn).find_by_id(org_id);
  std::string zone_name = org ? org->time_zone : "UTC";
  const auto today = today_in(zone_name, now_ms);
  remember_org_zone(org_id, std::move(zone_name), now_ms);
  return today;
}

CivilDate org_today(store::Database& db, std::string_view org_id, std::int64_t now_ms) {
  if (const auto today = cached_org_today(org_id, now_ms)) return *today;
  auto lease = db.acquire();
  return org_today(*lease, org_id, now_ms);
}

void forget_org_zone(std::string_view org_id) {
  g_generation.fetch_add(1, std::memory_order_release);
  std::lock_guard lock(cache_mutex());
  if (auto it = org_zones().find(org_id); it != org_zones().end()) org_zones().erase(it);
}

}  // namespace cm::workflow
