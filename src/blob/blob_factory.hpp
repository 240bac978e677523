// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Builds the configured blob store: the composition root's one entry point to this layer.

#include <memory>
#include <string>

#include "blob/blob_store.hpp"
#include "blob/s3_blob_store.hpp"

namespace cm::blob {

enum class BlobBackend { local, s3 };

struct BlobConfig {
  BlobBackend backend = BlobBackend::local;
  std::string local_root = "./var/blobs";  // DATA_DIR/blobs
  S3Options s3;
};

// The store for `config`. Does no network I/O (call check() for that); a local root that cannot
// be created, or S3 options that cannot work (no bucket, bad endpoint, part size out of range),
// are `unavailable` errors naming the setting.
Result<std::unique_ptr<BlobStore>> make_blob_store(const BlobConfig& config);

std::string_view to_string(BlobBackend backend) noexcept;

}  // namespace cm::blob
