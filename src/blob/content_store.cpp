// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/content_store.hpp"

#include <sodium.h>

#include <algorithm>

#include "core/crypto.hpp"
#include "core/envelope.hpp"

namespace cm::blob {

namespace {

// Passes bytes through while hashing and counting them.
class HashingSource final : public ByteSource {
 public:
  explicit HashingSource(ByteSource& inner) : inner_(inner) {
    if (sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium failed to initialize");
    crypto_hash_sha256_init(&state_);
  }
  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t n = inner_.read(out, capacity);
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(out), n);
    bytes_ += n;
    return n;
  }
  std::string hex_digest() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, digest);
    return crypto::hex_encode(
        std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  }
  std::uint64_t bytes() const noexcept { return bytes_; }

 private:
  ByteSource& inner_;
  crypto_hash_sha256_state state_{};
  std::uint64_t bytes_ = 0;
};

// At most `limit` bytes of the inner source.
class LimitedSource final : public ByteSource {
 public:
  LimitedSource(std::unique_ptr<ByteSource> inner, std::optional<std::uint64_t> limit)
      : inner_(std::move(inner)), remaining_(limit) {}
  std::size_t read(char* out, std::size_t capacity) override {
    if (remaining_)
      capacity = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, *remaining_));
    if (capacity == 0) return 0;
    const std::size_t n = inner_->read(out, capacity);
    if (remaining_) *remaining_ -= n;
    return n;
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::optional<std::uint64_t> remaining_;
};

// Owns the ciphertext stream and decrypts it.
class OwningDecryptor final : public ByteSource {
 public:
  OwningDecryptor(std::unique_ptr<ByteSource> cipher, const envelope::SecretKey& key)
      : cipher_(std::move(cipher)), plain_(*cipher_, key) {}
  std::size_t read(char* out, std::size_t capacity) override { return plain_.read(out, capacity); }
  std::uint64_t skip(std::uint64_t n) { return plain_.skip(n); }

 private:
  std::unique_ptr<ByteSource> cipher_;
  envelope::DecryptingSource plain_;
};

}  // namespace

Result<StoredContent> ContentStore::store(const std::string& blob_key, ByteSource& plaintext) {
  HashingSource hashed(plaintext);
  StoredContent out;
  out.blob_key = blob_key;
  Result<std::uint64_t> written = std::uint64_t{0};
  if (keys_) {
    auto data_key = envelope::new_data_key(*keys_);
    envelope::EncryptingSource encrypted(hashed, data_key.key);
    written = blobs_.put(blob_key, encrypted);
    out.key_id = data_key.wrapped.key_id;
    out.wrapped_key = data_key.wrapped.wrapped;
  } else {
    written = blobs_.put(blob_key, hashed);
  }
  if (!written) return written.error();
  out.size = hashed.bytes();
  out.sha256 = hashed.hex_digest();
  out.stored_size = *written;
  return out;
}

Result<std::unique_ptr<ByteSource>> ContentStore::open(const DocumentVersion& version,
                                                       ByteRange range) {
  if (!version.key_id) return blobs_.open(version.blob_key, range);
  if (!keys_)
    return Error(ErrorKind::unavailable,
                 "this document is encrypted and no ENCRYPTION_KEY is configured");
  auto key = envelope::unwrap(*keys_, {*version.key_id, version.wrapped_key.value_or("")});
  if (!key)  // a configuration problem of this server, not the client's: 503, details in the log
    return Error(ErrorKind::unavailable,
                 "this document is encrypted with a key this server does not have (key id " +
                     *version.key_id + "); see ENCRYPTION_KEYS_OLD");
  auto cipher = blobs_.open(version.blob_key);
  if (!cipher) return cipher.error();
  auto plain = std::make_unique<OwningDecryptor>(std::move(*cipher), *key);
  if (range.offset > 0 && plain->skip(range.offset) < range.offset)
    return Error(ErrorKind::range_not_satisfiable, "the range starts after the end of the content");
  return std::unique_ptr<ByteSource>(
      std::make_unique<LimitedSource>(std::move(plain), range.length));
}

}  // namespace cm::blob
