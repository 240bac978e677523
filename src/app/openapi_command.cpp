// SPDX-License-Identifier: AGPL-3.0-or-later
// `contractmgmt openapi`: the OpenAPI description the server serves at /api/openapi.json,
// printed without a server or a configuration (for generating clients, e.g. web/'s API types,
// and for linting it in CI). The route table is built over an in-memory database with every
// optional part present, so the document lists every route a full installation serves.

#include <atomic>
#include <boost/json.hpp>
#include <iostream>

#include "api/auth_cache.hpp"
#include "api/handlers.hpp"
#include "app/commands.hpp"
#include "blob/content_store.hpp"
#include "blob/local_blob_store.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"
#include "store/database.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::app {

int openapi_command() {
  auto db = store::open_database({.url = "sqlite::memory:"});
  obs::Logger log(obs::LogLevel::off);
  obs::Metrics metrics;
  std::atomic<bool> draining{false};
  api::AuthCache cache(std::chrono::milliseconds(0));
  blob::LocalBlobStore blobs("/nonexistent");  // never written: no request is served
  blob::ContentStore content(blobs, nullptr);
  api::DocumentServices documents;
  documents.content = &content;
  workflow::OrgCalendar calendar;
  const api::ApiDependencies deps{*db,      log,       metrics, "unused-secret-of-at-least-32-bytes",
                                  draining, 0,         cache,   calendar,
                                  nullptr,  documents, nullptr};
  const auto router = api::build_router(deps);
  for (const auto& route : router.routes()) {
    if (route.method != "GET" || route.pattern != "/api/openapi.json") continue;
    http::Request request;
    std::cout << route.handler(request).body << "\n";
    return 0;
  }
  std::cerr << "contractmgmt: the route table has no /api/openapi.json\n";
  return 1;
}

}  // namespace cm::app
