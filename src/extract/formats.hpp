// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Internal to src/extract: the per-format extractors behind extract_text(), and what they
// share. Each returns an Extraction; only the dispatcher deals with files that are missing.

#include <cstddef>
#include <string>
#include <string_view>

#include "extract/extract.hpp"

namespace cm::extract::detail {

// Collects extracted text under the max_output_chars limit, as clean UTF-8: invalid sequences
// become U+FFFD, CR LF and lone CR become LF, C0 controls other than tab, LF and form feed
// (and DEL) are dropped, so the text is safe to store in a PostgreSQL text column.
class TextBuilder {
 public:
  explicit TextBuilder(std::size_t max_chars) : max_chars_(max_chars) {}

  // Both return false once the limit has been reached (the text is then truncated).
  bool append(std::string_view bytes);
  bool append(char32_t code_point);

  bool full() const noexcept { return full_; }
  // Ends the current line unless the text is empty or already ends with one.
  void end_paragraph();

  // The finished extraction: status ok, text, chars, truncated.
  Extraction finish(int pages);

 private:
  void put(char32_t code_point);

  std::size_t max_chars_;
  std::size_t chars_ = 0;
  bool full_ = false;
  bool last_was_cr_ = false;
  std::string text_;
};

Extraction failed(std::string reason);
Extraction unsupported(std::string reason);

// Reads at most max_bytes of the file into `out`; false when it cannot be read.
bool read_file(const std::string& path, std::size_t max_bytes, std::string& out);

// True when the XML nests elements deeper than max_depth (checked before parsing: the DOM and
// our walk over it must stay bounded).
bool xml_nesting_exceeds(std::string_view xml, int max_depth);

Extraction extract_pdf(const std::string& path, const ExtractLimits& limits);
Extraction extract_docx(const std::string& path, const ExtractLimits& limits);
Extraction extract_odt(const std::string& path, const ExtractLimits& limits);
Extraction extract_rtf(std::string_view rtf, const ExtractLimits& limits);
Extraction extract_plain_text(std::string_view bytes, bool input_cut, const ExtractLimits& limits);

}  // namespace cm::extract::detail
