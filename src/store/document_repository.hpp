// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Documents and their versions. Every query is scoped by organization except the maintenance
// ones (purge, garbage collection, key rotation), which work across organizations by design.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"
#include "core/pagination.hpp"
#include "store/database.hpp"

namespace cm::store {

struct DocumentWithLatest {
  std::string id;  // the document's, for keyset cursors
  Document document;
  DocumentVersion latest;
};

struct ExtractionResult {
  ExtractionState state = ExtractionState::pending;
  std::optional<std::string> error;
  std::optional<int> page_count;
  std::optional<std::int64_t> char_count;
  std::optional<std::string> text;
};

class DocumentRepository {
 public:
  explicit DocumentRepository(Connection& conn) : conn_(conn) {}

  // Documents of a contract, live or awaiting purge (a contract with any cannot be deleted).
  std::int64_t count_for_contract(std::string_view org_id, std::string_view contract_id);

  std::optional<Document> find(std::string_view org_id, std::string_view contract_id,
                               std::string_view document_id);
  std::optional<Document> find_live_by_name(std::string_view org_id, std::string_view contract_id,
                                            std::string_view name_key);
  // Live documents of one kind (e.g. the main document), oldest first.
  std::vector<Document> live_of_kind(std::string_view org_id, std::string_view contract_id,
                                     DocumentKind kind);
  void insert(const Document& d, std::string_view name_key);
  // Reserves the next version number of a live document (row-locks it on PostgreSQL) and
  // records the new display name; nullopt when the document is gone or deleted.
  std::optional<int> next_version(std::string_view org_id, std::string_view document_id,
                                  std::string_view name, std::int64_t now,
                                  std::optional<std::string_view> kind);
  void insert_version(const DocumentVersion& v);

  std::optional<DocumentVersion> find_version(std::string_view org_id, std::string_view document_id,
                                              int version);
  std::vector<DocumentVersion> versions(std::string_view org_id, std::string_view document_id);
  // Live documents of a contract, newest first, keyset-paginated on (created_at, id).
  std::vector<DocumentWithLatest> list(std::string_view org_id, std::string_view contract_id,
                                       const std::optional<Cursor>& after, int limit);

  bool soft_delete(std::string_view org_id, std::string_view document_id, std::string_view by,
                   std::int64_t now, std::int64_t purge_after);

  void set_extraction(std::string_view org_id, std::string_view document_id, int version,
                      const ExtractionResult& result);
  std::optional<std::string> extracted_text(std::string_view org_id, std::string_view document_id,
                                            int version);

  // Maintenance. Ids of soft-deleted documents whose retention ended.
  std::vector<std::string> due_for_purge(std::int64_t now, int limit);
  // Removes a soft-deleted document and its versions; returns their blob keys.
  std::vector<std::string> purge(std::string_view document_id);
  bool blob_referenced(std::string_view blob_key);
  // Versions whose data key is not wrapped by `key_id` (key rotation), oldest first.
  std::vector<DocumentVersion> wrapped_by_other_key(std::string_view key_id, int limit);
  bool rewrap(const DocumentVersion& v, std::string_view old_key_id, std::string_view key_id,
              std::string_view wrapped_key);
  // Versions stored without encryption.
  std::int64_t count_unencrypted();

 private:
  Connection& conn_;
};

}  // namespace cm::store
