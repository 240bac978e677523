// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/document_repository.hpp"

namespace cm::store {

namespace {

const std::string kDocumentColumns =
    "d.id, d.org_id, d.contract_id, d.name, d.kind, d.latest_version, d.created_by, "
    "d.created_at, d.updated_at, d.deleted_at, d.purge_after";
constexpr std::size_t kDocumentColumnCount = 11;

const std::string kVersionColumns =
    "v.document_id, v.org_id, v.version, v.filename, v.size, v.sha256, v.content_type, "
    "v.blob_key, v.stored_size, v.key_id, v.wrapped_key, v.uploaded_by, v.uploaded_at, "
    "v.extraction, v.extraction_error, v.page_count, v.char_count";

Document document_from(const Row& r, std::size_t at = 0) {
  Document d;
  d.id = r.text(at + 0);
  d.org_id = r.text(at + 1);
  d.contract_id = r.text(at + 2);
  d.name = r.text(at + 3);
  d.kind = parse_document_kind(r.text(at + 4)).value_or(DocumentKind::attachment);
  d.latest_version = static_cast<int>(r.int64(at + 5));
  d.created_by = r.text(at + 6);
  d.created_at = r.int64(at + 7);
  d.updated_at = r.int64(at + 8);
  d.deleted_at = r.opt_int64(at + 9);
  d.purge_after = r.opt_int64(at + 10);
  return d;
}

DocumentVersion version_from(const Row& r, std::size_t at = 0) {
  DocumentVersion v;
  v.document_id = r.text(at + 0);
  v.org_id = r.text(at + 1);
  v.version = static_cast<int>(r.int64(at + 2));
  v.filename = r.text(at + 3);
  v.size = static_cast<std::uint64_t>(r.int64(at + 4));
  v.sha256 = r.text(at + 5);
  v.content_type = r.text(at + 6);
  v.blob_key = r.text(at + 7);
  v.stored_size = static_cast<std::uint64_t>(r.int64(at + 8));
  v.key_id = r.opt_text(at + 9);
  v.wrapped_key = r.opt_text(at + 10);
  v.uploaded_by = r.text(at + 11);
  v.uploaded_at = r.int64(at + 12);
  v.extraction = parse_extraction_state(r.text(at + 13)).value_or(ExtractionState::pending);
  v.extraction_error = r.opt_text(at + 14);
  if (auto pages = r.opt_int64(at + 15)) v.page_count = static_cast<int>(*pages);
  v.char_count = r.opt_int64(at + 16);
  return v;
}

std::string s(std::string_view v) {
  return std::string(v);
}

}  // namespace

std::int64_t DocumentRepository::count_for_contract(std::string_view org_id,
                                                    std::string_view contract_id) {
  const auto r =
      conn_.query("SELECT COUNT(*) FROM documents WHERE org_id = $1 AND contract_id = $2",
                  {s(org_id), s(contract_id)});
  return r.rows.at(0).int64(0);
}

std::optional<Document> DocumentRepository::find(std::string_view org_id,
                                                 std::string_view contract_id,
                                                 std::string_view document_id) {
  const auto r = conn_.query("SELECT " + kDocumentColumns +
                                 " FROM documents d WHERE d.org_id = $1 AND d.contract_id = $2 "
                                 "AND d.id = $3",
                             {s(org_id), s(contract_id), s(document_id)});
  if (r.empty()) return std::nullopt;
  return document_from(r.rows.front());
}

std::vector<Document> DocumentRepository::live_of_kind(std::string_view org_id,
                                                       std::string_view contract_id,
                                                       DocumentKind kind) {
  std::vector<Document> out;
  const auto r =
      conn_.query("SELECT " + kDocumentColumns +
                      " FROM documents d WHERE d.org_id = $1 AND d.contract_id = $2 "
                      "AND d.kind = $3 AND d.deleted_at IS NULL ORDER BY d.created_at, d.id",
                  {s(org_id), s(contract_id), s(to_string(kind))});
  for (const auto& row : r.rows) out.push_back(document_from(row));
  return out;
}

std::optional<Document> DocumentRepository::find_live_by_name(std::string_view org_id,
                                                              std::string_view contract_id,
                                                              std::string_view name_key) {
  const auto r = conn_.query("SELECT " + kDocumentColumns +
                                 " FROM documents d WHERE d.org_id = $1 AND d.contract_id = $2 "
                                 "AND d.name_key = $3 AND d.deleted_at IS NULL",
                             {s(org_id), s(contract_id), s(name_key)});
  if (r.empty()) return std::nullopt;
  return document_from(r.rows.front());
}

void DocumentRepository::insert(const Document& d, std::string_view name_key) {
  conn_.query(
      "INSERT INTO documents (id, org_id, contract_id, name, name_key, kind, latest_version, "
      "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {d.id, d.org_id, d.contract_id, d.name, s(name_key), s(to_string(d.kind)),
       std::int64_t{d.latest_version}, d.created_by, d.created_at, d.updated_at});
}

