// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A short-lived, in-process cache of authentication results, so a request does not re-read the
// user (or API key) row on every call. Any security-relevant change made through this process
// (deactivation, role change, logout, password change, key revocation, refresh-token reuse)
// clears it at once; other processes see such a change within the TTL (AUTH_CACHE_TTL_MS,
// default 1 s; 0 disables caching).
//
// A lookup remembers the cache generation it started in; a result computed before an
// invalidation is never stored after it.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/principal.hpp"

namespace cm::api {

class AuthCache {
 public:
  explicit AuthCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

  bool enabled() const noexcept { return ttl_.count() > 0; }
  std::chrono::milliseconds ttl() const noexcept { return ttl_; }
  std::uint64_t generation() const;
  std::optional<Principal> find(const std::string& key) const;
  void store(const std::string& key, const Principal& principal, std::uint64_t generation);
  void invalidate_all();

 private:
  static constexpr std::size_t kMaxEntries = 100'000;
  struct Entry {
    Principal principal;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::milliseconds ttl_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cm::api
