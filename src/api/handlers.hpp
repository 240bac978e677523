// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Handlers per resource. Each class takes its dependencies once, in its constructor, and adds
// its routes to the router; src/api/routes.cpp lists them all in one table.

#include <atomic>
#include <functional>
#include <string>

#include "api/auth_cache.hpp"
#include "api/document_services.hpp"
#include "http/router.hpp"
#include "store/async_database.hpp"
#include "store/database.hpp"

namespace cm::obs {
class Logger;
class Metrics;
}  // namespace cm::obs

namespace cm::jobs {
class JobQueue;
}  // namespace cm::jobs

namespace cm::workflow {
class OrgCalendar;
}  // namespace cm::workflow

namespace cm::api {

struct ApiDependencies {
  store::Database& db;
  const obs::Logger& log;
  obs::Metrics& metrics;
  std::string jwt_secret;
  const std::atomic<bool>& draining;
  int expected_schema_version = 0;
  // Cleared by every handler that changes who may do what.
  AuthCache& auth_cache;
  // Organizations' "today"; invalidated when an organization's time zone changes.
  workflow::OrgCalendar& calendar;
  // Non-blocking queries for the hot read routes (PostgreSQL only); null: blocking paths only.
  store::AsyncDatabase* async_db = nullptr;
  DocumentServices documents;
  // Background jobs: a handler enqueues inside its transaction, e.g.
  //   deps.jobs->enqueue(tx, {.kind = "documents.extract_text", .payload = ..., .org_id = org});
  jobs::JobQueue* jobs = nullptr;
  // Session cookies carry Secure (false only in development, which may run on plain http).
  bool secure_cookies = true;
};

void add_setup_routes(http::Router& router, const ApiDependencies& deps);
void add_auth_routes(http::Router& router, const ApiDependencies& deps);
void add_user_routes(http::Router& router, const ApiDependencies& deps);
void add_organization_routes(http::Router& router, const ApiDependencies& deps);
void add_counterparty_routes(http::Router& router, const ApiDependencies& deps);
void add_contract_routes(http::Router& router, const ApiDependencies& deps);
void add_contract_export_routes(http::Router& router, const ApiDependencies& deps);
void add_view_routes(http::Router& router, const ApiDependencies& deps);
void add_document_routes(http::Router& router, const ApiDependencies& deps);
void add_collaboration_routes(http::Router& router, const ApiDependencies& deps);
void add_workflow_routes(http::Router& router, const ApiDependencies& deps);
void add_obligation_routes(http::Router& router, const ApiDependencies& deps);
void add_signature_routes(http::Router& router, const ApiDependencies& deps);
void add_renewal_routes(http::Router& router, const ApiDependencies& deps);
void add_report_routes(http::Router& router, const ApiDependencies& deps);
void add_audit_routes(http::Router& router, const ApiDependencies& deps);
void add_health_routes(http::Router& router, const ApiDependencies& deps);  // /health /ready
// /metrics: never on the public port (it describes the whole installation); see
// build_operations_router.
void add_metrics_route(http::Router& router, const ApiDependencies& deps);
void add_openapi_routes(http::Router& router);

// The whole route table of the public port.
http::Router build_router(const ApiDependencies& deps);
// The operations port (METRICS_PORT, WORKER_PORT): /health, /ready and /metrics only.
http::Router build_operations_router(const ApiDependencies& deps);

}  // namespace cm::api
