// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/envelope.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace cm::envelope {

struct KeyRingAccess {
  static const KeyRing::Entry& primary(const KeyRing& ring) { return ring.entries_.front(); }
  static const KeyRing::Entry* entry(const KeyRing& ring, std::string_view id) {
    return ring.entry(id);
  }
};

namespace {

using StreamState = crypto_secretstream_xchacha20poly1305_state;
static_assert(sizeof(StreamState) == 52 && alignof(StreamState) == 1,
              "envelope.hpp reserves 52 unaligned bytes for the secretstream state");
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == kKeyBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kKeyBytes);
static_assert(crypto_kdf_KEYBYTES == kKeyBytes);

constexpr std::size_t kHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;  // 24
constexpr std::size_t kChunkOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;     // 17
constexpr std::size_t kRecordBytes = kChunkBytes + kChunkOverhead;
constexpr std::array<unsigned char, 5> kPrefix = {'C', 'M', 'E', 'V', 0x01};
constexpr std::size_t kPreambleBytes = kPrefix.size() + kHeaderBytes;

// KDF context and sub-key ids: changing any of these changes every key id / breaks every
// wrapped key, so they are fixed forever for this format.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "cmkeys01";
constexpr std::uint64_t kKeyIdSubkey = 1;
constexpr std::uint64_t kWrappingSubkey = 2;
constexpr std::size_t kKeyIdBytes = 8;  // 16 hex characters
constexpr std::string_view kWrapAdPrefix = "contractmgmt data key v1 ";
constexpr std::size_t kWrapNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kWrappedBytes =
    kWrapNonceBytes + kKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES;

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialize");
}

StreamState* as_state(std::array<unsigned char, 52>& raw) {
  return reinterpret_cast<StreamState*>(raw.data());
}

Error content_auth_failed() {
  return {ErrorKind::internal, std::string(kContentAuthFailed)};
}

SecretKey derive(const SecretKey& master, std::uint64_t subkey_id) {
  SecretKey out;
  crypto_kdf_derive_from_key(out.data(), out.size(), subkey_id, kKdfContext, master.data());
  return out;
}

std::string wrap_ad(std::string_view id) {
  std::string ad(kWrapAdPrefix);
  ad += id;
  return ad;
}

WrappedKey wrap(const KeyRing& ring, const SecretKey& data_key) {
  const auto& primary = KeyRingAccess::primary(ring);
  const std::string ad = wrap_ad(primary.id);
  std::array<unsigned char, kWrappedBytes> out{};
  randombytes_buf(out.data(), kWrapNonceBytes);
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kWrapNonceBytes, nullptr, data_key.data(), data_key.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, out.data(),
      primary.wrapping_key.data());
  return {primary.id,
          crypto::base64_encode({reinterpret_cast<const char*>(out.data()), out.size()})};
}

// Reads until `size` bytes or the end; returns how many were read.
std::size_t read_fully(ByteSource& source, unsigned char* out, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    const std::size_t n = source.read(reinterpret_cast<char*>(out) + got, size - got);
    if (n == 0) break;
    got += n;
  }
  return got;
}

std::optional<SecretKey> decode_key(std::string_view base64) {
  auto bytes = crypto::base64_decode(base64);
  if (!bytes || bytes->size() != kKeyBytes) {
    if (bytes) sodium_memzero(bytes->data(), bytes->size());
    return std::nullopt;
  }
  auto key = SecretKey::from_bytes(*bytes);
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

constexpr std::string_view kKeyFormatHint =
    "standard base64 of exactly 32 bytes (generate one with: contractmgmt keys generate)";

}  // namespace

// ---- SecretKey ----

SecretKey::SecretKey() noexcept : bytes_{} {}

SecretKey SecretKey::from_bytes(std::string_view bytes) {
  if (bytes.size() != kKeyBytes) throw std::invalid_argument("a key must be exactly 32 bytes");
  SecretKey key;
  std::memcpy(key.bytes_.data(), bytes.data(), kKeyBytes);
  return key;
}

SecretKey SecretKey::random() {
  ensure_sodium();
  SecretKey key;
  randombytes_buf(key.bytes_.data(), kKeyBytes);
  return key;
}

