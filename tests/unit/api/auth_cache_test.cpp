// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/auth_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace {

using cm::api::AuthCache;
using namespace std::chrono_literals;

cm::Principal admin() {
  cm::Principal p;
  p.org_id = "org";
  p.actor_id = p.user_id = "user";
  p.role = cm::Role::admin;
  return p;
}

TEST(AuthCache, RemembersAResultUntilItsTtlRunsOut) {
  AuthCache cache(50ms);
  cache.store("k", admin(), cache.generation());
  ASSERT_TRUE(cache.find("k").has_value());
  EXPECT_EQ(cache.find("k")->role, cm::Role::admin);
  std::this_thread::sleep_for(70ms);
  EXPECT_FALSE(cache.find("k").has_value());
}

TEST(AuthCache, InvalidationForgetsEverything) {
  AuthCache cache(10s);
  cache.store("a", admin(), cache.generation());
  cache.store("b", admin(), cache.generation());
  cache.invalidate_all();
  EXPECT_FALSE(cache.find("a").has_value());
  EXPECT_FALSE(cache.find("b").has_value());
}

// A lookup that read the database before a deactivation committed must not repopulate the
// cache after the invalidation that followed it.
TEST(AuthCache, AResultFromBeforeAnInvalidationIsNotStored) {
  AuthCache cache(10s);
  const auto generation = cache.generation();  // lookup starts
  cache.invalidate_all();                      // a deactivation commits meanwhile
  cache.store("k", admin(), generation);       // the stale lookup finishes
  EXPECT_FALSE(cache.find("k").has_value());
}

TEST(AuthCache, ZeroTtlDisablesCaching) {
  AuthCache cache(0ms);
  EXPECT_FALSE(cache.enabled());
  cache.store("k", admin(), cache.generation());
  EXPECT_FALSE(cache.find("k").has_value());
}

}  // namespace
