// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The document jobs, registered by the composition root (src/app/job_setup.cpp):
//   documents.extract_text  {orgId, documentId, version}: text extraction of one version, in an
//                           isolated helper process (enqueued with the upload)
//   documents.purge         periodic: removes soft-deleted documents past their retention
//   blobs.gc                periodic: removes blobs no version references (after a grace period)
// Every handler is idempotent: a job may run more than once.

#include <chrono>
#include <string>
#include <string_view>

#include "blob/content_store.hpp"
#include "jobs/handler_registry.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/scheduler.hpp"
#include "store/database.hpp"

namespace cm::jobs {

inline constexpr const char* kExtractTextJob = "documents.extract_text";

// Names of the decrypted copies under DocumentJobOptions::scratch_dir (a sweep at start removes
// the ones a crashed worker left behind).
inline constexpr std::string_view kExtractScratchPrefix = "extract-";

struct DocumentJobOptions {
  std::string executable;   // the binary whose `extract-text` helper extracts (self)
  std::string scratch_dir;  // private temporary files (decrypted contents being extracted)
  std::chrono::seconds gc_grace{3600};
};

void register_document_jobs(HandlerRegistry& handlers, Scheduler& scheduler, store::Database& db,
                            blob::ContentStore& content, const DocumentJobOptions& options);

// Enqueues the extraction of a new version in the uploading transaction.
void enqueue_text_extraction(JobQueue& queue, store::Transaction& tx, const std::string& org_id,
                             const std::string& document_id, int version);

}  // namespace cm::jobs