std::optional<int> DocumentRepository::next_version(std::string_view org_id,
                                                    std::string_view document_id,
                                                    std::string_view name, std::int64_t now,
                                                    std::optional<std::string_view> kind) {
  const auto r = conn_.query(
      "UPDATE documents SET latest_version = latest_version + 1, name = $3, updated_at = $4, "
      "kind = COALESCE($5, kind) WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL "
      "RETURNING latest_version",
      {s(org_id), s(document_id), s(name), now, kind ? Param{s(*kind)} : Param{nullptr}});
  if (r.empty()) return std::nullopt;
  return static_cast<int>(r.rows.front().int64(0));
}

void DocumentRepository::insert_version(const DocumentVersion& v) {
  conn_.query(
      "INSERT INTO document_versions (document_id, org_id, version, filename, size, sha256, "
      "content_type, blob_key, stored_size, key_id, wrapped_key, uploaded_by, uploaded_at, "
      "extraction) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {v.document_id, v.org_id, std::int64_t{v.version}, v.filename,
       static_cast<std::int64_t>(v.size), v.sha256, v.content_type, v.blob_key,
       static_cast<std::int64_t>(v.stored_size), opt(v.key_id), opt(v.wrapped_key), v.uploaded_by,
       v.uploaded_at, s(to_string(v.extraction))});
}

std::optional<DocumentVersion> DocumentRepository::find_version(std::string_view org_id,
                                                                std::string_view document_id,
                                                                int version) {
  const auto r = conn_.query("SELECT " + kVersionColumns +
                                 " FROM document_versions v WHERE v.org_id = $1 AND "
                                 "v.document_id = $2 AND v.version = $3",
                             {s(org_id), s(document_id), std::int64_t{version}});
  if (r.empty()) return std::nullopt;
  return version_from(r.rows.front());
}

std::vector<DocumentVersion> DocumentRepository::versions(std::string_view org_id,
                                                          std::string_view document_id) {
  const auto r = conn_.query("SELECT " + kVersionColumns +
                                 " FROM document_versions v WHERE v.org_id = $1 AND "
                                 "v.document_id = $2 ORDER BY v.version",
                             {s(org_id), s(document_id)});
  std::vector<DocumentVersion> out;
  for (const auto& row : r.rows) out.push_back(version_from(row));
  return out;
}

std::vector<DocumentWithLatest> DocumentRepository::list(std::string_view org_id,
                                                         std::string_view contract_id,
                                                         const std::optional<Cursor>& after,
                                                         int limit) {
  std::vector<Param> params{s(org_id), s(contract_id), std::int64_t{limit}};
  std::string keyset;
  if (after) {
    params.emplace_back(std::get<std::int64_t>(after->key));
    params.emplace_back(after->id);
    keyset = " AND (d.created_at < $4 OR (d.created_at = $4 AND d.id < $5))";
  }
  const auto r =
      conn_.query("SELECT " + kDocumentColumns + ", " + kVersionColumns +
                      " FROM documents d JOIN document_versions v ON v.document_id = d.id AND "
                      "v.version = d.latest_version WHERE d.org_id = $1 AND d.contract_id = $2 AND "
                      "d.deleted_at IS NULL" +
                      keyset + " ORDER BY d.created_at DESC, d.id DESC LIMIT $3",
                  params);
  std::vector<DocumentWithLatest> out;
  for (const auto& row : r.rows)
    out.push_back({row.text(0), document_from(row), version_from(row, kDocumentColumnCount)});
  return out;
}