SecretKey::SecretKey(const SecretKey& other) noexcept : bytes_(other.bytes_) {}
SecretKey& SecretKey::operator=(const SecretKey& other) noexcept {
  bytes_ = other.bytes_;
  return *this;
}
SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), kKeyBytes);
}
SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), kKeyBytes);
  }
  return *this;
}
SecretKey::~SecretKey() {
  sodium_memzero(bytes_.data(), kKeyBytes);
}

bool SecretKey::operator==(const SecretKey& other) const noexcept {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), kKeyBytes) == 0;
}

std::string generate_key_base64() {
  const SecretKey key = SecretKey::random();
  return crypto::base64_encode({reinterpret_cast<const char*>(key.data()), key.size()});
}

std::string key_id(const SecretKey& key) {
  ensure_sodium();
  std::array<unsigned char, crypto_kdf_BYTES_MIN> out{};
  crypto_kdf_derive_from_key(out.data(), out.size(), kKeyIdSubkey, kKdfContext, key.data());
  return crypto::hex_encode({reinterpret_cast<const char*>(out.data()), kKeyIdBytes});
}

// ---- KeyRing ----

KeyRing::KeyRing(const SecretKey& primary, const std::vector<SecretKey>& old) {
  ensure_sodium();
  entries_.push_back({key_id(primary), primary, derive(primary, kWrappingSubkey)});
  for (const auto& key : old) {
    std::string id = key_id(key);
    if (entry(id) != nullptr) continue;  // the same key listed twice, or the primary again
    entries_.push_back({std::move(id), key, derive(key, kWrappingSubkey)});
  }
}

const KeyRing::Entry* KeyRing::entry(std::string_view id) const noexcept {
  for (const auto& e : entries_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const SecretKey* KeyRing::find(std::string_view id) const noexcept {
  const Entry* e = entry(id);
  return e == nullptr ? nullptr : &e->key;
}

std::vector<std::string> KeyRing::ids() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.id);
  return out;
}

Result<KeyRing> parse_key_ring(std::string_view primary_base64, std::string_view old_base64_list) {
  std::vector<FieldError> problems;
  std::optional<SecretKey> primary;
  if (trim(primary_base64).empty()) {
    problems.push_back({"ENCRYPTION_KEY", "is required: " + std::string(kKeyFormatHint)});
  } else if (!(primary = decode_key(trim(primary_base64)))) {
    problems.push_back({"ENCRYPTION_KEY", "must be " + std::string(kKeyFormatHint)});
  }

  std::vector<SecretKey> old;
  std::size_t position = 0;
  std::string_view rest = old_base64_list;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    ++position;
    if (!item.empty()) {
      if (auto key = decode_key(item)) {
        old.push_back(std::move(*key));
      } else {
        problems.push_back({"ENCRYPTION_KEYS_OLD", "entry " + std::to_string(position) +
                                                       " (of the comma-separated list) must be " +
                                                       std::string(kKeyFormatHint)});
      }
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }

  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) {
      if (!detail.empty()) detail += "; ";
      detail += p.field + ": " + p.message;
    }
    return Error(ErrorKind::validation, std::move(detail), std::move(problems));
  }
  return KeyRing(*primary, old);
}

// ---- Data keys ----

DataKey new_data_key(const KeyRing& ring) {
  SecretKey key = SecretKey::random();
  WrappedKey wrapped = wrap(ring, key);
  return {std::move(key), std::move(wrapped)};
}

Result<SecretKey> unwrap(const KeyRing& ring, const WrappedKey& wrapped) {
  ensure_sodium();
  const auto* entry = KeyRingAccess::entry(ring, wrapped.key_id);
  if (entry == nullptr) {
    std::string configured;
    for (const auto& id : ring.ids()) {
      configured += configured.empty() ? id + " (primary)" : ", " + id;
    }
    return Error(ErrorKind::internal, "data key is wrapped by encryption key id '" +
                                          wrapped.key_id +
                                          "', which is not configured; add that key to "
                                          "ENCRYPTION_KEYS_OLD (configured key ids: " +
                                          configured + ")");
  }
  const auto raw = crypto::base64_decode(wrapped.wrapped);
  if (!raw || raw->size() != kWrappedBytes) {
    return Error(ErrorKind::internal,
                 "wrapped data key under key id '" + wrapped.key_id + "' is malformed");
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw->data());
  const std::string ad = wrap_ad(entry->id);
  SecretKey key;
  unsigned long long key_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          key.data(), &key_len, nullptr, bytes + kWrapNonceBytes, raw->size() - kWrapNonceBytes,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), bytes,
          entry->wrapping_key.data()) != 0 ||
      key_len != kKeyBytes) {
    return Error(ErrorKind::internal,
                 "wrapped data key under key id '" + wrapped.key_id + "' failed authentication");
  }
  return key;
}

