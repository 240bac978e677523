// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/auth_cache.hpp"

namespace cm::api {

std::uint64_t AuthCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::optional<Principal> AuthCache::find(const std::string& key) const {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires <= std::chrono::steady_clock::now())
    return std::nullopt;
  return it->second.principal;
}

void AuthCache::store(const std::string& key, const Principal& principal,
                      std::uint64_t generation) {
  if (!enabled()) return;
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;  // computed before an invalidation: may be stale
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[key] = Entry{principal, std::chrono::steady_clock::now() + ttl_};
}

void AuthCache::invalidate_all() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

}  // namespace cm::api
