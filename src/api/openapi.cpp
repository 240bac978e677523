// SPDX-License-Identifier: AGPL-3.0-or-later
// The OpenAPI 3.1 description served at /api/openapi.json. Kept next to the route table; a unit
// test (tests/unit/api/openapi_test.cpp) fails when a route has no operation here or an operation
// has no route.

#include "api/openapi.hpp"

#include <boost/json.hpp>
#include <initializer_list>
#include <string_view>

#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "core/strings.hpp"

namespace cm::api {

namespace {

struct Operation {
  const char* method;
  const char* path;
  const char* summary;
  const char* tag;
  bool authenticated = true;
  const char* body_schema = nullptr;
};

// The request body of upload routes (multipart/form-data or raw).
constexpr const char* kUpload = "upload";

// One line per route, in the order of src/api/routes.cpp.
constexpr Operation kOperations[] = {
    {"get", "/health", "Liveness: the process runs", "operations", false},
    {"get", "/ready", "Readiness: database reachable, schema current, not draining", "operations",
     false},
    {"get", "/api/openapi.json", "This document", "operations", false},
    {"post", "/api/v1/auth/login", "Log in with email and password", "auth", false, "LoginRequest"},
    {"post", "/api/v1/auth/refresh", "Exchange a refresh token for a new token pair (rotation)",
     "auth", false, "RefreshRequest"},
    {"post", "/api/v1/auth/logout", "End the session", "auth"},
    {"get", "/api/v1/me", "The caller's account and organization", "auth"},
    {"post", "/api/v1/me/password", "Change the caller's password", "auth", true, "PasswordChange"},
    {"get", "/api/v1/organization", "The caller's organization", "organization"},
    {"patch", "/api/v1/organization", "Change organization settings (admins)", "organization", true,
     "OrganizationUpdate"},
    {"get", "/api/v1/users", "List users (admins)", "users"},
    {"post", "/api/v1/users", "Create a user (admins)", "users", true, "UserCreate"},
    {"get", "/api/v1/users/{id}", "Get a user", "users"},
    {"patch", "/api/v1/users/{id}", "Change role or name, deactivate (admins)", "users", true,
     "UserUpdate"},
    {"get", "/api/v1/api-keys", "List API keys (admins)", "users"},
    {"post", "/api/v1/api-keys", "Create an API key; the secret is shown once (admins)", "users",
     true, "ApiKeyCreate"},
    {"delete", "/api/v1/api-keys/{id}", "Revoke an API key (admins)", "users"},
    {"get", "/api/v1/counterparties", "List counterparties by name", "counterparties"},
    {"post", "/api/v1/counterparties", "Create a counterparty", "counterparties", true,
     "Counterparty"},
    {"get", "/api/v1/counterparties/{id}", "Get a counterparty", "counterparties"},
    {"patch", "/api/v1/counterparties/{id}", "Update a counterparty (If-Match required)",
     "counterparties", true, "Counterparty"},
    {"delete", "/api/v1/counterparties/{id}", "Delete an unused counterparty", "counterparties"},
    {"get", "/api/v1/contracts", "List and filter contracts (keyset pagination)", "contracts"},
    {"post", "/api/v1/contracts", "Create a contract (Idempotency-Key supported)", "contracts",
     true, "ContractInput"},
    {"get", "/api/v1/contracts/{id}", "Get a contract", "contracts"},
    {"patch", "/api/v1/contracts/{id}", "Update a contract (If-Match required)", "contracts", true,
     "ContractInput"},
    {"delete", "/api/v1/contracts/{id}", "Delete a draft contract", "contracts"},
    {"post", "/api/v1/contracts/{id}/documents",
     "Upload a document (multipart field `file`, optional `kind`; or a raw body with "
     "Content-Disposition). The same name again adds a version.",
     "documents", true, kUpload},
    {"get", "/api/v1/contracts/{id}/documents", "List a contract's documents", "documents"},
    {"get", "/api/v1/contracts/{id}/documents/{docId}", "Get a document with its versions",
     "documents"},
    {"delete", "/api/v1/contracts/{id}/documents/{docId}",
     "Delete a document (kept RETENTION_DAYS, then purged; refused under legal hold)", "documents"},
    {"post", "/api/v1/contracts/{id}/documents/{docId}/versions",
     "Upload a new version of a document", "documents", true, kUpload},
    {"get", "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/content",
     "Download a version (Range, If-None-Match, If-Range supported)", "documents"},
    {"get", "/api/v1/contracts/{id}/documents/{docId}/versions/{n}/text",
     "The text extracted from a version", "documents"},
    {"get", "/api/v1/contracts/{id}/documents/{docId}/versions/{a}/compare/{b}",
     "Word-level comparison of the extracted texts of two versions", "documents"},
    {"get", "/api/v1/contracts/{id}/comments", "A contract's comments, oldest first",
     "collaboration"},
    {"post", "/api/v1/contracts/{id}/comments",
     "Comment (threaded with parentId; @email mentions notify those users)", "collaboration", true,
     "CommentInput"},
    {"patch", "/api/v1/contracts/{id}/comments/{commentId}", "Edit your own comment",
     "collaboration", true, "CommentInput"},
    {"delete", "/api/v1/contracts/{id}/comments/{commentId}", "Delete your own comment",
     "collaboration"},
    {"get", "/api/v1/contracts/{id}/watchers", "Who follows the contract (the owner always)",
     "collaboration"},
    {"put", "/api/v1/contracts/{id}/watchers/me", "Follow the contract", "collaboration"},
    {"delete", "/api/v1/contracts/{id}/watchers/me", "Stop following the contract",
     "collaboration"},
    {"post", "/api/v1/contracts/{id}/transitions",
     "Move the contract to another state (409 lists the allowed next states)", "workflow", true,
     "TransitionInput"},
    {"post", "/api/v1/contracts/{id}/archive",
     "Archive a closed (expired, terminated, cancelled) contract", "workflow"},
    {"get", "/api/v1/contracts/{id}/history", "The contract's transitions, oldest first",
     "workflow"},
    {"get", "/api/v1/contracts/{id}/approval", "The contract's latest approval: stages, decisions",
     "workflow"},
    {"post", "/api/v1/contracts/{id}/approval/decisions", "Approve or reject as an approver",
     "workflow", true, "DecisionInput"},
    {"get", "/api/v1/approval-policies", "The organization's approval policy (or the default)",
     "workflow"},
    {"put", "/api/v1/approval-policies", "Replace the approval policy (admins)", "workflow", true,
     "ApprovalPolicy"},
    {"get", "/api/v1/approvals", "Approvals waiting for the caller (assignee=me)", "workflow"},
    {"get", "/api/v1/me/delegations", "The caller's approval delegations", "workflow"},
    {"put", "/api/v1/me/delegations", "Replace the caller's approval delegations", "workflow", true,
     "DelegationsInput"},
    {"get", "/api/v1/notifications", "The caller's notifications, newest first", "notifications"},
    {"get", "/api/v1/notifications/unread-count", "How many are unread", "notifications"},
    {"post", "/api/v1/notifications/read-all", "Mark every notification read", "notifications"},
    {"get", "/api/v1/notifications/preferences", "Which kinds the caller receives",
     "notifications"},
    {"put", "/api/v1/notifications/preferences", "Choose which kinds to receive", "notifications",
     true, "NotificationPreferences"},
    {"post", "/api/v1/notifications/{notificationId}/read", "Mark one notification read",
     "notifications"},
    {"get", "/api/v1/contracts/{id}/obligations", "A contract's obligations, earliest due first",
     "obligations"},
    {"post", "/api/v1/contracts/{id}/obligations", "Add an obligation or milestone", "obligations",
     true, "ObligationInput"},
    {"get", "/api/v1/contracts/{id}/obligations/{obligationId}", "Get an obligation",
     "obligations"},
    {"patch", "/api/v1/contracts/{id}/obligations/{obligationId}",
     "Update an obligation (If-Match required)", "obligations", true, "ObligationInput"},
    {"delete", "/api/v1/contracts/{id}/obligations/{obligationId}", "Delete an obligation",
     "obligations"},
    {"post", "/api/v1/contracts/{id}/obligations/{obligationId}/complete",
     "Mark done; a recurring one gets its next occurrence (returned as `next`)", "obligations"},
    {"post", "/api/v1/contracts/{id}/obligations/{obligationId}/waive", "Waive an open obligation",
     "obligations"},
    {"get", "/api/v1/obligations", "Obligations across contracts, earliest due first",
     "obligations"},
    {"post", "/api/v1/contracts/{id}/signature-requests",
     "Send an approved contract's main document for signature; returns each signer's link "
     "(/sign/{token}) once",
     "signatures", true, "SignatureRequestInput"},
    {"get", "/api/v1/contracts/{id}/signature-requests",
     "The contract's signature requests, newest first, with each signer's status", "signatures"},
    {"get", "/api/v1/contracts/{id}/signature-requests/{requestId}", "One signature request",
     "signatures"},
    {"post", "/api/v1/contracts/{id}/signature-requests/{requestId}/cancel",
     "Withdraw a pending request (links stop working; the contract returns to approved); "
     "optional body {\"reason\": ...}",
     "signatures"},
    {"post", "/api/v1/contracts/{id}/signature-requests/{requestId}/signers/{signerId}/reissue",
     "A new link for a pending signer (the old one stops working)", "signatures"},
    {"post", "/api/v1/contracts/{id}/signature-requests/{requestId}/sign",
     "Sign or decline as the internal signer who is the caller", "signatures", true,
     "SignerAnswer"},
    {"get", "/sign/{token}",
     "What a signer needs to sign (JSON with Accept: application/json, else an HTML page); "
     "410 for a used, expired or closed link",
     "signatures", false},
    {"post", "/sign/{token}", "Sign or decline by link (JSON or application/x-www-form-urlencoded)",
     "signatures", false, "SignerAnswer"},
    {"get", "/sign/{token}/document", "The exact document version sent for signature", "signatures",
     false},
    {"get", "/api/v1/renewals",
     "Contracts in force whose notice deadline or expiration is within `within` days, soonest "
     "first",
     "renewals"},
    {"post", "/api/v1/contracts/{id}/renew", "Renew a contract in force with new terms", "renewals",
     true, "RenewalTerms"},
    {"post", "/api/v1/contracts/{id}/terminate",
     "Terminate now or on an effective date, respecting the notice period unless for cause",
     "renewals", true, "Termination"},
    {"get", "/api/v1/contracts/{id}/related",
     "The tree of related contracts (amendments, SOWs, ...) the contract belongs to", "renewals"},
    {"get", "/api/v1/reports/summary",
     "Summary: contracts by status and type, value in force, expiring, overdue obligations, "
     "cycle time, approvals waiting",
     "reports"},
    {"get", "/api/v1/audit", "The audit trail, newest first", "audit"},
};

constexpr const char* kComponents = R"JSON({
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A JWT access token from /api/v1/auth/login, or an API key cm_..."}},
  "schemas": {
    "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
      "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
      "detail": {"type": "string"}, "instance": {"type": "string"},
      "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}},
    "Money": {"type": "object", "required": ["amount", "currency"], "properties": {
      "amount": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}},
    "CommentInput": {"type": "object", "required": ["body"], "additionalProperties": false, "properties": {
      "body": {"type": "string", "minLength": 1, "maxLength": 10000, "description": "@alice@example.com mentions a user of the organization"},
      "parentId": {"type": "string", "description": "reply to this comment (create only)"}}},
    "NotificationPreferences": {"type": "object", "additionalProperties": false, "properties": {
      "mention": {"type": "boolean"}, "comment": {"type": "boolean"}, "approval_requested": {"type": "boolean"},
      "approval_decided": {"type": "boolean"}, "signature": {"type": "boolean"}, "obligation_due": {"type": "boolean"},
      "renewal": {"type": "boolean"}}},
    "TransitionInput": {"type": "object", "required": ["to"], "additionalProperties": false, "properties": {
      "to": {"type": "string", "enum": ["draft", "in_review", "approved", "out_for_signature", "active", "expired", "terminated", "renewed", "cancelled"]},
      "comment": {"type": "string", "maxLength": 2000, "description": "required to terminate"}}},
    "DecisionInput": {"type": "object", "required": ["decision"], "additionalProperties": false, "properties": {
      "decision": {"type": "string", "enum": ["approve", "reject"]},
      "comment": {"type": "string", "maxLength": 2000, "description": "required to reject"},
      "onBehalfOf": {"type": "string", "description": "the approver a delegate acts for"},
      "stage": {"type": "integer", "minimum": 0}}},
    "ApprovalPolicy": {"type": "object", "required": ["name", "rules", "default"], "properties": {
      "name": {"type": "string"}, "rules": {"type": "array", "items": {"type": "object"}},
      "default": {"type": "object"}}},
    "DelegationsInput": {"type": "object", "required": ["items"], "additionalProperties": false, "properties": {
      "items": {"type": "array", "maxItems": 20, "items": {"type": "object", "required": ["delegateId", "from", "to"], "properties": {
        "delegateId": {"type": "string"}, "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}}}}}},
    "ObligationInput": {"type": "object", "additionalProperties": false, "required": ["title", "dueDate"], "properties": {
      "title": {"type": "string", "minLength": 1, "maxLength": 300}, "description": {"type": "string", "maxLength": 10000},
      "kind": {"enum": ["payment", "delivery", "reporting", "compliance", "notice", "other"]},
      "responsible": {"enum": ["us", "counterparty"]}, "assigneeId": {"type": ["string", "null"]},
      "dueDate": {"type": "string", "format": "date"},
      "recurrence": {"type": ["object", "null"], "required": ["frequency"], "properties": {
        "frequency": {"enum": ["monthly", "quarterly", "yearly"]}, "until": {"type": ["string", "null"], "format": "date"}}},
      "amount": {"oneOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]}}},
    "SignatureRequestInput": {"type": "object", "required": ["signers"], "additionalProperties": false, "properties": {
      "signers": {"type": "array", "minItems": 1, "maxItems": 20, "items": {"oneOf": [
        {"type": "object", "required": ["userId"], "additionalProperties": false, "properties": {"userId": {"type": "string"}}},
        {"type": "object", "required": ["name", "email"], "additionalProperties": false, "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 200}, "email": {"type": "string", "format": "email"}}}]}},
      "order": {"enum": ["sequential", "parallel"], "default": "sequential"},
      "message": {"type": "string", "maxLength": 2000},
      "expiresInDays": {"type": "integer", "minimum": 1, "maximum": 90, "default": 14}}},
    "SignerAnswer": {"type": "object", "required": ["action"], "additionalProperties": false, "properties": {
      "action": {"enum": ["sign", "decline"]},
      "fullName": {"type": "string", "minLength": 2, "maxLength": 200, "description": "sign: the typed full name"},
      "consent": {"const": true, "description": "sign: explicit consent to sign electronically"},
      "documentSha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "sign: the SHA-256 of the document shown"},
      "reason": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "decline: why"}}},
    "LoginRequest": {"type": "object", "required": ["email", "password"], "additionalProperties": false, "properties": {
      "email": {"type": "string"}, "password": {"type": "string"}}},
    "RefreshRequest": {"type": "object", "required": ["refreshToken"], "additionalProperties": false, "properties": {
      "refreshToken": {"type": "string"}}},
    "PasswordChange": {"type": "object", "required": ["currentPassword", "newPassword"], "additionalProperties": false, "properties": {
      "currentPassword": {"type": "string"}, "newPassword": {"type": "string", "minLength": 12}}},
    "OrganizationUpdate": {"type": "object", "additionalProperties": false, "properties": {
      "contractTypes": {"type": "array", "items": {"type": "string"}},
      "timeZone": {"type": "string", "description": "IANA zone, e.g. Europe/Berlin; deadlines are dates of this zone"},
      "renewalReminderDays": {"type": "array", "minItems": 1, "maxItems": 8, "items": {"type": "integer", "minimum": 1, "maximum": 730}}}},
    "RenewalTerms": {"type": "object", "additionalProperties": false, "properties": {
      "expirationDate": {"type": "string", "format": "date"}, "termMonths": {"type": "integer", "minimum": 1, "maximum": 120},
      "value": {"oneOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]}, "autoRenew": {"type": "boolean"},
      "renewalTermMonths": {"type": ["integer", "null"]}, "noticePeriodDays": {"type": ["integer", "null"]}, "comment": {"type": "string"}}},
    "Termination": {"type": "object", "required": ["reason"], "additionalProperties": false, "properties": {
      "reason": {"type": "string", "minLength": 1, "maxLength": 2000}, "effectiveDate": {"type": "string", "format": "date"},
      "forCause": {"type": "boolean", "description": "managers and admins; the notice period does not apply"}}},
    "UserCreate": {"type": "object", "required": ["email", "name", "role", "password"], "additionalProperties": false, "properties": {
      "email": {"type": "string"}, "name": {"type": "string"}, "role": {"enum": ["admin", "manager", "member", "viewer"]},
      "password": {"type": "string", "minLength": 12}}},
    "UserUpdate": {"type": "object", "additionalProperties": false, "properties": {
      "name": {"type": "string"}, "role": {"enum": ["admin", "manager", "member", "viewer"]}, "active": {"type": "boolean"}}},
    "ApiKeyCreate": {"type": "object", "required": ["name", "role"], "additionalProperties": false, "properties": {
      "name": {"type": "string"}, "role": {"enum": ["admin", "manager", "member", "viewer"]}}},
    "Counterparty": {"type": "object", "additionalProperties": false, "properties": {
      "name": {"type": "string", "maxLength": 300}, "kind": {"enum": ["company", "person"]},
      "registrationNumber": {"type": ["string", "null"]}, "country": {"type": ["string", "null"], "pattern": "^[A-Z]{2}$"},
      "address": {"type": ["string", "null"]}, "contactName": {"type": ["string", "null"]},
      "contactEmail": {"type": ["string", "null"]}, "notes": {"type": ["string", "null"]}}},
    "ContractInput": {"type": "object", "additionalProperties": false, "properties": {
      "title": {"type": "string", "minLength": 1, "maxLength": 300}, "type": {"type": "string"},
      "description": {"type": "string"},
      "parties": {"type": "array", "maxItems": 50, "items": {"type": "object", "required": ["counterpartyId", "role"], "properties": {
        "counterpartyId": {"type": "string"}, "role": {"type": "string"}}}},
      "ownerId": {"type": "string"}, "value": {"oneOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]},
      "effectiveDate": {"type": ["string", "null"], "format": "date"}, "expirationDate": {"type": ["string", "null"], "format": "date"},
      "autoRenew": {"type": "boolean"}, "legalHold": {"type": "boolean", "description": "managers and admins only; blocks document deletion"}, "renewalTermMonths": {"type": ["integer", "null"], "minimum": 1, "maximum": 120},
      "noticePeriodDays": {"type": ["integer", "null"], "minimum": 0, "maximum": 3650},
      "tags": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 50}},
      "customFields": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
      "parentId": {"type": ["string", "null"]}, "relation": {"enum": ["amendment", "sow", "renewal", "addendum", "order", null]},
      "appliesToParent": {"type": "array", "items": {"enum": ["value", "expirationDate"]}, "description": "amendments: terms that replace the parent's when the amendment becomes active"}}}
  }
})JSON";

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

bj::value build_document() {
  bj::object paths;
  for (const auto& op : kOperations) {
    auto& path = paths[op.path];
    if (!path.is_object()) path = bj::object{};
    bj::object operation{
        {"summary", op.summary},
        {"tags", bj::array{op.tag}},
        {"responses",
         bj::object{
             {"default",
              bj::object{
                  {"description", "A problem+json error"},
                  {"content",
                   bj::object{
                       {"application/problem+json",
                        bj::object{
                            {"schema", bj::object{{"$ref", "#/components/schemas/Problem"}}}}}}}}},
             {"2XX", bj::object{{"description", "Success"}}}}}};
    if (!op.authenticated) operation["security"] = bj::array{};
    if (op.body_schema == kUpload)
      operation["requestBody"] = bj::object{
          {"required", true},
          {"content",
           bj::object{
               {"multipart/form-data",
                bj::object{
                    {"schema",
                     bj::object{
                         {"type", "object"},
                         {"required", bj::array{"file"}},
                         {"properties",
                          bj::object{{"file", bj::object{{"type", "string"}, {"format", "binary"}}},
                                     {"kind", bj::object{{"enum", bj::array{"main", "attachment",
                                                                            "signed_copy",
                                                                            "exhibit"}}}}}}}}}},
               {"application/octet-stream",
                bj::object{{"schema", bj::object{{"type", "string"}, {"format", "binary"}}}}}}}};
    else if (op.body_schema)
      operation["requestBody"] = bj::object{
          {"required", true},
          {"content",
           bj::object{
               {"application/json",
                bj::object{{"schema", bj::object{{"$ref", std::string("#/components/schemas/") +
                                                              op.body_schema}}}}}}}};
    bj::array path_params;
    for (std::string_view rest = op.path; rest.find('{') != std::string_view::npos;) {
      const auto open = rest.find('{');
      const auto close = rest.find('}', open);
      path_params.push_back(bj::object{{"name", rest.substr(open + 1, close - open - 1)},
                                       {"in", "path"},
                                       {"required", true},
                                       {"schema", bj::object{{"type", "string"}}}});
      rest.remove_prefix(close + 1);
    }
    if (!path_params.empty()) operation["parameters"] = std::move(path_params);
    if (std::string_view(op.method) == "get") {
      auto params = query_parameters(op.path);
      if (!params.empty()) {
        auto& all = operation["parameters"];
        if (!all.is_array()) all = bj::array{};
        for (auto& p : params) all.as_array().push_back(std::move(p));
      }
    }
    path.as_object()[op.method] = std::move(operation);
  }
  return bj::object{
      {"openapi", "3.1.0"},
      {"info", bj::object{{"title", "contractmgmt API"},
                          {"version", "1"},
                          {"description",
                           "Contract lifecycle management. Errors are RFC 9457 problem+json."}}},
      {"servers", bj::array{bj::object{{"url", "/"}}}},
      {"security", bj::array{bj::object{{"bearer", bj::array{}}}}},
      {"paths", std::move(paths)},
      {"components", bj::parse(kComponents)}};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> openapi_operations() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& op : kOperations) out.emplace_back(to_upper(op.method), op.path);
  return out;
}

void add_openapi_routes(http::Router& router) {
  const std::string document = bj::serialize(build_document());
  router.add(
      "GET", "/api/openapi.json",
      [document](http::Request&) { return http::Response::json(200, document); },
      http::Access::public_route);
}

}  // namespace cm::api
