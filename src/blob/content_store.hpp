// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Document contents on top of a BlobStore: hashes what it stores, encrypts it with a fresh data
// key per blob when a key ring is configured (the wrapped key goes into the version row), and
// decrypts on the way out. Callers see plaintext only.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "blob/blob_store.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "core/stream.hpp"

namespace cm::envelope {
class KeyRing;
}  // namespace cm::envelope

namespace cm::blob {

struct StoredContent {
  std::string blob_key;
  std::uint64_t size = 0;         // plaintext bytes
  std::string sha256;             // of the plaintext, lower-case hex
  std::uint64_t stored_size = 0;  // bytes in the blob store
  std::optional<std::string> key_id;
  std::optional<std::string> wrapped_key;
};

class ContentStore {
 public:
  // `keys` null: contents are stored unencrypted (development only).
  ContentStore(BlobStore& blobs, const envelope::KeyRing* keys) : blobs_(blobs), keys_(keys) {}

  Result<StoredContent> store(const std::string& blob_key, ByteSource& plaintext);
  // The plaintext of a stored version, from `range.offset` for `range.length` bytes.
  Result<std::unique_ptr<ByteSource>> open(const DocumentVersion& version, ByteRange range = {});
  Result<bool> remove(const std::string& blob_key) { return blobs_.remove(blob_key); }

  bool encrypting() const noexcept { return keys_ != nullptr; }
  BlobStore& blobs() noexcept { return blobs_; }
  const envelope::KeyRing* keys() const noexcept { return keys_; }

 private:
  BlobStore& blobs_;
  const envelope::KeyRing* keys_;
};

}  // namespace cm::blob
