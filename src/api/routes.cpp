// SPDX-License-Identifier: AGPL-3.0-or-later
// The route table: a table of contents of the API, read top to bottom.

#include "api/handlers.hpp"

namespace cm::api {

http::Router build_router(const ApiDependencies& deps) {
  http::Router router;
  add_health_routes(router, deps);         // /health /ready
  add_setup_routes(router, deps);          // /api/v1/setup (first run)
  add_auth_routes(router, deps);           // /api/v1/auth/* /api/v1/me
  add_organization_routes(router, deps);   // /api/v1/organization
  add_user_routes(router, deps);           // /api/v1/users /api/v1/api-keys
  add_counterparty_routes(router, deps);   // /api/v1/counterparties
  add_contract_routes(router, deps);       // /api/v1/contracts
  add_contract_export_routes(router, deps);  // /api/v1/contracts/export (CSV)
  add_view_routes(router, deps);           // /api/v1/views (saved contract filters)
  add_document_routes(router, deps);       // /api/v1/contracts/{id}/documents
  add_collaboration_routes(router, deps);  // .../comments .../watchers /api/v1/notifications
  add_workflow_routes(router, deps);       // .../transitions .../history .../approval
                                           // /api/v1/approval-policies /api/v1/approvals
                                           // /api/v1/me/delegations
  add_obligation_routes(router, deps);     // .../obligations /api/v1/obligations
  add_signature_routes(router, deps);      // .../signature-requests /sign/{token}
  add_renewal_routes(router, deps);        // /api/v1/renewals .../renew .../terminate .../related
  add_report_routes(router, deps);         // /api/v1/reports/summary
  add_audit_routes(router, deps);          // /api/v1/audit
  add_openapi_routes(router);              // /api/openapi.json, described from all of the above
  return router;
}

http::Router build_operations_router(const ApiDependencies& deps) {
  http::Router router;
  add_health_routes(router, deps);  // /health /ready
  add_metrics_route(router, deps);  // /metrics
  return router;
}

}  // namespace cm::api
