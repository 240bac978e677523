#pragma once
// Builds the document machinery from the configuration: the key ring (ENCRYPTION_KEY and
// ENCRYPTION_KEYS_OLD), the blob store (local disk or S3) and the content store on top.

#include <memory>
#include <optional>

#include "app/config.hpp"
#include "blob/blob_store.hpp"
#include "blob/content_store.hpp"
#include "core/envelope.hpp"

namespace cm::app {

struct DocumentStorage {
  // Heap-held so the content store's pointers survive moves of this struct.
  std::unique_ptr<envelope::KeyRing> keys;  // null: unencrypted (development only)
  std::unique_ptr<blob::BlobStore> blobs;
  std::unique_ptr<blob::ContentStore> content;
};

// Prints a clear message to stderr and returns nullopt when the storage cannot be set up.
std::optional<DocumentStorage> open_document_storage(const Config& config);

}  // namespace cm::app
