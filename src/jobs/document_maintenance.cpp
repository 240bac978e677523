// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/document_maintenance.hpp"

#include <optional>
#include <vector>

#include "core/envelope.hpp"
#include "core/time.hpp"
#include "store/document_repository.hpp"

namespace cm::jobs {

PurgeReport purge_deleted_documents(store::Database& db, blob::ContentStore& content,
                                    std::int64_t now_ms, int batch) {
  PurgeReport report;
  for (;;) {
    std::vector<std::string> due;
    {
      auto lease = db.acquire();
      due = store::DocumentRepository(*lease).due_for_purge(now_ms, batch);
    }
    if (due.empty()) return report;
    for (const auto& id : due) {
      std::vector<std::string> keys;
      {
        auto lease = db.acquire();
        store::Transaction tx(*lease, store::Transaction::Mode::write);
        keys = store::DocumentRepository(*lease).purge(id);
        tx.commit();
      }
      ++report.documents;
      for (const auto& key : keys)
        if (content.remove(key)) ++report.blobs;
    }
    if (static_cast<int>(due.size()) < batch) return report;
  }
}

Result<GcReport> gc_blobs(store::Database& db, blob::BlobStore& blobs, std::chrono::seconds grace) {
  GcReport report;
  const auto cutoff = std::chrono::system_clock::now() - grace;
  std::optional<Error> failure;
  // Each blob is looked at as the listing streams by, so memory stays flat however many exist.
  auto listed = blobs.list(kDocumentBlobPrefix, [&](const blob::BlobInfo& info) {
    if (failure) return;
    ++report.scanned;
    bool referenced = false;
    {
      auto lease = db.acquire();
      referenced = store::DocumentRepository(*lease).blob_referenced(info.key);
    }
    if (referenced) return;
    if (info.modified > cutoff) {
      ++report.kept_young;
      return;
    }
    if (auto removed = blobs.remove(info.key); !removed) {
      failure = removed.error();
      return;
    }
    ++report.removed;
  });
  if (!listed) return listed.error();
  if (failure) return *failure;
  return report;
}

Result<RotateReport> rotate_keys(store::Database& db, const envelope::KeyRing& keys) {
  RotateReport report;
  const auto& primary = keys.primary_id();
  for (;;) {
    std::vector<DocumentVersion> batch;
    {
      auto lease = db.acquire();
      batch = store::DocumentRepository(*lease).wrapped_by_other_key(primary, 200);
    }
    if (batch.empty()) break;
    auto lease = db.acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    store::DocumentRepository repo(*lease);
    for (const auto& v : batch) {
      auto wrapped = envelope::rewrap(keys, {*v.key_id, v.wrapped_key.value_or("")});
      if (!wrapped) return wrapped.error();
      if (repo.rewrap(v, *v.key_id, wrapped->key_id, wrapped->wrapped)) ++report.rewrapped;
    }
    tx.commit();
  }
  auto lease = db.acquire();
  report.unencrypted = store::DocumentRepository(*lease).count_unencrypted();
  return report;
}

}  // namespace cm::jobs
