#include "app/document_setup.hpp"

#include <iostream>

#include "blob/blob_factory.hpp"

namespace cm::app {

std::optional<DocumentStorage> open_document_storage(const Config& config) {
  DocumentStorage storage;
  if (!config.encryption_key.empty()) {
    auto keys = envelope::parse_key_ring(config.encryption_key, config.encryption_keys_old);
    if (!keys) {
      std::cerr << "contractmgmt: " << keys.error().detail() << "\n";
      return std::nullopt;
    }
    storage.keys = std::make_unique<envelope::KeyRing>(std::move(*keys));
  }
  auto blobs = blob::make_blob_store(config.blob);
  if (!blobs) {
    std::cerr << "contractmgmt: document storage: " << blobs.error().detail() << "\n";
    return std::nullopt;
  }
  storage.blobs = std::move(*blobs);
  storage.content = std::make_unique<blob::ContentStore>(
      *storage.blobs, storage.keys.get());
  return storage;
}

}  // namespace cm::app
