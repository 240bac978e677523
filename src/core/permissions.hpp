// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Who may do what. Pure functions of the principal and the resource, used by every handler.
//   admin   everything, manages users and API keys, reads the whole audit trail
//   manager creates contracts; edits every contract of the organization
//   member  creates contracts; edits the contracts they own
//   viewer  reads only

#include <string_view>

#include "core/principal.hpp"

namespace cm::permissions {

inline bool can_write(const Principal& p) noexcept {
  return p.role != Role::viewer;
}
inline bool can_manage_users(const Principal& p) noexcept {
  return p.role == Role::admin;
}
inline bool can_edit_contract(const Principal& p, std::string_view owner_id) noexcept {
  return p.role == Role::admin || p.role == Role::manager ||
         (p.role == Role::member && owner_id == p.user_id);
}
// Members may only create contracts they own themselves.
inline bool can_assign_owner(const Principal& p, std::string_view owner_id) noexcept {
  return p.role == Role::admin || p.role == Role::manager || owner_id == p.user_id;
}
inline bool can_delete_counterparty(const Principal& p) noexcept {
  return p.role == Role::admin || p.role == Role::manager;
}
// A legal hold freezes a contract's documents; only managers and admins set or lift it.
inline bool can_set_legal_hold(const Principal& p) noexcept {
  return p.role == Role::admin || p.role == Role::manager;
}
// Deleting a document: its contract's owner, managers and admins.
inline bool can_delete_document(const Principal& p, std::string_view contract_owner_id) noexcept {
  return p.role == Role::admin || p.role == Role::manager ||
         (p.role == Role::member && contract_owner_id == p.user_id);
}
inline bool can_read_full_audit(const Principal& p) noexcept {
  return p.role == Role::admin;
}

}  // namespace cm::permissions
