// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Opaque, time-ordered identifiers (UUIDv7, RFC 9562): sortable by creation time, unguessable
// enough not to leak counts, and never a row number.

#include <cstdint>
#include <string>
#include <string_view>

namespace cm {

std::string new_id();
std::string new_id_at(std::int64_t unix_ms);
// Lower-case canonical 8-4-4-4-12 form (any UUID version).
bool is_valid_id(std::string_view text) noexcept;

}  // namespace cm
