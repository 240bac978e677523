// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Housekeeping of document contents, run by periodic jobs and by the command line:
// purging soft-deleted documents after their retention, removing blobs no version references,
// and re-wrapping data keys after an encryption key rotation.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "blob/content_store.hpp"
#include "store/database.hpp"

namespace cm::jobs {

struct PurgeReport {
  std::int64_t documents = 0;
  std::int64_t blobs = 0;
};
// Removes documents whose retention ended (rows first, then their blobs: a blob left behind by
// a crash is garbage-collected later; a row never points at a removed blob).
PurgeReport purge_deleted_documents(store::Database& db, blob::ContentStore& content,
                                    std::int64_t now_ms, int batch = 100);

struct GcReport {
  std::int64_t scanned = 0;
  std::int64_t removed = 0;
  std::int64_t kept_young = 0;  // unreferenced but inside the grace period (maybe an upload)
};
// Removes document blobs that no version row references and that are older than `grace`
// (an upload in flight has written its blob but not yet committed its row).
Result<GcReport> gc_blobs(store::Database& db, blob::BlobStore& blobs, std::chrono::seconds grace);

struct RotateReport {
  std::int64_t rewrapped = 0;
  std::int64_t unencrypted = 0;  // versions stored before encryption was turned on
};
// Re-wraps every data key not wrapped by the key ring's primary key. Contents are untouched.
Result<RotateReport> rotate_keys(store::Database& db, const envelope::KeyRing& keys);

// The prefix under which document contents are stored in the blob store.
inline constexpr std::string_view kDocumentBlobPrefix = "documents/";

}  // namespace cm::jobs
