// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Audit events of a request's changes: the actor is the request's principal (with the request id
// and the client's address), the event joins the change's transaction.

#include <boost/json/value.hpp>
#include <string_view>

#include "core/audit.hpp"
#include "http/request.hpp"
#include "store/database.hpp"

namespace cm::api {

namespace bj = boost::json;

// The request's principal as the actor of audited changes (with request id and address).
AuditActor audit_actor(const http::Request& request);
// The same for a known actor without a principal (logins).
AuditActor audit_actor_as(const http::Request& request, std::string_view org_id,
                          std::string_view actor_id);

// Appends an audit event for the request's principal in the caller's transaction.
void audit(store::Connection& conn, const http::Request& request, std::string_view action,
           std::string_view entity_type, std::string_view entity_id, bj::value changes = nullptr);
// For actions without an authenticated principal (logins).
void audit_as(store::Connection& conn, const http::Request& request, std::string_view org_id,
              std::string_view actor_id, std::string_view action, std::string_view entity_type,
              std::string_view entity_id, bj::value changes = nullptr);

}  // namespace cm::api
