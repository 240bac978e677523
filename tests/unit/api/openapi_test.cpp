// SPDX-License-Identifier: AGPL-3.0-or-later
// The OpenAPI document is derived from the route table (src/api/routes.cpp) and described by
// the operation table and schemas of src/api/openapi*.cpp: this fails when a route has no
// description, a description no route, or a reference points nowhere.

#include "api/openapi.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "api/auth_cache.hpp"
#include "api/handlers.hpp"
#include "core/json.hpp"
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
http::Router full_router() {
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
  return build_router(deps);
}

std::set<Operation> routed_operations() {
  const auto router = full_router();
  std::set<Operation> out;
  for (const auto& route : router.routes()) out.emplace(route.method, route.pattern);
  return out;
}

boost::json::object served_document() {
  const auto router = full_router();
  for (const auto& route : router.routes())
    if (route.pattern == "/api/openapi.json") {
      http::Request request;
      return boost::json::parse(route.handler(request).body).as_object();
    }
  ADD_FAILURE() << "no /api/openapi.json route";
  return {};
}

void collect_refs(const boost::json::value& v, std::set<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [key, value] : v.as_object()) {
      if (key == "$ref" && value.is_string()) out.insert(std::string(value.as_string()));
      collect_refs(value, out);
    }
  } else if (v.is_array()) {
    for (const auto& item : v.as_array()) collect_refs(item, out);
  }
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

TEST(OpenApi, EveryOperationHasAUniqueIdAndEveryReferenceResolves) {
  const auto doc = served_document();
  std::set<std::string> ids;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, operation] : item.as_object()) {
      const auto& op = operation.as_object();
      ASSERT_TRUE(op.contains("operationId")) << method << " " << path;
      EXPECT_TRUE(ids.insert(std::string(op.at("operationId").as_string())).second)
          << "operationId " << op.at("operationId") << " twice";
      bool has_4xx = false;
      for (const auto& [status, response] : op.at("responses").as_object())
        has_4xx = has_4xx || status.starts_with("4");
      EXPECT_TRUE(has_4xx) << method << " " << path << " describes no 4xx problem";
    }
  std::set<std::string> refs;
  collect_refs(doc, refs);
  const auto& schemas = doc.at("components").at("schemas").as_object();
  for (const auto& ref : refs) {
    const std::string prefix = "#/components/schemas/";
    ASSERT_TRUE(ref.starts_with(prefix)) << ref;
    EXPECT_TRUE(schemas.contains(ref.substr(prefix.size()))) << ref << " points nowhere";
  }
}

}  // namespace
}  // namespace cm::api