bool DocumentRepository::soft_delete(std::string_view org_id, std::string_view document_id,
                                     std::string_view by, std::int64_t now,
                                     std::int64_t purge_after) {
  return conn_
             .query(
                 "UPDATE documents SET deleted_at = $3, deleted_by = $4, purge_after = $5, "
                 "updated_at = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
                 {s(org_id), s(document_id), now, s(by), purge_after})
             .affected == 1;
}

void DocumentRepository::set_extraction(std::string_view org_id, std::string_view document_id,
                                        int version, const ExtractionResult& result) {
  conn_.query(
      "UPDATE document_versions SET extraction = $4, extraction_error = $5, page_count = $6, "
      "char_count = $7, extracted_text = $8 WHERE org_id = $1 AND document_id = $2 AND "
      "version = $3",
      {s(org_id), s(document_id), std::int64_t{version}, s(to_string(result.state)),
       opt(result.error),
       result.page_count ? Param{std::int64_t{*result.page_count}} : Param{nullptr},
       opt(result.char_count), opt(result.text)});
}

std::optional<std::string> DocumentRepository::extracted_text(std::string_view org_id,
                                                              std::string_view document_id,
                                                              int version) {
  const auto r = conn_.query(
      "SELECT extracted_text FROM document_versions WHERE org_id = $1 AND document_id = $2 AND "
      "version = $3",
      {s(org_id), s(document_id), std::int64_t{version}});
  if (r.empty()) return std::nullopt;
  return r.rows.front().opt_text(0);
}

std::vector<std::string> DocumentRepository::due_for_purge(std::int64_t now, int limit) {
  const auto r = conn_.query(
      "SELECT id FROM documents WHERE purge_after IS NOT NULL AND purge_after <= $1 "
      "ORDER BY purge_after LIMIT $2",
      {now, std::int64_t{limit}});
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(row.text(0));
  return out;
}

std::vector<std::string> DocumentRepository::purge(std::string_view document_id) {
  const auto r = conn_.query(
      "SELECT v.blob_key FROM document_versions v JOIN documents d ON d.id = v.document_id "
      "WHERE d.id = $1 AND d.deleted_at IS NOT NULL",
      {s(document_id)});
  std::vector<std::string> keys;
  for (const auto& row : r.rows) keys.push_back(row.text(0));
  conn_.query(
      "DELETE FROM document_versions WHERE document_id = (SELECT id FROM documents WHERE id = $1 "
      "AND deleted_at IS NOT NULL)",
      {s(document_id)});
  conn_.query("DELETE FROM documents WHERE id = $1 AND deleted_at IS NOT NULL", {s(document_id)});
  return keys;
}

bool DocumentRepository::blob_referenced(std::string_view blob_key) {
  return !conn_.query("SELECT 1 FROM document_versions WHERE blob_key = $1", {s(blob_key)}).empty();
}

std::vector<DocumentVersion> DocumentRepository::wrapped_by_other_key(std::string_view key_id,
                                                                      int limit) {
  const auto r = conn_.query("SELECT " + kVersionColumns +
                                 " FROM document_versions v WHERE v.key_id IS NOT NULL AND "
                                 "v.key_id <> $1 ORDER BY v.uploaded_at LIMIT $2",
                             {s(key_id), std::int64_t{limit}});
  std::vector<DocumentVersion> out;
  for (const auto& row : r.rows) out.push_back(version_from(row));
  return out;
}

bool DocumentRepository::rewrap(const DocumentVersion& v, std::string_view old_key_id,
                                std::string_view key_id, std::string_view wrapped_key) {
  return conn_
             .query(
                 "UPDATE document_versions SET key_id = $4, wrapped_key = $5 WHERE "
                 "document_id = $1 AND version = $2 AND key_id = $3",
                 {v.document_id, std::int64_t{v.version}, s(old_key_id), s(key_id), s(wrapped_key)})
             .affected == 1;
}

std::int64_t DocumentRepository::count_unencrypted() {
  return conn_.query("SELECT COUNT(*) FROM document_versions WHERE key_id IS NULL")
      .rows.at(0)
      .int64(0);
}

}  // namespace cm::store
