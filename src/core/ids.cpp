// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/ids.hpp"

#include <cstddef>
#include <string>

#include "core/crypto.hpp"
#include "core/time.hpp"

namespace cm {

std::string new_id() {
  return new_id_at(now_unix_ms());
}

namespace {

// Random bytes for ids, fetched in blocks: one getrandom per ~50 ids instead of one per id (a
// request id per request made it a syscall on every request). Same CSPRNG output, prefetched.
void id_random_bytes(unsigned char* out, std::size_t n) {
  constexpr std::size_t kBlock = 512;
  thread_local std::string pool;
  thread_local std::size_t used = 0;
  if (pool.size() - used < n) {
    pool = crypto::random_bytes(kBlock);
    used = 0;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(pool[used + i]);
  used += n;
}

}  // namespace

std::string new_id_at(std::int64_t unix_ms) {
  unsigned char b[16];
  const auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  id_random_bytes(b + 6, 10);
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0F));  // version 7
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));  // RFC 9562 variant
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0F]);
  }
  return out;
}

bool is_valid_id(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace cm
