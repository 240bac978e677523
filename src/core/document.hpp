// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Contract documents: a logical document (one per contract and file name) with immutable,
// numbered versions. Pure rules: names, kinds, extraction states and the API's JSON shape.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace cm {

enum class DocumentKind { main, attachment, signed_copy, exhibit };
std::string_view to_string(DocumentKind kind) noexcept;
std::optional<DocumentKind> parse_document_kind(std::string_view text) noexcept;

enum class ExtractionState { pending, done, failed, unsupported };
std::string_view to_string(ExtractionState state) noexcept;
std::optional<ExtractionState> parse_extraction_state(std::string_view text) noexcept;

inline constexpr std::size_t kMaxFilenameBytes = 255;

// The name shown to users, from whatever the client sent: the last path component (either
// slash), control characters removed, invalid UTF-8 refused, trimmed, at most 255 bytes.
// Validation error when nothing usable is left.
Result<std::string> display_filename(std::string_view client_name);

// Uploads with the same logical name become versions of one document: case and surrounding
// spaces do not matter ("Contract.PDF" and "contract.pdf" are the same document).
std::string filename_key(std::string_view display_name);

struct DocumentVersion {
  std::string document_id;
  std::string org_id;
  int version = 0;
  std::string filename;
  std::uint64_t size = 0;
  std::string sha256;  // of the plaintext, lower-case hex
  std::string content_type;
  std::string blob_key;
  std::uint64_t stored_size = 0;  // bytes in object storage (ciphertext when encrypted)
  std::optional<std::string> key_id;
  std::optional<std::string> wrapped_key;
  std::string uploaded_by;
  std::int64_t uploaded_at = 0;
  ExtractionState extraction = ExtractionState::pending;
  std::optional<std::string> extraction_error;
  std::optional<int> page_count;
  std::optional<std::int64_t> char_count;
};

struct Document {
  std::string id;
  std::string org_id;
  std::string contract_id;
  std::string name;
  DocumentKind kind = DocumentKind::attachment;
  int latest_version = 0;
  std::string created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> deleted_at;
  std::optional<std::int64_t> purge_after;
};

boost::json::object to_json(const DocumentVersion& v, std::string_view contract_id);
// The document with its latest version inline, and every version when `versions` is given.
boost::json::object to_json(const Document& d, const DocumentVersion& latest,
                            const std::vector<DocumentVersion>* versions = nullptr);

}  // namespace cm