Result<WrappedKey> rewrap(const KeyRing& ring, const WrappedKey& wrapped) {
  auto key = unwrap(ring, wrapped);
  if (!key) return key.error();
  if (!needs_rewrap(ring, wrapped)) return wrapped;
  return wrap(ring, *key);
}

bool needs_rewrap(const KeyRing& ring, const WrappedKey& wrapped) noexcept {
  return wrapped.key_id != ring.primary_id();
}

// ---- Sizes ----

std::uint64_t ciphertext_size(std::uint64_t plaintext_size) noexcept {
  const std::uint64_t chunks = plaintext_size / kChunkBytes + 1;
  return kPreambleBytes + chunks * kChunkOverhead + plaintext_size;
}

std::optional<std::uint64_t> plaintext_size(std::uint64_t ciphertext_size) noexcept {
  if (ciphertext_size < kPreambleBytes) return std::nullopt;
  const std::uint64_t records = ciphertext_size - kPreambleBytes;
  const std::uint64_t full = records / kRecordBytes;
  const std::uint64_t last = records % kRecordBytes;
  if (last < kChunkOverhead) return std::nullopt;
  return full * kChunkBytes + (last - kChunkOverhead);
}

// ---- EncryptingSource ----

EncryptingSource::EncryptingSource(ByteSource& plain, const SecretKey& data_key)
    : plain_(plain), state_{} {
  ensure_sodium();
  chunk_.resize(kChunkBytes);
  pending_.reserve(kRecordBytes);
  pending_.resize(kPreambleBytes);
  std::copy(kPrefix.begin(), kPrefix.end(), pending_.begin());
  crypto_secretstream_xchacha20poly1305_init_push(
      as_state(state_), pending_.data() + kPrefix.size(), data_key.data());
}

EncryptingSource::~EncryptingSource() {
  sodium_memzero(state_.data(), state_.size());
  sodium_memzero(chunk_.data(), chunk_.size());
}

void EncryptingSource::seal_next_chunk() {
  const std::size_t len = read_fully(plain_, chunk_.data(), kChunkBytes);
  final_sealed_ = len < kChunkBytes;
  const unsigned char tag = final_sealed_ ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                          : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  pending_.resize(len + kChunkOverhead);
  crypto_secretstream_xchacha20poly1305_push(as_state(state_), pending_.data(), nullptr,
                                             chunk_.data(), len, kPrefix.data(), kPrefix.size(),
                                             tag);
  pending_pos_ = 0;
}

std::size_t EncryptingSource::read(char* out, std::size_t capacity) {
  if (capacity == 0) return 0;
  if (pending_pos_ == pending_.size()) {
    if (final_sealed_) return 0;
    seal_next_chunk();
  }
  const std::size_t n = std::min(capacity, pending_.size() - pending_pos_);
  std::memcpy(out, pending_.data() + pending_pos_, n);
  pending_pos_ += n;
  return n;
}

// ---- DecryptingSource ----

DecryptingSource::DecryptingSource(ByteSource& cipher, const SecretKey& data_key)
    : cipher_(cipher), key_(data_key), state_{} {
  ensure_sodium();
}

DecryptingSource::~DecryptingSource() {
  sodium_memzero(state_.data(), state_.size());
  sodium_memzero(plain_.data(), plain_.size());
}

