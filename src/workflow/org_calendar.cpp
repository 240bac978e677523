#include "workflow/org_calendar.hpp"

#include <fstream>
#include <map>
#include <mutex>

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
  std::lock_guard lock(cache_mutex());
  auto it = org_zones().find(org_id);
  if (it == org_zones().end() || now_ms - it->second.loaded_at >= kOrgZoneTtlMs)
    return std::nullopt;
  return it->second.zone_name;
}

void remember_org_zone(std::string_view org_id, std::string zone_name, std::int64_t now_ms) {
  std::lock_guard lock(cache_mutex());
  org_zones()[std::string(org_id)] = {std::move(zone_name), now_ms};
}

CivilDate org_today(store::Connection& conn, std::string_view org_id, std::int64_t now_ms) {
  auto zone_name = cached_org_zone(org_id, now_ms);
  if (!zone_name) {
    const auto org = store::OrganizationRepository(conn).find_by_id(org_id);
    zone_name = org ? org->time_zone : "UTC";
    remember_org_zone(org_id, *zone_name, now_ms);
  }
  return today_in(*zone_name, now_ms);
}

CivilDate org_today(store::Database& db, std::string_view org_id, std::int64_t now_ms) {
  if (auto zone_name = cached_org_zone(org_id, now_ms)) return today_in(*zone_name, now_ms);
  auto lease = db.acquire();
  return org_today(*lease, org_id, now_ms);
}

void forget_org_zone(std::string_view org_id) {
  std::lock_guard lock(cache_mutex());
  if (auto it = org_zones().find(org_id); it != org_zones().end()) org_zones().erase(it);
}

}  // namespace cm::workflow
