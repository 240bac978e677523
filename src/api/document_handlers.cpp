// SPDX-License-Identifier: AGPL-3.0-or-later
// Contract documents: upload (multipart or raw, spooled by the server), versions, download with
// ranges and conditional requests, soft deletion under legal hold rules, extracted text and
// word-level comparison of two versions.
//
// An upload is acknowledged only after the blob is durable and the version row, its audit event
// and its extraction job committed together. A crash in between leaves an unreferenced blob,
// which `blobs gc` removes after its grace period; never a row without its content.

#include <boost/json.hpp>
#include <charconv>

#include "api/audit_support.hpp"
#include "api/content_body.hpp"
#include "api/document_services.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/paging.hpp"
#include "api/problems.hpp"
#include "api/transactions.hpp"
#include "blob/content_store.hpp"
#include "blob/file_source.hpp"
#include "core/document.hpp"
#include "core/ids.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"
#include "http/multipart.hpp"
#include "http/range.hpp"
#include "store/contract_repository.hpp"
#include "store/document_repository.hpp"
#include "workflow/document_edits.hpp"

namespace cm::api {

namespace {

constexpr std::size_t kSniffBytes = std::size_t{64} * 1024;
constexpr std::int64_t kMsPerDay = 86'400'000;

// Where the uploaded file is inside the spooled body, and what the client said about it.
struct UploadedFile {
  std::string spool_path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string client_filename;
  std::string claimed_type;
  std::optional<DocumentKind> kind;
};

std::optional<DocumentKind> read_kind(std::string_view text) {
  const auto kind = parse_document_kind(text);
  if (!kind)
    throw validation_failed({{"kind", "must be one of: main, attachment, signed_copy, exhibit"}});
  return kind;
}

UploadedFile read_multipart_upload(const http::Request& req, std::string_view content_type) {
  const auto& spool = req.spooled->path();
  auto parts = http::parse_multipart_file(spool, content_type);
  if (!parts) throw parts.error();
  UploadedFile file;
  bool found = false;
  for (const auto& part : *parts) {
    if (part.name == "file") {
      if (found) throw bad_request("Send one `file` part per upload.");
      if (!part.filename) throw bad_request("The `file` part needs a filename.");
      found = true;
      file.spool_path = spool;
      file.offset = part.offset;
      file.length = part.length;
      file.client_filename = *part.filename;
      file.claimed_type = part.content_type;
    } else if (part.name == "kind") {
      auto text = http::read_part_text(spool, part, 32);
      if (!text) throw text.error();
      file.kind = read_kind(*text);
    } else {
      throw validation_failed({{part.name, "is not a known form field (file, kind)"}});
    }
  }
  if (!found) throw bad_request("The multipart body has no `file` part.");
  return file;
}

UploadedFile read_raw_upload(const http::Request& req, std::string_view content_type) {
  const auto disposition = req.header("Content-Disposition");
  const auto filename = disposition ? http::disposition_filename(*disposition) : std::nullopt;
  if (!filename)
    throw bad_request(
        "Name the file with `Content-Disposition: attachment; filename=...` or upload it as "
        "multipart/form-data.");
  UploadedFile file;
  file.spool_path = req.spooled->path();
  file.length = req.spooled->size();
  file.client_filename = *filename;
  file.claimed_type = std::string(content_type);
  if (const auto kind = req.query_param("kind")) file.kind = read_kind(*kind);
  return file;
}

UploadedFile read_upload(const http::Request& req) {
  if (!req.spooled || req.spooled->size() == 0) throw bad_request("The upload has no content.");
  const std::string content_type(req.header("Content-Type").value_or(""));
  const bool multipart =
      content_type.size() >= 19 && http::iequals(content_type.substr(0, 19), "multipart/form-data");
  auto file =
      multipart ? read_multipart_upload(req, content_type) : read_raw_upload(req, content_type);
  if (file.length == 0) throw validation_failed({{"file", "is empty; upload a file with content"}});
  return file;
}

std::string read_head(const UploadedFile& file) {
  blob::FileRegionSource source(file.spool_path, file.offset,
                                std::min<std::uint64_t>(file.length, kSniffBytes));
  std::string head(kSniffBytes, '\0');
  std::size_t used = 0;
  while (used < head.size()) {
    const auto n = source.read(head.data() + used, head.size() - used);
    if (n == 0) break;
    used += n;
  }
  head.resize(used);
  return head;
}

int version_param(const http::Request& req, std::string_view name) {
  const auto text = req.param(name);
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1)
    throw not_found("document version");
  return v;
}

class DocumentHandlers {
 public:
  explicit DocumentHandlers(const ApiDependencies& deps)
      : db_(deps.db), content_(*deps.documents.content), services_(deps.documents) {}