void DecryptingSource::read_header() {
  std::array<unsigned char, kPreambleBytes> preamble{};
  const std::size_t got = read_fully(cipher_, preamble.data(), preamble.size());
  if (got != preamble.size() || !std::equal(kPrefix.begin(), kPrefix.end(), preamble.begin()))
    throw content_auth_failed();
  if (crypto_secretstream_xchacha20poly1305_init_pull(
          as_state(state_), preamble.data() + kPrefix.size(), key_.data()) != 0)
    throw content_auth_failed();
  key_ = SecretKey();  // the state holds what is needed from here on
  record_.resize(kRecordBytes);
  plain_.resize(kChunkBytes);
  header_read_ = true;
}

bool DecryptingSource::open_next_chunk() {
  if (failed_) throw content_auth_failed();
  if (final_seen_) return false;
  failed_ = true;  // until this chunk has verified: an exception leaves the stream unusable
  if (!header_read_) read_header();
  const std::size_t got = read_fully(cipher_, record_.data(), kRecordBytes);
  if (got < kChunkOverhead) throw content_auth_failed();  // truncated: no final chunk
  unsigned long long len = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(as_state(state_), plain_.data(), &len, &tag,
                                                 record_.data(), got, kPrefix.data(),
                                                 kPrefix.size()) != 0)
    throw content_auth_failed();
  // Only a short record ends the stream (the source hit its end while filling it), and it must
  // carry FINAL; a full one must not. Bytes appended after the final chunk therefore land in its
  // record and fail its MAC before any of it is released.
  const bool last = got < kRecordBytes;
  const unsigned char expected = last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                      : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  if (tag != expected) throw content_auth_failed();
  final_seen_ = last;
  plain_len_ = static_cast<std::size_t>(len);
  plain_pos_ = 0;
  failed_ = false;
  return true;
}

std::size_t DecryptingSource::read(char* out, std::size_t capacity) {
  if (capacity == 0) return 0;
  while (plain_pos_ == plain_len_) {
    if (!open_next_chunk()) return 0;
  }
  const std::size_t n = std::min(capacity, plain_len_ - plain_pos_);
  std::memcpy(out, plain_.data() + plain_pos_, n);
  plain_pos_ += n;
  return n;
}

std::uint64_t DecryptingSource::skip(std::uint64_t count) {
  std::uint64_t skipped = 0;
  while (skipped < count) {
    if (plain_pos_ == plain_len_ && !open_next_chunk()) break;
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(count - skipped, plain_len_ - plain_pos_));
    plain_pos_ += n;
    skipped += n;
  }
  return skipped;
}

// ---- EncryptingSink ----

EncryptingSink::EncryptingSink(ByteSink& cipher, const SecretKey& data_key)
    : cipher_(cipher), state_{} {
  ensure_sodium();
  chunk_.resize(kChunkBytes);
  record_.resize(kRecordBytes);
  std::array<unsigned char, kPreambleBytes> preamble{};
  std::copy(kPrefix.begin(), kPrefix.end(), preamble.begin());
  crypto_secretstream_xchacha20poly1305_init_push(
      as_state(state_), preamble.data() + kPrefix.size(), data_key.data());
  cipher_.write({reinterpret_cast<const char*>(preamble.data()), preamble.size()});
}

EncryptingSink::~EncryptingSink() {
  sodium_memzero(state_.data(), state_.size());
  sodium_memzero(chunk_.data(), chunk_.size());
}

void EncryptingSink::seal(bool final) {
  const unsigned char tag = final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  crypto_secretstream_xchacha20poly1305_push(as_state(state_), record_.data(), nullptr,
                                             chunk_.data(), chunk_len_, kPrefix.data(),
                                             kPrefix.size(), tag);
  cipher_.write({reinterpret_cast<const char*>(record_.data()), chunk_len_ + kChunkOverhead});
  chunk_len_ = 0;
}

void EncryptingSink::write(std::string_view bytes) {
  if (finished_) throw std::logic_error("EncryptingSink::write after finish");
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kChunkBytes - chunk_len_);
    std::memcpy(chunk_.data() + chunk_len_, bytes.data(), n);
    chunk_len_ += n;
    bytes.remove_prefix(n);
    if (chunk_len_ == kChunkBytes) seal(false);
  }
}

void EncryptingSink::finish() {
  if (finished_) return;
  seal(true);
  finished_ = true;
  cipher_.finish();
}

}  // namespace cm::envelope
