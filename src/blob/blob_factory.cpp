// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/blob_factory.hpp"

#include <stdexcept>

#include "blob/local_blob_store.hpp"

namespace cm::blob {

Result<std::unique_ptr<BlobStore>> make_blob_store(const BlobConfig& config) {
  switch (config.backend) {
    case BlobBackend::local: {
      auto store = std::make_unique<LocalBlobStore>(config.local_root);
      if (auto ok = store->check(); !ok) return ok.error();
      return std::unique_ptr<BlobStore>(std::move(store));
    }
    case BlobBackend::s3:
      try {
        return std::unique_ptr<BlobStore>(std::make_unique<S3BlobStore>(config.s3));
      } catch (const std::invalid_argument& e) {
        return Error(ErrorKind::unavailable, std::string("blob store configuration: ") + e.what());
      }
  }
  return Error(ErrorKind::internal, "unknown blob backend");
}

std::string_view to_string(BlobBackend backend) noexcept {
  return backend == BlobBackend::s3 ? "s3" : "local";
}

}  // namespace cm::blob
