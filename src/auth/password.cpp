// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/password.hpp"

#include <sodium.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "core/json.hpp"
#include "core/utf8.hpp"

namespace cm::auth {

namespace {

constexpr int kMaxConcurrentHashes = 4;

class HashSlots {
 public:
  void acquire() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int free_ = kMaxConcurrentHashes;
};

HashSlots& slots() {
  static HashSlots s;
  return s;
}

struct SlotGuard {
  SlotGuard() { slots().acquire(); }
  ~SlotGuard() { slots().release(); }
};

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialize");
}

}  // namespace

std::string hash_password(std::string_view password) {
  ensure_sodium();
  SlotGuard guard;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(std::string_view password, const std::string& stored_hash) {
  ensure_sodium();
  SlotGuard guard;
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
  static const std::string hash = hash_password("not-a-real-password-used-for-timing");
  return hash;
}

std::string password_problem(std::string_view password) {
  if (!utf8::is_valid(password)) return "must be valid UTF-8";
  const auto length = utf8::length(password);
  if (length < kMinPasswordLength)
    return "must be at least " + std::to_string(kMinPasswordLength) + " characters";
  if (length > kMaxPasswordLength)
    return "must be at most " + std::to_string(kMaxPasswordLength) + " characters";
  return {};
}

}  // namespace cm::auth
