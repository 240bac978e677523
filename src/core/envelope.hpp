// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Envelope encryption of document contents at rest.
//
// Each blob gets a fresh random data key. Its contents are encrypted with that key by libsodium's
// XChaCha20-Poly1305 secretstream in 64 KiB chunks, so files of any size stream in bounded
// memory. The data key is stored next to the blob (in the database), wrapped (AEAD-encrypted) by
// a master key from ENCRYPTION_KEY, together with the master key's id. Rotation configures a new
// ENCRYPTION_KEY, moves the previous one to ENCRYPTION_KEYS_OLD and re-wraps the data keys
// (`rewrap`); the blobs themselves are never re-encrypted.
//
// Failures are cm::Error with kind `internal` (stored data or server configuration is wrong; the
// client sees a plain 500, the detail is for the log), except KeyRing parsing (kind `validation`
// with one field error per bad variable, like the rest of the configuration).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/stream.hpp"

namespace cm::envelope {

inline constexpr std::size_t kKeyBytes = 32;

// 32 secret bytes, wiped (sodium_memzero) on destruction and when moved from.
class SecretKey {
 public:
  SecretKey() noexcept;  // all zero
  // Exactly kKeyBytes bytes, or std::invalid_argument.
  static SecretKey from_bytes(std::string_view bytes);
  static SecretKey random();

  SecretKey(const SecretKey& other) noexcept;
  SecretKey& operator=(const SecretKey& other) noexcept;
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();

  const unsigned char* data() const noexcept { return bytes_.data(); }
  unsigned char* data() noexcept { return bytes_.data(); }
  static constexpr std::size_t size() noexcept { return kKeyBytes; }
  // Constant-time comparison.
  bool operator==(const SecretKey& other) const noexcept;

 private:
  std::array<unsigned char, kKeyBytes> bytes_;
};

// A fresh master key as standard base64 (what `contractmgmt keys generate` prints).
std::string generate_key_base64();

// A key's public id: 16 lower-case hex characters derived from the key by BLAKE2b KDF with a
// fixed context. Stable across releases and machines; reveals nothing about the key.
std::string key_id(const SecretKey& key);

// The configured master keys: the primary (wraps every new data key) and old ones still
// accepted for unwrapping until `keys rotate` has moved everything to the primary. Immutable
// once built, so one instance can be shared by every thread.
class KeyRing {
 public:
  explicit KeyRing(const SecretKey& primary, const std::vector<SecretKey>& old = {});

  const std::string& primary_id() const noexcept { return entries_.front().id; }
  // The master key with this id, or nullptr when it is not configured.
  const SecretKey* find(std::string_view id) const noexcept;
  // Every configured id, primary first.
  std::vector<std::string> ids() const;

 private:
  friend struct KeyRingAccess;
  struct Entry {
    std::string id;
    SecretKey key;
    SecretKey wrapping_key;  // derived from `key`, so the master key feeds a single primitive
  };
  const Entry* entry(std::string_view id) const noexcept;
  std::vector<Entry> entries_;
};

// Builds the ring from ENCRYPTION_KEY (standard base64 of 32 bytes) and ENCRYPTION_KEYS_OLD
// (comma-separated keys of the same form; blanks around commas and empty entries are ignored).
// Errors name the variable and the 1-based entry; key material is never echoed.
Result<KeyRing> parse_key_ring(std::string_view primary_base64, std::string_view old_base64_list);

// A data key as stored with a blob: the master key id and base64 of
// nonce (24 bytes) || XChaCha20-Poly1305-IETF ciphertext of the data key (48 bytes).
struct WrappedKey {
  std::string key_id;
  std::string wrapped;

