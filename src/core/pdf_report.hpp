#pragma once
// A minimal PDF writer for generated reports (the signature certificate): a title and lines of
// text on A4 pages in the standard Helvetica fonts, no third-party dependency.
//
// - Text is UTF-8; it is written in WinAnsiEncoding (Latin-1 plus the Windows-1252 extras such
//   as € and curly quotes). Characters it cannot represent become '?'; control characters and
//   invalid UTF-8 become '?' as well.
// - Lines longer than the text width are wrapped at spaces (or hard-wrapped inside a word that
//   alone is too wide), measured with Helvetica's metrics.
// - Lines that do not fit on a page continue on the next; every page gets a "page n of m" footer.
// - The output is a valid PDF 1.4 file with uncompressed content streams and a correct
//   cross-reference table, byte-for-byte deterministic for the same input.

#include <string>
#include <string_view>
#include <vector>

namespace cm::pdf {

struct ReportLine {
  std::string text;         // UTF-8
  bool bold = false;        // Helvetica-Bold instead of Helvetica
  bool gap_before = false;  // a blank half line above (separates sections)
};

struct Report {
  std::string title;  // shown in bold at the top of the first page and as the document title
  std::vector<ReportLine> lines;
};

// The PDF file's bytes.
std::string render(const Report& report);

// The WinAnsiEncoding bytes of UTF-8 text ('?' for what it cannot represent). Exposed for tests.
std::string to_win_ansi(std::string_view utf8);

}  // namespace cm::pdf
