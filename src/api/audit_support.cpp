// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/audit_support.hpp"

#include "api/json_io.hpp"
#include "store/audit_repository.hpp"

namespace cm::api {

AuditActor audit_actor(const http::Request& request) {
  const auto& p = principal_of(request);
  return audit_actor_as(request, p.org_id, p.actor_id);
}

AuditActor audit_actor_as(const http::Request& request, std::string_view org_id,
                          std::string_view actor_id) {
  const bool api_key = request.principal && request.principal->actor_type == ActorType::api_key;
  return {std::string(org_id), std::string(actor_id), api_key ? "api_key" : "user",
          request.request_id, request.remote_ip};
}

void audit_as(store::Connection& conn, const http::Request& request, std::string_view org_id,
              std::string_view actor_id, std::string_view action, std::string_view entity_type,
              std::string_view entity_id, bj::value changes) {
  store::record_audit(conn, audit_actor_as(request, org_id, actor_id), action, entity_type,
                      entity_id, std::move(changes));
}

void audit(store::Connection& conn, const http::Request& request, std::string_view action,
           std::string_view entity_type, std::string_view entity_id, bj::value changes) {
  store::record_audit(conn, audit_actor(request), action, entity_type, entity_id,
                      std::move(changes));
}

}  // namespace cm::api
