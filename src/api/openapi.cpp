// SPDX-License-Identifier: AGPL-3.0-or-later
// The OpenAPI 3.1 description served at /api/openapi.json, derived from the route table: its
// paths are the router's routes (a route without an operation here stops the server at start,
// and tests/unit/api/openapi_test.cpp fails), described by the table below and the schemas of
// src/api/openapi_schemas.cpp.

#include "api/openapi.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "core/strings.hpp"

namespace cm::api {

namespace {

struct Operation {
  const char* method;
  const char* path;
  const char* operation_id;
  const char* summary;
  const char* tag;
  // A schema name ("Name?" when the body is optional), "upload", or none.
  const char* request = nullptr;
  // What a success returns: a schema name; "list:Name" ({items, nextCursor}); "items:Name"
  // ({items}); "binary" (a document's bytes); "text" (text/plain); "json" (any object);
  // "signing" (JSON or the HTML page, by Accept); none for 204.
  const char* response = nullptr;
  const char* statuses = "200";  // success statuses, space-separated
  // Problem statuses beyond those every such operation may answer (see error_statuses).
  const char* errors = "";
  bool authenticated = true;
};

// One line per route, in the order of src/api/routes.cpp.
constexpr Operation kOperations[] = {
    {.method = "get", .path = "/health", .operation_id = "getHealth", .summary = "Liveness: the process runs", .tag = "operations", .response = "Health", .statuses = "200", .authenticated = false},
    {.method = "get", .path = "/ready", .operation_id = "getReadiness", .summary = "Readiness: database reachable, schema current, not draining", .tag = "operations", .response = "Readiness", .statuses = "200 503", .authenticated = false},
    {.method = "get", .path = "/api/openapi.json", .operation_id = "getOpenApiDocument", .summary = "This document", .tag = "operations", .response = "json", .statuses = "200", .authenticated = false},
    {.method = "post", .path = "/api/v1/setup", .operation_id = "completeSetup", .summary = "First run: create the organization and its first administrator with the setup token that serve prints (404 without it, 409 once any user exists)", .tag = "auth", .request = "SetupInput", .response = "SetupResult", .statuses = "201", .errors = "404 409", .authenticated = false},
    {.method = "post", .path = "/api/v1/auth/login", .operation_id = "logIn", .summary = "Log in with email and password", .tag = "auth", .request = "LoginRequest", .response = "TokenPair", .statuses = "200", .errors = "429", .authenticated = false},
    {.method = "post", .path = "/api/v1/auth/refresh", .operation_id = "refreshSession", .summary = "Exchange a refresh token for a new token pair (rotation)", .tag = "auth", .request = "RefreshRequest?", .response = "TokenPair", .statuses = "200", .authenticated = false},
    {.method = "post", .path = "/api/v1/auth/logout", .operation_id = "logOut", .summary = "End the session (with everywhere: every session of the account)", .tag = "auth", .request = "LogoutRequest?", .statuses = "204"},
    {.method = "get", .path = "/api/v1/me", .operation_id = "getMe", .summary = "The caller's account and organization", .tag = "auth", .response = "Me", .statuses = "200"},
    {.method = "post", .path = "/api/v1/me/password", .operation_id = "changePassword", .summary = "Change the caller's password", .tag = "auth", .request = "PasswordChange", .statuses = "204", .errors = "409"},
    {.method = "get", .path = "/api/v1/organization", .operation_id = "getOrganization", .summary = "The caller's organization", .tag = "organization", .response = "Organization", .statuses = "200"},
    {.method = "patch", .path = "/api/v1/organization", .operation_id = "updateOrganization", .summary = "Change organization settings (admins)", .tag = "organization", .request = "OrganizationUpdate", .response = "Organization", .statuses = "200"},
    {.method = "get", .path = "/api/v1/users", .operation_id = "listUsers", .summary = "List the organization's users (every member: the directory that names owners, approvers and mentions)", .tag = "users", .response = "list:User", .statuses = "200"},
    {.method = "post", .path = "/api/v1/users", .operation_id = "createUser", .summary = "Create a user (admins)", .tag = "users", .request = "UserCreate", .response = "User", .statuses = "201", .errors = "409"},
    {.method = "get", .path = "/api/v1/users/{id}", .operation_id = "getUser", .summary = "Get a user", .tag = "users", .response = "User", .statuses = "200"},
    {.method = "patch", .path = "/api/v1/users/{id}", .operation_id = "updateUser", .summary = "Change role or name, deactivate (admins)", .tag = "users", .request = "UserUpdate", .response = "User", .statuses = "200", .errors = "409 412"},
    {.method = "get", .path = "/api/v1/api-keys", .operation_id = "listApiKeys", .summary = "List API keys (admins)", .tag = "users", .response = "list:ApiKey", .statuses = "200"},
    {.method = "post", .path = "/api/v1/api-keys", .operation_id = "createApiKey", .summary = "Create an API key; the secret is shown once (admins)", .tag = "users", .request = "ApiKeyCreate", .response = "ApiKey", .statuses = "201"},
    {.method = "delete", .path = "/api/v1/api-keys/{id}", .operation_id = "revokeApiKey", .summary = "Revoke an API key (admins)", .tag = "users", .statuses = "204"},
    {.method = "get", .path = "/api/v1/counterparties", .operation_id = "listCounterparties", .summary = "List counterparties by name", .tag = "counterparties", .response = "list:Counterparty", .statuses = "200"},
    {.method = "post", .path = "/api/v1/counterparties", .operation_id = "createCounterparty", .summary = "Create a counterparty", .tag = "counterparties", .request = "Counterparty", .response = "Counterparty", .statuses = "201", .errors = "409"},
    {.method = "get", .path = "/api/v1/counterparties/{id}", .operation_id = "getCounterparty", .summary = "Get a counterparty", .tag = "counterparties", .response = "Counterparty", .statuses = "200"},
    {.method = "patch", .path = "/api/v1/counterparties/{id}", .operation_id = "updateCounterparty", .summary = "Update a counterparty (If-Match required)", .tag = "counterparties", .request = "Counterparty", .response = "Counterparty", .statuses = "200", .errors = "409 412 428"},
    {.method = "delete", .path = "/api/v1/counterparties/{id}", .operation_id = "deleteCounterparty", .summary = "Delete an unused counterparty", .tag = "counterparties", .statuses = "204", .errors = "409"},
    {.method = "get", .path = "/api/v1/contracts", .operation_id = "listContracts", .summary = "List and filter contracts (keyset pagination)", .tag = "contracts", .response = "list:Contract", .statuses = "200"},
    {.method = "post", .path = "/api/v1/contracts", .operation_id = "createContract", .summary = "Create a contract (Idempotency-Key supported)", .tag = "contracts", .request = "ContractInput", .response = "Contract", .statuses = "201", .errors = "409 422"},
    {.method = "get", .path = "/api/v1/contracts/export", .operation_id = "exportContracts", .summary = "The filtered list as CSV (every page, up to 50,000 rows; X-Export-Truncated when cut)", .tag = "contracts", .response = "csv", .statuses = "200"},
    {.method = "get", .path = "/api/v1/views", .operation_id = "listViews", .summary = "The caller's saved views of the contracts list, by name", .tag = "views", .response = "items:View", .statuses = "200"},
    {.method = "post", .path = "/api/v1/views", .operation_id = "createView", .summary = "Save a view: a name, the contracts list's query string and columns", .tag = "views", .request = "ViewInput", .response = "View", .statuses = "201", .errors = "409"},
    {.method = "patch", .path = "/api/v1/views/{id}", .operation_id = "updateView", .summary = "Rename a view or change its query or columns (If-Match optional)", .tag = "views", .request = "ViewInput", .response = "View", .statuses = "200", .errors = "409 412"},
    {.method = "delete", .path = "/api/v1/views/{id}", .operation_id = "deleteView", .summary = "Delete a saved view", .tag = "views", .statuses = "204"},
    {.method = "get", .path = "/api/v1/contracts/{id}", .operation_id = "getContract", .summary = "Get a contract", .tag = "contracts", .response = "Contract", .statuses = "200"},
    {.method = "patch", .path = "/api/v1/contracts/{id}", .operation_id = "updateContract", .summary = "Update a contract (If-Match required)", .tag = "contracts", .request = "ContractInput", .response = "Contract", .statuses = "200", .errors = "409 412 422 428"},
    {.method = "delete", .path = "/api/v1/contracts/{id}", .operation_id = "deleteContract", .summary = "Delete a draft contract", .tag = "contracts", .statuses = "204", .errors = "409"},
    {.method = "post", .path = "/api/v1/contracts/{id}/documents", .operation_id = "uploadDocument", .summary = "Upload a document (multipart field `file`, optional `kind`; or a raw body with " "Content-Disposition). The same name again adds a version.", .tag = "documents", .request = "upload", .response = "Document", .statuses = "201 200", .errors = "409 413 415 422"},
    {.method = "get", .path = "/api/v1/contracts/{id}/documents", .operation_id = "listDocuments", .summary = "List a contract's documents", .tag = "documents", .response = "list:Document", .statuses = "200"},
    {.method = "get", .path = "/api/v1/contracts/{id}/documents/{docId}", .operation_id = "getDocument", .summary = "Get a document with its versions", .tag = "documents", .response = "Document", .statuses = "200"},
    {.method = "delete", .path = "/api/v1/contracts/{id}/documents/{docId}", .operation_id = "deleteDocument", .summary = "Delete a document (kept RETENTION_DAYS, then purged; refused under legal hold)", .tag = "documents", .statuses = "204", .errors = "409"},
    {.method = "post", .path = "/api/v1/contracts/{id}/documents/{docId}/versions", .operation_id = "uploadDocumentVersion", .summary = "Upload a new version of a document", .tag = "documents", .request = "upload", .response = "Document", .statuses = "200 201", .errors = "409 413 415 422"},
    {.method = "get", .path = "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/content", .operation_id = "downloadDocumentVersion", .summary = "Download a version (Range, If-None-Match, If-Range supported)", .tag = "documents", .response = "binary", .statuses = "200 206", .errors = "416"},
    {.method = "get", .path = "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/text", .operation_id = "getDocumentVersionText", .summary = "The text extracted from a version", .tag = "documents", .response = "text", .statuses = "200", .errors = "409"},
    {.method = "get", .path = "/api/v1/contracts/{id}/documents/{docId}/versions/{a}/compare/{b}", .operation_id = "compareDocumentVersions", .summary = "Word-level comparison of the extracted texts of two versions", .tag = "documents", .response = "Comparison", .statuses = "200", .errors = "409"},
    {.method = "get", .path = "/api/v1/contracts/{id}/comments", .operation_id = "listComments", .summary = "A contract's comments, oldest first", .tag = "collaboration", .response = "list:Comment", .statuses = "200"},
    {.method = "post", .path = "/api/v1/contracts/{id}/comments", .operation_id = "createComment", .summary = "Comment (threaded with parentId; @email mentions notify those users)", .tag = "collaboration", .request = "CommentInput", .response = "Comment", .statuses = "201", .errors = "422"},
    {.method = "patch", .path = "/api/v1/contracts/{id}/comments/{commentId}", .operation_id = "updateComment", .summary = "Edit your own comment", .tag = "collaboration", .request = "CommentInput", .response = "Comment", .statuses = "200", .errors = "422"},
    {.method = "delete", .path = "/api/v1/contracts/{id}/comments/{commentId}", .operation_id = "deleteComment", .summary = "Delete your own comment", .tag = "collaboration", .statuses = "204"},
    {.method = "get", .path = "/api/v1/contracts/{id}/watchers", .operation_id = "listWatchers", .summary = "Who follows the contract (the owner always)", .tag = "collaboration", .response = "Watchers", .statuses = "200"},
    {.method = "put", .path = "/api/v1/contracts/{id}/watchers/me", .operation_id = "watchContract", .summary = "Follow the contract", .tag = "collaboration", .statuses = "204"},
    {.method = "delete", .path = "/api/v1/contracts/{id}/watchers/me", .operation_id = "unwatchContract", .summary = "Stop following the contract", .tag = "collaboration", .statuses = "204"},
    {.method = "post", .path = "/api/v1/contracts/{id}/transitions", .operation_id = "transitionContract", .summary = "Move the contract to another state (409 lists the allowed next states)", .tag = "workflow", .request = "TransitionInput", .response = "Contract", .statuses = "200", .errors = "409 422"},
    {.method = "post", .path = "/api/v1/contracts/{id}/archive", .operation_id = "archiveContract", .summary = "Archive a closed (expired, terminated, cancelled) contract", .tag = "workflow", .response = "Contract", .statuses = "200", .errors = "409"},
    {.method = "get", .path = "/api/v1/contracts/{id}/history", .operation_id = "getContractHistory", .summary = "The contract's transitions, oldest first", .tag = "workflow", .response = "History", .statuses = "200"},
    {.method = "get", .path = "/api/v1/contracts/{id}/approval", .operation_id = "getContractApproval", .summary = "The contract's latest approval: stages, decisions", .tag = "workflow", .response = "Approval", .statuses = "200"},
    {.method = "post", .path = "/api/v1/contracts/{id}/approval/decisions", .operation_id = "decideApproval", .summary = "Approve or reject as an approver", .tag = "workflow", .request = "DecisionInput", .response = "Approval", .statuses = "200", .errors = "409 422"},
    {.method = "get", .path = "/api/v1/approval-policies", .operation_id = "getApprovalPolicy", .summary = "The organization's approval policy (or the default)", .tag = "workflow", .response = "ApprovalPolicyView", .statuses = "200"},
    {.method = "put", .path = "/api/v1/approval-policies", .operation_id = "replaceApprovalPolicy", .summary = "Replace the approval policy (admins)", .tag = "workflow", .request = "ApprovalPolicy", .response = "ApprovalPolicyView", .statuses = "200", .errors = "422"},
    {.method = "get", .path = "/api/v1/approvals", .operation_id = "listMyApprovals", .summary = "Approvals waiting for the caller (assignee=me)", .tag = "workflow", .response = "items:Approval", .statuses = "200"},
    {.method = "get", .path = "/api/v1/me/delegations", .operation_id = "getMyDelegations", .summary = "The caller's approval delegations", .tag = "workflow", .response = "Delegations", .statuses = "200"},
    {.method = "put", .path = "/api/v1/me/delegations", .operation_id = "replaceMyDelegations", .summary = "Replace the caller's approval delegations", .tag = "workflow", .request = "DelegationsInput", .response = "Delegations", .statuses = "200", .errors = "422"},
    {.method = "get", .path = "/api/v1/notifications", .operation_id = "listNotifications", .summary = "The caller's notifications, newest first", .tag = "notifications", .response = "list:Notification", .statuses = "200"},
    {.method = "get", .path = "/api/v1/notifications/unread-count", .operation_id = "getUnreadNotificationCount", .summary = "How many are unread", .tag = "notifications", .response = "UnreadCount", .statuses = "200"},
    {.method = "post", .path = "/api/v1/notifications/read-all", .operation_id = "markAllNotificationsRead", .summary = "Mark every notification read", .tag = "notifications", .response = "ReadAllResult", .statuses = "200"},
    {.method = "get", .path = "/api/v1/notifications/preferences", .operation_id = "getNotificationPreferences", .summary = "Which kinds the caller receives", .tag = "notifications", .response = "NotificationPreferencesView", .statuses = "200"},
    {.method = "put", .path = "/api/v1/notifications/preferences", .operation_id = "replaceNotificationPreferences", .summary = "Choose which kinds to receive", .tag = "notifications", .request = "NotificationPreferences", .response = "NotificationPreferencesView", .statuses = "200"},
    {.method = "post", .path = "/api/v1/notifications/{notificationId}/read", .operation_id = "markNotificationRead", .summary = "Mark one notification read", .tag = "notifications", .statuses = "204"},
    {.method = "get", .path = "/api/v1/contracts/{id}/obligations", .operation_id = "listContractObligations", .summary = "A contract's obligations, earliest due first", .tag = "obligations", .response = "list:Obligation", .statuses = "200"},
    {.method = "post", .path = "/api/v1/contracts/{id}/obligations", .operation_id = "createObligation", .summary = "Add an obligation or milestone", .tag = "obligations", .request = "ObligationInput", .response = "Obligation", .statuses = "201", .errors = "409 422"},
    {.method = "get", .path = "/api/v1/contracts/{id}/obligations/{obligationId}", .operation_id = "getObligation", .summary = "Get an obligation", .tag = "obligations", .response = "Obligation", .statuses = "200"},
    {.method = "patch", .path = "/api/v1/contracts/{id}/obligations/{obligationId}", .operation_id = "updateObligation", .summary = "Update an obligation (If-Match required)", .tag = "obligations", .request = "ObligationInput", .response = "Obligation", .statuses = "200", .errors = "409 412 422 428"},
    {.method = "delete", .path = "/api/v1/contracts/{id}/obligations/{obligationId}", .operation_id = "deleteObligation", .summary = "Delete an obligation", .tag = "obligations", .statuses = "204", .errors = "409"},
    {.method = "post", .path = "/api/v1/contracts/{id}/obligations/{obligationId}/complete", .operation_id = "completeObligation", .summary = "Mark done; a recurring one gets its next occurrence (returned as `next`)", .tag = "obligations", .response = "Obligation", .statuses = "200", .errors = "409"},
    {.method = "post", .path = "/api/v1/contracts/{id}/obligations/{obligationId}/waive", .operation_id = "waiveObligation", .summary = "Waive an open obligation", .tag = "obligations", .response = "Obligation", .statuses = "200", .errors = "409"},
    {.method = "get", .path = "/api/v1/obligations", .operation_id = "listObligations", .summary = "Obligations across contracts, earliest due first", .tag = "obligations", .response = "list:Obligation", .statuses = "200"},
    {.method = "post", .path = "/api/v1/contracts/{id}/signature-requests", .operation_id = "createSignatureRequest", .summary = "Send an approved contract's main document for signature; returns each signer's link " "(/sign/{token}) once", .tag = "signatures", .request = "SignatureRequestInput", .response = "SignatureRequest", .statuses = "201", .errors = "409 422"},
    {.method = "get", .path = "/api/v1/contracts/{id}/signature-requests", .operation_id = "listSignatureRequests", .summary = "The contract's signature requests, newest first, with each signer's status", .tag = "signatures", .response = "items:SignatureRequest", .statuses = "200"},
    {.method = "get", .path = "/api/v1/contracts/{id}/signature-requests/{requestId}", .operation_id = "getSignatureRequest", .summary = "One signature request", .tag = "signatures", .response = "SignatureRequest", .statuses = "200"},
    {.method = "post", .path = "/api/v1/contracts/{id}/signature-requests/{requestId}/cancel", .operation_id = "cancelSignatureRequest", .summary = "Withdraw a pending request (links stop working; the contract returns to approved); " "optional body {\"reason\": ...}", .tag = "signatures", .response = "SignatureRequest", .statuses = "200", .errors = "409"},
    {.method = "post", .path = "/api/v1/contracts/{id}/signature-requests/{requestId}/signers/{signerId}/reissue", .operation_id = "reissueSignerLink", .summary = "A new link for a pending signer (the old one stops working)", .tag = "signatures", .response = "Signer", .statuses = "200", .errors = "409"},
    {.method = "post", .path = "/api/v1/contracts/{id}/signature-requests/{requestId}/sign", .operation_id = "signAsInternalSigner", .summary = "Sign or decline as the internal signer who is the caller", .tag = "signatures", .request = "SignerAnswer", .response = "SignatureRequest", .statuses = "200", .errors = "409 422"},
    {.method = "get", .path = "/sign/{token}", .operation_id = "getSigningPage", .summary = "What a signer needs to sign (JSON with Accept: application/json, else an HTML page); " "410 for a used, expired or closed link", .tag = "signatures", .response = "signing", .statuses = "200", .errors = "410", .authenticated = false},
    {.method = "post", .path = "/sign/{token}", .operation_id = "answerSigningLink", .summary = "Sign or decline by link (JSON or application/x-www-form-urlencoded)", .tag = "signatures", .request = "SignerAnswer", .response = "SigningResult", .statuses = "200", .errors = "409 410 422", .authenticated = false},
    {.method = "get", .path = "/sign/{token}/document", .operation_id = "downloadSigningDocument", .summary = "The exact document version sent for signature", .tag = "signatures", .response = "binary", .statuses = "200 206", .errors = "410 416", .authenticated = false},
    {.method = "get", .path = "/api/v1/renewals", .operation_id = "listRenewals", .summary = "Contracts in force whose notice deadline or expiration is within `within` days, soonest " "first", .tag = "renewals", .response = "RenewalList", .statuses = "200"},
    {.method = "post", .path = "/api/v1/contracts/{id}/renew", .operation_id = "renewContract", .summary = "Renew a contract in force with new terms", .tag = "renewals", .request = "RenewalTerms", .response = "Contract", .statuses = "200", .errors = "409 422"},
    {.method = "post", .path = "/api/v1/contracts/{id}/terminate", .operation_id = "terminateContract", .summary = "Terminate now or on an effective date, respecting the notice period unless for cause", .tag = "renewals", .request = "Termination", .response = "Contract", .statuses = "200", .errors = "409 422"},
    {.method = "get", .path = "/api/v1/contracts/{id}/related", .operation_id = "getRelatedContracts", .summary = "The tree of related contracts (amendments, SOWs, ...) the contract belongs to", .tag = "renewals", .response = "Related", .statuses = "200"},
    {.method = "get", .path = "/api/v1/reports/summary", .operation_id = "getSummaryReport", .summary = "Summary: contracts by status and type, value in force, expiring, overdue obligations, " "cycle time, approvals waiting", .tag = "reports", .response = "SummaryReport", .statuses = "200"},
    {.method = "get", .path = "/api/v1/audit", .operation_id = "listAuditEvents", .summary = "The audit trail, newest first", .tag = "audit", .response = "list:AuditEvent", .statuses = "200"},
};

constexpr std::string_view kUpload = "upload";

struct Tag {
  const char* name;
  const char* description;
};
constexpr Tag kTags[] = {
    {"operations", "Probes and this description"},
    {"auth", "Sessions: login, refresh, logout; the caller's own account"},
    {"organization", "The caller's organization and its settings"},
    {"users", "People and API keys of the organization (admins)"},
    {"counterparties", "The companies and people contracts are made with"},
    {"contracts", "Contracts: metadata, lifecycle state, parties, value, dates"},
    {"views", "Saved views of the contracts list, private to each person"},
    {"documents", "Documents of a contract and their versions, text and comparisons"},
    {"collaboration", "Comments, mentions and watchers"},
    {"workflow", "Lifecycle transitions, approvals, approval policy and delegations"},
    {"notifications", "The caller's notifications and preferences"},
    {"obligations", "Obligations and milestones of contracts"},
    {"signatures", "Signature requests and the public signing links"},
    {"renewals", "Renewal deadlines, renewals, terminations and related contracts"},
    {"reports", "Portfolio reports"},
    {"audit", "The tamper-evident audit trail"},
};

// Why each problem status happens, for the responses every operation lists.
const char* error_description(int status) {
  switch (status) {
    case 400:
      return "Malformed or invalid request; validation problems name each field in errors[]";
    case 401:
      return "No valid credentials";
    case 403:
      return "Authenticated, but the role or the CSRF token does not allow it";
    case 404:
      return "No such resource in the caller's organization";
    case 409:
      return "The resource's state does not allow it (e.g. an illegal transition)";
    case 410:
      return "The signing link was used, has expired or its request is closed";
    case 412:
      return "If-Match names an older version: someone else changed it";
    case 413:
      return "The body is larger than this route accepts";
    case 415:
      return "Unsupported media type";
    case 416:
      return "The Range cannot be satisfied";
    case 422:
      return "Well-formed but semantically invalid";
    case 428:
      return "If-Match is required";
    case 429:
      return "Too many attempts; Retry-After says when to try again";
    case 503:
      return "Temporarily unavailable; Retry-After says when to try again";
    default:
      return "A problem";
  }
}

std::vector<int> statuses_of(std::string_view list) {
  std::vector<int> out;
  int value = 0;
  for (const char c : std::string(list) + " ") {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
    } else if (value != 0) {
      out.push_back(value);
      value = 0;
    }
  }
  return out;
}

bool has_path_parameters(std::string_view path) {
  return path.find('{') != std::string_view::npos;
}

// Every operation: 400 (the HTTP layer refuses malformed requests before any route). With
// credentials: 401 and 403. With path parameters: 404. Then the operation's own.
std::vector<int> error_statuses(const Operation& op) {
  std::vector<int> out{400};
  if (op.authenticated) out.insert(out.end(), {401, 403});
  if (has_path_parameters(op.path)) out.push_back(404);
  for (const int s : statuses_of(op.errors))
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  std::sort(out.begin(), out.end());
  return out;
}

bj::object schema_ref(std::string_view name) {
  return bj::object{{"$ref", "#/components/schemas/" + std::string(name)}};
}

bj::object json_content(bj::value schema) {
  return bj::object{{"application/json", bj::object{{"schema", std::move(schema)}}}};
}

bj::object problem_response(std::string_view description) {
  return bj::object{
      {"description", description},
      {"content",
       bj::object{{"application/problem+json", bj::object{{"schema", schema_ref("Problem")}}}}}};
}

bj::object list_schema(std::string_view item, bool with_cursor) {
  bj::object properties{{"items", bj::object{{"type", "array"}, {"items", schema_ref(item)}}}};
  bj::array required{"items"};
  if (with_cursor) {
    properties["nextCursor"] =
        bj::object{{"type", bj::array{"string", "null"}},
                   {"description", "pass as cursor for the next page; null on the last"}};
    required.push_back("nextCursor");
  }
  return bj::object{{"type", "object"},
                    {"additionalProperties", false},
                    {"required", std::move(required)},
                    {"properties", std::move(properties)}};
}

bj::object binary_content() {
  const bj::object binary{{"schema", bj::object{{"type", "string"}, {"format", "binary"}}}};
  return bj::object{{"application/octet-stream", binary}, {"*/*", binary}};
}

bj::object success_response(const Operation& op, int status) {
  const std::string_view kind = op.response ? op.response : "";
  if (status == 204 || kind.empty()) return bj::object{{"description", "Done; no content"}};
  const char* description = status == 201   ? "Created"
                            : status == 206 ? "Partial content (the Range asked for)"
                            : status == 503 ? "Not ready (the reason says why)"
                                            : "Success";
  bj::object response{{"description", description}};
  if (kind == "binary") {
    response["content"] = binary_content();
  } else if (kind == "text") {
    response["content"] = bj::object{
        {"text/plain", bj::object{{"schema", bj::object{{"type", "string"}}}}}};
  } else if (kind == "csv") {
    response["content"] = bj::object{
        {"text/csv", bj::object{{"schema", bj::object{{"type", "string"}}}}}};
  } else if (kind == "json") {
    response["content"] = json_content(bj::object{{"type", "object"}});
  } else if (kind == "signing") {
    auto content = json_content(schema_ref("SigningView"));
    content["text/html"] = bj::object{{"schema", bj::object{{"type", "string"}}}};
    response["content"] = std::move(content);
  } else if (kind.starts_with("list:")) {
    response["content"] = json_content(list_schema(kind.substr(5), true));
  } else if (kind.starts_with("items:")) {
    response["content"] = json_content(list_schema(kind.substr(6), false));
  } else {
    response["content"] = json_content(schema_ref(kind));
  }
  return response;
}

bj::object request_body(std::string_view request) {
  if (request == kUpload) {
    bj::object form{
        {"type", "object"},
        {"required", bj::array{"file"}},
        {"properties",
         bj::object{{"file", bj::object{{"type", "string"}, {"format", "binary"}}},
                    {"kind", bj::object{{"type", "string"},
                                        {"enum", bj::array{"main", "attachment", "signed_copy",
                                                           "exhibit"}}}}}}};
    return bj::object{
        {"required", true},
        {"content",
         bj::object{{"multipart/form-data", bj::object{{"schema", std::move(form)}}},
                    {"application/octet-stream",
                     bj::object{{"schema", bj::object{{"type", "string"}, {"format", "binary"}}}}}}}};
  }
  const bool optional = request.ends_with('?');
  if (optional) request.remove_suffix(1);
  bj::object content = json_content(schema_ref(request));
  if (request == "SignerAnswer")  // the no-JavaScript signing page posts a form
    content["application/x-www-form-urlencoded"] = bj::object{{"schema", schema_ref(request)}};
  return bj::object{{"required", !optional}, {"content", std::move(content)}};
}

// Query parameters of the list endpoints ("name:description", all optional strings).
struct QueryParams {
  const char* path;
  std::initializer_list<const char*> params;
};

constexpr const char* kContractSortParameter =
    "sort:createdAt, updatedAt, title, effectiveDate, expirationDate or value (needs currency); "
    "prefix - for descending; default -createdAt";

const QueryParams kQueryParams[] = {
    {"/api/v1/users", {"limit:1-200, default 50", "cursor:nextCursor of the previous page"}},
    {"/api/v1/counterparties",
     {"q:case-insensitive name substring", "limit:1-200, default 50",
      "cursor:nextCursor of the previous page"}},
    {"/api/v1/contracts",
     {"status:comma-separated statuses", "type:contract type", "counterpartyId:a party's id",
      "ownerId:owner's user id", "tag:one tag", "q:case-insensitive title substring",
      "expiringBefore:YYYY-MM-DD, exclusive", "expiringAfter:YYYY-MM-DD, exclusive",
      "minValue:decimal amount, needs currency", "maxValue:decimal amount, needs currency",
      "currency:ISO 4217 code", kContractSortParameter, "limit:1-200, default 50",
      "cursor:nextCursor of the previous page"}},
    {"/api/v1/contracts/export",
     {"status:comma-separated statuses", "type:contract type", "counterpartyId:a party's id",
      "ownerId:owner's user id", "tag:one tag", "q:case-insensitive title substring",
      "expiringBefore:YYYY-MM-DD, exclusive", "expiringAfter:YYYY-MM-DD, exclusive",
      "minValue:decimal amount, needs currency", "maxValue:decimal amount, needs currency",
      "currency:ISO 4217 code", kContractSortParameter}},
    {"/api/v1/contracts/{id}/documents",
     {"limit:1-200, default 50", "cursor:nextCursor of the previous page"}},
    {"/api/v1/contracts/{id}/documents/{docId}/versions/{n}/content",
     {"disposition:inline to view in the browser; default attachment"}},
    {"/api/v1/contracts/{id}/comments",
     {"limit:1-200, default 50", "cursor:nextCursor of the previous page"}},
    {"/api/v1/notifications",
     {"unread:true for unread only", "limit:1-200, default 50",
      "cursor:nextCursor of the previous page"}},
    {"/api/v1/approvals", {"assignee:me (required)"}},
    {"/api/v1/contracts/{id}/obligations",
     {"limit:1-200, default 50", "cursor:nextCursor of the previous page"}},
    {"/api/v1/obligations",
     {"assignee:me or a user id", "status:open, done, waived or overdue (open and past due)",
      "dueBefore:YYYY-MM-DD, exclusive", "limit:1-200, default 50",
      "cursor:nextCursor of the previous page"}},
    {"/api/v1/renewals",
     {"within:days ahead, 0-730, default 90", "limit:1-200, default 50",
      "cursor:nextCursor of the previous page"}},
    {"/api/v1/audit",
     {"entityId:an entity's id", "entityType:contract, user, counterparty, ...",
      "actorId:user or API key id", "action:resource.verb, e.g. contract.updated",
      "from:RFC 3339, inclusive", "to:RFC 3339, exclusive", "limit:1-200, default 50",
      "cursor:nextCursor of the previous page"}},
};

bj::array query_parameters(std::string_view path) {
  bj::array out;
  for (const auto& q : kQueryParams) {
    if (path != q.path) continue;
    for (std::string_view p : q.params) {
      const auto colon = p.find(':');
      out.push_back(bj::object{{"name", p.substr(0, colon)},
                               {"in", "query"},
                               {"required", false},
                               {"description", p.substr(colon + 1)},
                               {"schema", bj::object{{"type", "string"}}}});
    }
  }
  return out;
}

bj::array parameters(const Operation& op) {
  bj::array out;
  for (std::string_view rest = op.path; rest.find('{') != std::string_view::npos;) {
    const auto open = rest.find('{');
    const auto close = rest.find('}', open);
    out.push_back(bj::object{{"name", rest.substr(open + 1, close - open - 1)},
                             {"in", "path"},
                             {"required", true},
                             {"schema", bj::object{{"type", "string"}}}});
    rest.remove_prefix(close + 1);
  }
  if (std::string_view(op.method) == "get")
    for (auto& p : query_parameters(op.path)) out.push_back(std::move(p));
  return out;
}

bj::object describe(const Operation& op) {
  bj::object responses;
  for (const int status : statuses_of(op.statuses))
    responses[std::to_string(status)] = success_response(op, status);
  for (const int status : error_statuses(op))
    responses[std::to_string(status)] = problem_response(error_description(status));
  responses["default"] = problem_response("Any other problem (5xx: 503 with Retry-After)");
  bj::object operation{{"operationId", op.operation_id},
                       {"summary", op.summary},
                       {"tags", bj::array{op.tag}},
                       {"responses", std::move(responses)}};
  if (!op.authenticated) operation["security"] = bj::array{};
  if (op.request) operation["requestBody"] = request_body(op.request);
  if (auto params = parameters(op); !params.empty()) operation["parameters"] = std::move(params);
  return operation;
}

const Operation* find_operation(std::string_view method, std::string_view path) {
  for (const auto& op : kOperations)
    if (iequals(op.method, method) && op.path == path) return &op;
  return nullptr;
}

bj::value build_document(const http::Router& router) {
  bj::object paths;
  for (const auto& route : router.routes()) {
    const auto* op = find_operation(route.method, route.pattern);
    if (op == nullptr)
      throw std::logic_error("route " + route.method + " " + route.pattern +
                             " has no OpenAPI operation (src/api/openapi.cpp)");
    auto& path = paths[op->path];
    if (!path.is_object()) path = bj::object{};
    path.as_object()[op->method] = describe(*op);
  }
  bj::array tags;
  for (const auto& tag : kTags)
    tags.push_back(bj::object{{"name", tag.name}, {"description", tag.description}});
  return bj::object{
      {"openapi", "3.1.0"},
      {"info",
       bj::object{{"title", "contractmgmt API"},
                  {"version", "1"},
                  {"description",
                   "Contract lifecycle management. Errors are RFC 9457 problem+json. Lists are "
                   "keyset-paginated ({items, nextCursor}); updates take If-Match; creates take "
                   "an Idempotency-Key."},
                  {"license", bj::object{{"name", "AGPL-3.0-or-later"},
                                         {"identifier", "AGPL-3.0-or-later"}}}}},
      {"servers", bj::array{bj::object{{"url", "/"}}}},
      {"security", bj::array{bj::object{{"bearer", bj::array{}}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components",
       bj::object{{"securitySchemes",
                   bj::object{{"bearer",
                               bj::object{{"type", "http"},
                                          {"scheme", "bearer"},
                                          {"description",
                                           "A JWT access token from /api/v1/auth/login, or an API "
                                           "key cm_..."}}}}},
                  {"schemas", bj::parse(openapi_schemas_json())}}}};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> openapi_operations() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& op : kOperations) out.emplace_back(to_upper(op.method), op.path);
  return out;
}

void add_openapi_routes(http::Router& router) {
  // Filled once every route, this one included, is in the table.
  auto document = std::make_shared<std::string>();
  router.add(
      "GET", "/api/openapi.json",
      [document](http::Request&) { return http::Response::json(200, *document); },
      http::Access::public_route);
  *document = bj::serialize(build_document(router));
}

}  // namespace cm::api
