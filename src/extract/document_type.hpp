// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What kind of document an upload is, decided from its bytes (libmagic plus a look inside zip
// containers), never from the name or Content-Type the client claims.
//
// Accepted: PDF, DOCX, DOC, ODT, RTF, plain text, Markdown, PNG, JPEG. Everything else is
// cm::Error(unsupported_media_type) whose detail names the detected MIME type.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cm::extract {

enum class DocumentKind { pdf, docx, doc, odt, rtf, txt, md, png, jpeg };

struct DocumentType {
  DocumentKind kind = DocumentKind::txt;
  std::string mime;       // canonical, e.g. "application/pdf"
  std::string extension;  // canonical, without the dot, e.g. "pdf", "jpg"
  bool operator==(const DocumentType&) const = default;
};

// "pdf", "docx", ... (also the `--type` of the extract-text helper).
std::string_view to_string(DocumentKind kind) noexcept;
std::optional<DocumentKind> parse_document_kind(std::string_view name) noexcept;

// The canonical MIME type and extension of a kind.
DocumentType document_type(DocumentKind kind);

// How many leading bytes detect_type() wants. Fewer work for most types; a DOCX whose main part
// is stored after 64 KiB of other entries is only recognized by detect_file_type().
inline constexpr std::size_t kDetectHeadBytes = std::size_t{64} * 1024;

// Detects the type from the first bytes of a file. `claimed_filename` only decides between
// Markdown and plain text (".md"/".markdown" is Markdown), and accepts an OLE2 compound file
// as a Word 97-2003 document when it is named ".doc". Thread-safe (one libmagic handle per
// thread).
Result<DocumentType> detect_type(std::string_view head_bytes, std::string_view claimed_filename);

// detect_type() on the file's first kDetectHeadBytes; a zip that the head alone does not
// identify is recognized from its central directory (DOCX: word/document.xml; ODT: the
// mimetype entry). Error kind not_found when the file cannot be read.
Result<DocumentType> detect_file_type(const std::string& path, std::string_view claimed_filename);

// Checks the Content-Type a client sent against the detected type. Parameters ("; charset=")
// and case are ignored; an empty type or application/octet-stream claims nothing and passes;
// common aliases pass (image/jpg, text/rtf, text/plain for Markdown, ...). A mismatch is
// Error(unsupported_media_type) naming both types.
Result<bool> check_claimed_content_type(std::string_view claimed_content_type,
                                        const DocumentType& detected);

}  // namespace cm::extract
