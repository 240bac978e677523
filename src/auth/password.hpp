// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Password hashing with argon2id (libsodium, "interactive" limits: 64 MiB, 2 passes). Each hash
// takes ~0.1 s and 64 MiB, so concurrent hashing is capped to keep a burst of logins from
// exhausting memory; callers beyond the cap wait.

#include <string>
#include <string_view>

namespace cm::auth {

inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 256;

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& stored_hash);
// A fixed hash used to spend the same time when the account does not exist.
const std::string& dummy_password_hash();

// Empty when acceptable, else a message for the field error.
std::string password_problem(std::string_view password);

}  // namespace cm::auth