  http::Response upload(http::Request& req) { return store_upload(req, std::nullopt); }

  http::Response upload_version(http::Request& req) {
    return store_upload(req, id_param(req, "docId", "document"));
  }

  http::Response list(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    const auto page = read_page_params(req, "-createdAt");
    std::vector<store::DocumentWithLatest> rows;
    in_read_transaction(db_, [&](store::Connection& conn) {
      if (!store::ContractRepository(conn).find(p.org_id, contract_id)) throw not_found("contract");
      rows =
          store::DocumentRepository(conn).list(p.org_id, contract_id, page.after, page.limit + 1);
    });
    return page_response(
        std::move(rows), page, "-createdAt",
        [](const store::DocumentWithLatest& d) { return to_json(d.document, d.latest); },
        [](const store::DocumentWithLatest& d) { return SortKey{d.document.created_at}; });
  }

  http::Response get(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    const auto doc_id = id_param(req, "docId", "document");
    Document doc;
    std::vector<DocumentVersion> versions;
    in_read_transaction(db_, [&](store::Connection& conn) {
      store::DocumentRepository repo(conn);
      doc = live_document(repo, p.org_id, contract_id, doc_id);
      versions = repo.versions(p.org_id, doc_id);
    });
    if (versions.empty()) throw not_found("document");
    return json_response(200, to_json(doc, versions.back(), &versions));
  }

  http::Response download(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    const auto doc_id = id_param(req, "docId", "document");
    const int n = version_param(req, "n");
    Document doc;
    DocumentVersion version;
    in_read_transaction(db_, [&](store::Connection& conn) {
      store::DocumentRepository repo(conn);
      doc = live_document(repo, p.org_id, contract_id, doc_id);
      auto v = repo.find_version(p.org_id, doc_id, n);
      if (!v) throw not_found("document version");
      version = std::move(*v);
    });

    const std::string etag = "\"" + version.sha256 + "\"";
    if (const auto inm = req.header("If-None-Match"); inm && http::etag_matches(*inm, etag)) {
      auto r = http::Response::empty(304);
      r.headers.set("ETag", etag);
      return r;
    }
    auto range = http::parse_range(req.header("Range"), version.size);
    if (const auto if_range = req.header("If-Range"); if_range && *if_range != etag)
      range.outcome = http::RangeOutcome::whole;  // changed since: the whole file
    if (range.outcome == http::RangeOutcome::unsatisfiable) {
      auto r = problem_response(
          Error(ErrorKind::range_not_satisfiable,
                "The range is outside the file's " + std::to_string(version.size) + " bytes."),
          req.request_id);
      r.headers.set("Content-Range", "bytes */" + std::to_string(version.size));
      return r;
    }
    const bool partial = range.outcome == http::RangeOutcome::partial;
    const http::ByteSpan span = partial ? range.span : http::ByteSpan{0, version.size};

    if (doc.kind == DocumentKind::signed_copy)
      in_write_transaction(db_, [&](store::Connection& conn) {
        audit(conn, req, "document.downloaded", "document", doc.id,
              bj::object{{"version", n}, {"contractId", contract_id}});
      });
    auto source = content_.open(version, blob::ByteRange{span.offset, span.length});
    if (!source) throw source.error();

    http::Response r;
    r.status = partial ? 206 : 200;
    r.stream = std::make_shared<ContentBody>(std::move(*source), span.length);
    r.headers.set("Content-Type", version.content_type);
    const bool inline_view =
        req.query_param("disposition") == std::optional<std::string_view>("inline");
    r.headers.set(
        "Content-Disposition",
        http::format_content_disposition(inline_view ? "inline" : "attachment", version.filename));
    r.headers.set("ETag", etag);
    r.headers.set("Accept-Ranges", "bytes");
    r.headers.set("Cache-Control", "private, no-cache");
    r.headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
    if (partial)
      r.headers.set("Content-Range", "bytes " + std::to_string(span.offset) + "-" +
                                         std::to_string(span.offset + span.length - 1) + "/" +
                                         std::to_string(version.size));
    return r;
  }

