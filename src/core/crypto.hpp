// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Small wrappers over libsodium for hashing, MACs, encodings and randomness. Pure computation;
// sodium_init() is called once by the first use.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cm::crypto {

// Raw 32-byte SHA-256 of the bytes.
std::string sha256(std::string_view data);
// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view data);
// Raw 32-byte HMAC-SHA-256.
std::string hmac_sha256(std::string_view key, std::string_view data);

std::string base64url_encode(std::string_view bytes);  // no padding
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);  // standard, padded
std::optional<std::string> base64_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);

std::string random_bytes(std::size_t count);
// `count` random bytes as base64url text (unguessable tokens).
std::string random_token(std::size_t count = 32);

bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace cm::crypto
