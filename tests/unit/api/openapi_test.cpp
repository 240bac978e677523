// SPDX-License-Identifier: AGPL-3.0-or-later
// The OpenAPI document and the route table are kept by hand in two places (src/api/openapi.cpp,
// src/api/routes.cpp): this fails when they disagree.

#include "api/openapi.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>

#include "api/auth_cache.hpp"
#include "api/handlers.hpp"
#include "blob/content_store.hpp"
#include "blob/local_blob_store.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"
#include "store/database.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::api {
namespace {

using Operation = std::pair<std::string, std::string>;

// The real route table, with every optional part present (documents and signatures need a
// content store) so every route is registered.
std::set<Operation> routed_operations() {
  auto db = store::open_database({.url = "sqlite::memory:"});
  obs::Logger log(obs::LogLevel::off);
  obs::Metrics metrics;
  std::atomic<bool> draining{false};
  AuthCache cache(std::chrono::milliseconds(0));
  blob::LocalBlobStore blobs(std::filesystem::path(::testing::TempDir()) / "openapi-test-blobs");
  blob::ContentStore content(blobs, nullptr);
  DocumentServices documents;
  documents.content = &content;
  workflow::OrgCalendar calendar;
  const ApiDependencies deps{*db,      log,       metrics, "a-test-secret-of-at-least-32-bytes!!",
                             draining, 0,         cache,   calendar,
                             nullptr,  documents, nullptr};
  const auto router = build_router(deps);
  std::set<Operation> out;
  for (const auto& route : router.routes()) out.emplace(route.method, route.pattern);
  return out;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryOperationRouted) {
  const auto routed = routed_operations();
  ASSERT_GE(routed.size(), 25u) << "the route table was not built";
  std::set<Operation> documented;
  for (const auto& op : openapi_operations()) {
    EXPECT_TRUE(documented.insert(op).second)
        << op.first << " " << op.second << " is documented twice";
  }
  for (const auto& op : routed)
    EXPECT_TRUE(documented.count(op)) << op.first << " " << op.second
                                      << " is routed (src/api/routes.cpp) but not in the OpenAPI "
                                         "operations (src/api/openapi.cpp)";
  for (const auto& op : documented)
    EXPECT_TRUE(routed.count(op)) << op.first << " " << op.second
                                  << " is in the OpenAPI operations but no route serves it";
}

}  // namespace
}  // namespace cm::api
