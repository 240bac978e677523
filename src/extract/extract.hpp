// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Plain text from documents, for search and redline diffs.
//
// The outcome a caller records is an Extraction with a status:
//   ok           the text (possibly truncated at a limit; `truncated` says so)
//   unsupported  the type carries no extractable text here (DOC, PNG, JPEG): not an error
//   failed       the document is broken, encrypted or hostile; `reason` says why, for people
// The Result's error is kept for our own problems (the file is missing, the helper cannot be
// started): worth a retry, unlike a failed extraction.
//
// extract_text() runs in the calling process and trusts poppler, libzip and pugixml not to
// crash or run away on a hostile file. Production code calls extract_text_isolated()
// (extract/isolated.hpp), which runs the same code in a child process with rlimits and a
// wall-clock timeout.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "extract/document_type.hpp"

namespace cm::extract {

struct ExtractLimits {
  // Output text in Unicode code points; longer text is cut there (truncated = true).
  std::size_t max_output_chars = 5'000'000;
  // PDF pages read; text of later pages is skipped (truncated = true).
  int max_pages = 2'000;
  // Size of the input file; a larger one fails.
  std::uint64_t max_file_bytes = 256ull << 20;
  // Uncompressed bytes of one zip entry, and of all entries read from one DOCX/ODT: beyond
  // either the document fails as a zip bomb, whatever sizes its headers declare.
  std::uint64_t max_entry_bytes = 128ull << 20;
  std::uint64_t max_total_bytes = 256ull << 20;
  // Element nesting of DOCX/ODT XML and group nesting of RTF; deeper documents fail before
  // they are parsed.
  int max_nesting_depth = 256;

  // Only for extract_text_isolated(): the helper process's limits.
  std::chrono::milliseconds timeout{30'000};    // wall clock, then SIGKILL
  std::uint64_t max_memory_bytes = 1ull << 30;  // RLIMIT_AS
  std::uint32_t max_cpu_seconds = 30;           // RLIMIT_CPU
};

enum class ExtractionStatus { ok, unsupported, failed };

// "ok", "unsupported", "failed".
std::string_view to_string(ExtractionStatus status) noexcept;

struct Extraction {
  ExtractionStatus status = ExtractionStatus::ok;
  // Valid UTF-8. Paragraphs end with '\n', tabs are '\t', PDF pages are separated by '\f'.
  // No NUL or other C0 control characters; line ends are '\n'.
  std::string text;
  int pages = 0;           // PDF: pages in the document; DOCX/ODT: as recorded by the editor
                           // (0 when unknown); 0 for text formats
  std::size_t chars = 0;   // code points in `text`
  bool truncated = false;  // a limit cut the text short (max_output_chars or max_pages)
  std::string reason;      // why, for unsupported and failed: "encrypted", "timed out after 30 s"
};

// Extracts the text of the file at `path`, which detect_type() found to be `type`.
Result<Extraction> extract_text(const std::string& path, const DocumentType& type,
                                const ExtractLimits& limits = {});

}  // namespace cm::extract
