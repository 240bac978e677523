// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/document_jobs.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "blob/file_source.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "extract/isolated.hpp"
#include "jobs/document_maintenance.hpp"
#include "store/document_repository.hpp"

namespace cm::jobs {

namespace {

namespace bj = boost::json;

struct ExtractRequest {
  std::string org_id;
  std::string document_id;
  int version = 0;
};

std::optional<ExtractRequest> parse_request(const std::string& payload) {
  boost::system::error_code ec;
  const auto v = bj::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* org = o.if_contains("orgId");
  const auto* doc = o.if_contains("documentId");
  const auto* version = o.if_contains("version");
  if (!org || !org->is_string() || !doc || !doc->is_string() || !version || !version->is_int64())
    return std::nullopt;
  return ExtractRequest{std::string(org->as_string()), std::string(doc->as_string()),
                        static_cast<int>(version->as_int64())};
}

std::optional<extract::DocumentType> type_of(const std::string& mime) {
  for (const auto kind :
       {extract::DocumentKind::pdf, extract::DocumentKind::docx, extract::DocumentKind::doc,
        extract::DocumentKind::odt, extract::DocumentKind::rtf, extract::DocumentKind::txt,
        extract::DocumentKind::md, extract::DocumentKind::png, extract::DocumentKind::jpeg}) {
    auto type = extract::document_type(kind);
    if (type.mime == mime) return type;
  }
  return std::nullopt;
}

// Removes the scratch copy however the extraction ends.
struct ScratchFile {
  std::string path;
  ~ScratchFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

store::ExtractionResult to_result(extract::Extraction&& e) {
  store::ExtractionResult r;
  switch (e.status) {
    case extract::ExtractionStatus::ok:
      r.state = ExtractionState::done;
      r.text = std::move(e.text);
      if (e.pages > 0) r.page_count = e.pages;  // text formats have no pages
      r.char_count = static_cast<std::int64_t>(e.chars);
      if (e.truncated) r.error = "text truncated at the extraction limit";
      break;
    case extract::ExtractionStatus::unsupported:
      r.state = ExtractionState::unsupported;
      r.error = e.reason;
      break;
    case extract::ExtractionStatus::failed:
      r.state = ExtractionState::failed;
      r.error = e.reason.empty() ? "extraction failed" : e.reason;
      break;
  }
  return r;
}

JobOutcome extract_version(store::Database& db, blob::ContentStore& content,
                           const DocumentJobOptions& options, const Job& job, JobContext& ctx) {
  const auto request = parse_request(job.payload);
  if (!request) return JobOutcome::give_up("payload needs orgId, documentId and version");
  std::optional<DocumentVersion> version;
  {
    auto lease = db.acquire();
    version = store::DocumentRepository(*lease).find_version(request->org_id, request->document_id,
                                                             request->version);
  }
  if (!version) return JobOutcome::success();  // purged meanwhile: nothing left to do
  if (version->extraction != ExtractionState::pending) return JobOutcome::success();
  // Our own trouble (storage, the helper not starting) is retried; on the last attempt the
  // version is marked failed rather than left pending for ever.
  const auto retry = [&](const std::string& reason) {
    if (job.attempts < job.max_attempts) return JobOutcome::retry(reason);
    store::ExtractionResult failed;
    failed.state = ExtractionState::failed;
    failed.error = "gave up after " + std::to_string(job.attempts) + " attempts: " + reason;
    auto lease = db.acquire();
    store::DocumentRepository(*lease).set_extraction(request->org_id, request->document_id,
                                                     request->version, failed);
    return JobOutcome::give_up(reason);
  };
  const auto type = type_of(version->content_type);
  store::ExtractionResult result;
  if (!type) {
    result.state = ExtractionState::unsupported;
    result.error = "no extractor for " + version->content_type;
  } else {
    // The helper reads a plain file: the decrypted content goes to a private scratch file.
    ScratchFile scratch{options.scratch_dir + "/" + std::string(kExtractScratchPrefix) + new_id()};
    auto source = content.open(*version);
    if (!source) return retry(source.error().detail());
    auto copied = blob::copy_to_file(**source, scratch.path, version->size + 1);
    if (!copied) return retry(copied.error().detail());
    if (ctx.should_stop()) return JobOutcome::retry("stopped before extraction");
    auto extraction = extract::extract_text_isolated(options.executable, scratch.path, *type);
    if (!extraction) return retry(extraction.error().detail());
    result = to_result(std::move(*extraction));
  }
  auto lease = db.acquire();
  store::DocumentRepository(*lease).set_extraction(request->org_id, request->document_id,
                                                   request->version, result);
  return JobOutcome::success();
}

}  // namespace

void enqueue_text_extraction(JobQueue& queue, store::Transaction& tx, const std::string& org_id,
                             const std::string& document_id, int version) {
  NewJob job;
  job.kind = kExtractTextJob;
  job.org_id = org_id;
  job.payload = bj::serialize(
      bj::object{{"orgId", org_id}, {"documentId", document_id}, {"version", version}});
  job.max_attempts = 5;
  queue.enqueue(tx, job);
}

void register_document_jobs(HandlerRegistry& handlers, Scheduler& scheduler, store::Database& db,
                            blob::ContentStore& content, const DocumentJobOptions& options) {
  std::filesystem::create_directories(options.scratch_dir);
  handlers.add(kExtractTextJob,
               [&db, &content, options](const Job& job, JobContext& ctx) {
                 return extract_version(db, content, options, job, ctx);
               },
               {.retry = {std::chrono::seconds(30), std::chrono::hours(1)}});

  handlers.add("documents.purge", [&db, &content](const Job&, JobContext&) {
    purge_deleted_documents(db, content, now_unix_ms());
    return JobOutcome::success();
  });
  scheduler.add({"documents.purge", Schedule::every(std::chrono::minutes(60))});

  handlers.add("blobs.gc", [&db, &content, grace = options.gc_grace](const Job&, JobContext&) {
    auto report = gc_blobs(db, content.blobs(), grace);
    if (!report) return JobOutcome::retry(report.error().detail());
    return JobOutcome::success();
  });
  scheduler.add({"blobs.gc", Schedule::daily_at(4, 0)});
}

}  // namespace cm::jobs
