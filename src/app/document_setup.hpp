// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Builds the document machinery from the configuration: the key ring (ENCRYPTION_KEY and
// ENCRYPTION_KEYS_OLD), the blob store (local disk or S3) and the content store on top.

#include <functional>
#include <memory>
#include <optional>

#include "api/document_services.hpp"
#include "app/config.hpp"
#include "blob/blob_store.hpp"
#include "blob/content_store.hpp"
#include "core/envelope.hpp"
#include "render/pdf_renderer.hpp"

namespace cm::app {

struct DocumentStorage {
  // Heap-held so the content store's pointers survive moves of this struct.
  std::unique_ptr<envelope::KeyRing> keys;  // null: unencrypted (development only)
  std::unique_ptr<blob::BlobStore> blobs;
  std::unique_ptr<blob::ContentStore> content;
};

// Prints a clear message to stderr and returns nullopt when the storage cannot be set up.
std::optional<DocumentStorage> open_document_storage(const Config& config);

// The certificate renderer with its fonts loaded; prints which font files (and Debian packages)
// are missing to stderr and returns null when it cannot be set up.
std::unique_ptr<render::PdfRenderer> open_certificate_renderer();

using EnqueueExtraction = std::function<void(store::Transaction&, const std::string& org_id,
                                             const std::string& document_id, int version)>;

// What the document handlers use: type detection (libmagic), word-level comparison, the
// certificate renderer and the extraction job, over `storage`.
api::DocumentServices document_services(const Config& config, DocumentStorage& storage,
                                        const render::PdfRenderer& certificate_pdf,
                                        EnqueueExtraction enqueue);

// The text extraction of stored versions (the `document.extract` job's work): decrypts the
// version into a private temporary file and runs the isolated extractor on it.
bool extraction_supported(std::string_view content_type);

}  // namespace cm::app