  http::Response text(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    const auto doc_id = id_param(req, "docId", "document");
    const int n = version_param(req, "n");
    auto text = extracted_text_of(p, contract_id, doc_id, n);
    return http::Response::text(200, std::move(text));
  }

  http::Response compare(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    const auto doc_id = id_param(req, "docId", "document");
    const int a = version_param(req, "a");
    const int b = version_param(req, "b");
    const auto old_text = extracted_text_of(p, contract_id, doc_id, a);
    const auto new_text = extracted_text_of(p, contract_id, doc_id, b);
    auto diff = services_.compare_texts(old_text, new_text);
    diff["documentId"] = doc_id;
    diff["from"] = a;
    diff["to"] = b;
    return json_response(200, diff);
  }

  http::Response remove(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    const auto doc_id = id_param(req, "docId", "document");
    in_write_transaction(db_, [&](store::Connection& conn) {
      const auto contract = store::ContractRepository(conn).find(p.org_id, contract_id);
      if (!contract) throw not_found("contract");
      store::DocumentRepository repo(conn);
      const auto doc = live_document(repo, p.org_id, contract_id, doc_id);
      if (!permissions::can_delete_document(p, contract->owner_id))
        throw forbidden("Only the contract's owner, managers and administrators delete documents.");
      if (contract->legal_hold)
        throw conflict("The contract is under legal hold; its documents cannot be deleted.");
      const auto now = now_unix_ms();
      const auto purge_after = now + services_.retention_days * kMsPerDay;
      if (!repo.soft_delete(p.org_id, doc_id, p.actor_id, now, purge_after))
        throw not_found("document");
      audit(conn, req, "document.deleted", "document", doc_id,
            bj::object{{"contractId", contract_id},
                       {"name", doc.name},
                       {"purgeAfter", format_rfc3339(purge_after)}});
    });
    return http::Response::empty(204);
  }

 private:
  static Document live_document(store::DocumentRepository& repo, std::string_view org_id,
                                std::string_view contract_id, std::string_view doc_id) {
    auto doc = repo.find(org_id, contract_id, doc_id);
    if (!doc || doc->deleted_at) throw not_found("document");
    return std::move(*doc);
  }

  std::string extracted_text_of(const Principal& p, std::string_view contract_id,
                                std::string_view doc_id, int n) {
    std::optional<DocumentVersion> version;
    std::optional<std::string> text;
    in_read_transaction(db_, [&](store::Connection& conn) {
      store::DocumentRepository repo(conn);
      live_document(repo, p.org_id, contract_id, doc_id);
      version = repo.find_version(p.org_id, doc_id, n);
      if (version && version->extraction == ExtractionState::done)
        text = repo.extracted_text(p.org_id, doc_id, n);
    });
    if (!version) throw not_found("document version");
    if (version->extraction != ExtractionState::done)
      throw conflict("The text of version " + std::to_string(n) + " is not available: extraction " +
                     std::string(to_string(version->extraction)) +
                     (version->extraction_error ? " (" + *version->extraction_error + ")" : "") +
                     ".");
    return text.value_or("");
  }

  http::Response store_upload(http::Request& req, const std::optional<std::string>& target_doc) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot upload documents.");
    const auto contract_id = id_param(req, "id", "contract");
    {
      auto lease = db_.acquire();
      const auto contract = store::ContractRepository(*lease).find(p.org_id, contract_id);
      if (!contract) throw not_found("contract");
      if (!permissions::can_edit_contract(p, contract->owner_id))
        throw forbidden("Members add documents only to the contracts they own.");
    }
    const auto file = read_upload(req);
    auto name = display_filename(file.client_filename);
    if (!name) throw name.error();
    const bool whole = file.offset == 0 && file.length == req.spooled->size();
    const auto type = services_.detect_type(read_head(file), whole ? &file.spool_path : nullptr,
                                            *name, file.claimed_type);

    // The content first, under a key no row references yet.
    const std::string blob_key = "documents/" + p.org_id + "/" + new_id();
    blob::FileRegionSource source(file.spool_path, file.offset, file.length);
    auto stored = content_.store(blob_key, source);
    if (!stored) throw stored.error();

    try {
      return record_upload(req, p, contract_id, target_doc, *name, file.kind, type, *stored);
    } catch (...) {
      (void)content_.remove(blob_key);  // best effort; `blobs gc` catches what this misses
      throw;
    }
  }

