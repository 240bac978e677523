// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Object storage for document contents. Two backends behind one interface, chosen by config:
// local disk (the default) and S3-compatible services. Keys are opaque ASCII paths chosen by
// the caller ("org/<uuid>/<uuid>"); contents are bytes (already encrypted when encryption is on).
//
// Keys follow blob/blob_key.hpp (an invalid key is a bad_request error). Every method may be
// called from many threads at once. Failures of the storage itself are `unavailable` errors whose
// detail is written for the operator (it names the directory or bucket and what to check), so log
// it rather than show it to a client. A ByteSource returned by open() must not outlive its store.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/stream.hpp"

namespace cm::blob {

struct BlobInfo {
  std::string key;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point modified;
};

// A byte range of an object: `length` empty means to the end.
struct ByteRange {
  std::uint64_t offset = 0;
  std::optional<std::uint64_t> length;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Streams `source` into the object `key`, replacing it. When this returns a value the object is
  // durable (fsynced / acknowledged by S3) and its size is returned; on failure nothing partial
  // is visible under `key` and a previous object under `key` is unchanged. An exception thrown by
  // `source` propagates unchanged, after the partial upload has been discarded.
  virtual Result<std::uint64_t> put(const std::string& key, ByteSource& source) = 0;

  // Opens the object for reading. Error kind not_found when it does not exist. A range that starts
  // at or past the end reads nothing; one that reaches past the end stops at the end. The reader
  // holds a bounded buffer, never the whole object.
  virtual Result<std::unique_ptr<ByteSource>> open(const std::string& key,
                                                   ByteRange range = {}) = 0;

  virtual Result<std::optional<BlobInfo>> stat(const std::string& key) = 0;

  // Deleting an absent object succeeds.
  virtual Result<bool> remove(const std::string& key) = 0;

  // Calls `each` for every object whose key starts with `prefix` (for garbage collection).
  virtual Result<bool> list(std::string_view prefix,
                            const std::function<void(const BlobInfo&)>& each) = 0;

  // "local" or "s3", for logs, metrics and /ready.
  virtual std::string_view backend() const noexcept = 0;

  // Whether the store is usable (the directory is writable / the bucket answers with these
  // credentials), for start-up and /ready. Never changes objects.
  virtual Result<bool> check() = 0;
};

}  // namespace cm::blob
