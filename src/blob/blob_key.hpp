// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Blob keys: the names objects are stored under, e.g. "org/<uuid>/<uuid>". The same rules hold on
// every backend so a key that works on a laptop works on S3, and a key can never escape the local
// store's root directory.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cm::blob {

inline constexpr std::size_t kMaxKeyBytes = 1024;     // S3's limit
inline constexpr std::size_t kMaxSegmentBytes = 255;  // a file name on common file systems

// Why `key` is not a valid blob key, or nullopt when it is. Valid keys are 1-1024 bytes of
// A-Z a-z 0-9 '-' '_' '.' '/', split by single '/' into segments of 1-255 bytes; no leading or
// trailing '/', and no segment starts with '.' (so no "." or "..", and names starting with '.'
// are left to the local store's temporary files).
std::optional<std::string> key_problem(std::string_view key);

// An error (kind bad_request) naming the key and the rule it breaks, or true.
Result<bool> check_key(std::string_view key);

// The key made printable for messages: at most 200 bytes, other bytes as \xNN.
std::string printable_key(std::string_view key);

}  // namespace cm::blob