  http::Response record_upload(http::Request& req, const Principal& p,
                               const std::string& contract_id,
                               const std::optional<std::string>& target_doc,
                               const std::string& name, std::optional<DocumentKind> kind,
                               const std::string& content_type, const blob::StoredContent& stored) {
    Document doc;
    DocumentVersion version;
    bool created = false;
    in_write_transaction_tx(db_, [&](store::Transaction& tx) {
      auto& conn = tx.connection();
      auto contract = store::ContractRepository(conn).find(p.org_id, contract_id);
      if (!contract) throw not_found("contract");
      store::DocumentRepository repo(conn);
      const auto now = now_unix_ms();
      std::optional<Document> existing =
          target_doc ? repo.find(p.org_id, contract_id, *target_doc)
                     : repo.find_live_by_name(p.org_id, contract_id, filename_key(name));
      if (target_doc && (!existing || existing->deleted_at)) throw not_found("document");
      created = !existing;
      const bool was_main = existing && existing->kind == DocumentKind::main;
      if (existing) {
        doc = std::move(*existing);
        const auto next = repo.next_version(p.org_id, doc.id, target_doc ? doc.name : name, now,
                                            kind ? std::optional(to_string(*kind)) : std::nullopt);
        if (!next) throw not_found("document");
        doc.latest_version = *next;
        if (!target_doc) doc.name = name;
        if (kind) doc.kind = *kind;
        doc.updated_at = now;
      } else {
        doc.id = new_id();
        doc.org_id = p.org_id;
        doc.contract_id = contract_id;
        doc.name = name;
        doc.kind = kind.value_or(DocumentKind::attachment);
        doc.latest_version = 1;
        doc.created_by = p.actor_id;
        doc.created_at = doc.updated_at = now;
        repo.insert(doc, filename_key(name));
      }
      version.document_id = doc.id;
      version.org_id = p.org_id;
      version.version = doc.latest_version;
      version.filename = name;
      version.size = stored.size;
      version.sha256 = stored.sha256;
      version.content_type = content_type;
      version.blob_key = stored.blob_key;
      version.stored_size = stored.stored_size;
      version.key_id = stored.key_id;
      version.wrapped_key = stored.wrapped_key;
      version.uploaded_by = p.actor_id;
      version.uploaded_at = now;
      version.extraction = services_.extraction_supported(content_type)
                               ? ExtractionState::pending
                               : ExtractionState::unsupported;
      repo.insert_version(version);
      audit(conn, req, "document.uploaded", "document", doc.id,
            bj::object{{"contractId", contract_id},
                       {"version", version.version},
                       {"filename", name},
                       {"kind", to_string(doc.kind)},
                       {"size", version.size},
                       {"sha256", version.sha256},
                       {"contentType", content_type}});
      if (version.extraction == ExtractionState::pending)
        services_.enqueue_extraction(tx, p.org_id, doc.id, version.version);
      // The main document is a term of the contract: changing it is a material edit.
      if (was_main || doc.kind == DocumentKind::main)
        workflow::main_document_changed(conn, audit_actor(req), *contract, p.user_id);
    });
    auto r = json_response(created ? 201 : 200, to_json(doc, version));
    r.headers.set("Location", "/api/v1/contracts/" + contract_id + "/documents/" + doc.id);
    return r;
  }

  store::Database& db_;
  blob::ContentStore& content_;
  const DocumentServices& services_;
};

}  // namespace

void add_document_routes(http::Router& router, const ApiDependencies& deps) {
  if (!deps.documents.content) return;
  auto h = std::make_shared<DocumentHandlers>(deps);
  const std::string base = "/api/v1/contracts/{id}/documents";
  const auto limit = deps.documents.max_upload_bytes;
  router.add_upload(
      "POST", base, [h](http::Request& r) { return h->upload(r); }, limit);
  router.add("GET", base, [h](http::Request& r) { return h->list(r); });
  router.add("GET", base + "/{docId}", [h](http::Request& r) { return h->get(r); });
  router.add("DELETE", base + "/{docId}", [h](http::Request& r) { return h->remove(r); });
  router.add_upload(
      "POST", base + "/{docId}/versions", [h](http::Request& r) { return h->upload_version(r); },
      limit);
  router.add("GET", base + "/{docId}/versions/{n}/content",
             [h](http::Request& r) { return h->download(r); });
  router.add("GET", base + "/{docId}/versions/{n}/text",
             [h](http::Request& r) { return h->text(r); });
  router.add("GET", base + "/{docId}/versions/{a}/compare/{b}",
             [h](http::Request& r) { return h->compare(r); });
}

}  // namespace cm::api