  bool operator==(const WrappedKey&) const = default;
};

struct DataKey {
  SecretKey key;       // encrypt the blob with this, then drop it
  WrappedKey wrapped;  // store this with the blob
};

// A fresh random data key wrapped under the primary key.
DataKey new_data_key(const KeyRing& ring);

// The data key, or an error: the key id is not configured (the message names it and says to add
// that key to ENCRYPTION_KEYS_OLD), or the wrapped key is malformed or fails authentication.
Result<SecretKey> unwrap(const KeyRing& ring, const WrappedKey& wrapped);

// `wrapped` re-wrapped under the primary key. A key already under the primary is verified and
// returned unchanged (compare with the input, or use needs_rewrap, to skip the database write).
Result<WrappedKey> rewrap(const KeyRing& ring, const WrappedKey& wrapped);
bool needs_rewrap(const KeyRing& ring, const WrappedKey& wrapped) noexcept;

// ---- Content streams ----
//
// Format (version 1):
//   "CMEV" 0x01                         5 bytes
//   secretstream header                 24 bytes
//   records, each one sealed chunk      plaintext + 17 bytes
// Every chunk but the last holds exactly kChunkBytes of plaintext and has TAG_MESSAGE; the last
// holds fewer (possibly zero) and has TAG_FINAL, so an empty input or one that is a multiple of
// the chunk size ends with an empty final chunk. The 5-byte prefix is associated data of every
// chunk.

inline constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;

// Exact ciphertext size for a plaintext size.
std::uint64_t ciphertext_size(std::uint64_t plaintext_size) noexcept;
// The inverse; nullopt for a size no ciphertext can have.
std::optional<std::uint64_t> plaintext_size(std::uint64_t ciphertext_size) noexcept;

// The stable detail of every error for content that is not exactly what was encrypted.
inline constexpr std::string_view kContentAuthFailed = "document content failed authentication";

// Reads plaintext from `plain` and yields the encrypted stream. Holds one chunk in memory.
// `plain` must outlive this object.
class EncryptingSource final : public ByteSource {
 public:
  EncryptingSource(ByteSource& plain, const SecretKey& data_key);
  ~EncryptingSource() override;
  EncryptingSource(const EncryptingSource&) = delete;
  EncryptingSource& operator=(const EncryptingSource&) = delete;

  std::size_t read(char* out, std::size_t capacity) override;

 private:
  void seal_next_chunk();

  ByteSource& plain_;
  std::array<unsigned char, 52> state_;  // crypto_secretstream_xchacha20poly1305_state
  std::vector<unsigned char> chunk_;     // plaintext being gathered
  std::vector<unsigned char> pending_;   // sealed bytes not yet handed out
  std::size_t pending_pos_ = 0;
  bool final_sealed_ = false;
};

// Reads the encrypted stream from `cipher` and yields the plaintext, verifying every chunk
// before any of its bytes are returned. A stream that was altered, reordered, truncated or
// extended, or encrypted under another key, throws cm::Error (kind internal, detail
// kContentAuthFailed). read() returns 0 only after the whole stream has verified, so a consumer
// must treat an exception as "abort", never as a clean end. Holds one chunk in memory.
class DecryptingSource final : public ByteSource {
 public:
  DecryptingSource(ByteSource& cipher, const SecretKey& data_key);
  ~DecryptingSource() override;
  DecryptingSource(const DecryptingSource&) = delete;
  DecryptingSource& operator=(const DecryptingSource&) = delete;

  std::size_t read(char* out, std::size_t capacity) override;

  // Decrypts, verifies and discards `count` plaintext bytes (for HTTP Range requests: open the
  // blob from ciphertext offset 0, skip to the range start, then read the range length; the
  // stream's chaining means earlier chunks must be processed, not jumped over). Returns how many
  // were skipped: fewer than `count` only at the end of the content.
  std::uint64_t skip(std::uint64_t count);

 private:
  bool open_next_chunk();  // false at the verified end
  void read_header();

  ByteSource& cipher_;
  SecretKey key_;
  std::array<unsigned char, 52> state_;
  bool header_read_ = false;
  bool final_seen_ = false;
  bool failed_ = false;
  std::vector<unsigned char> record_;  // one sealed chunk
  std::vector<unsigned char> plain_;   // its verified plaintext
  std::size_t plain_len_ = 0;
  std::size_t plain_pos_ = 0;
};

// Push-side twin of EncryptingSource: encrypts what is written and writes the stream to
// `cipher`; finish() seals the final chunk and finishes `cipher`. Destroyed without finish(),
// nothing is finished downstream.
class EncryptingSink final : public ByteSink {
 public:
  EncryptingSink(ByteSink& cipher, const SecretKey& data_key);
  ~EncryptingSink() override;
  EncryptingSink(const EncryptingSink&) = delete;
  EncryptingSink& operator=(const EncryptingSink&) = delete;

  void write(std::string_view bytes) override;
  void finish() override;

 private:
  void seal(bool final);

  ByteSink& cipher_;
  std::array<unsigned char, 52> state_;
  std::vector<unsigned char> chunk_;  // plaintext gathered, chunk_len_ bytes of it used
  std::size_t chunk_len_ = 0;
  std::vector<unsigned char> record_;
  bool finished_ = false;
};

}  // namespace cm::envelope
