// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Renders generated documents (the signature certificate, core/layout.hpp) to PDF with a real
// text stack: pango shapes the text (every script the fonts cover, right-to-left Arabic
// included, with bidi reordering and joining forms), cairo writes the PDF with subsets of the
// fonts embedded, so the file looks the same in every reader and its text can be copied out.
//
// Fonts are a fixed list of files from Debian packages (font_files()), loaded into a private
// fontconfig configuration: the output does not depend on the fonts or the fontconfig setup of
// the machine, and a missing file is an error at start-up, not a page of empty boxes.
//
// A4 pages with 20 mm margins; each block of fields is a two-column table (label, value) whose
// values wrap at word boundaries (identifiers and hashes anywhere); tables continue on the next
// page; every page has a "Page n of m" footer. The same document gives the same bytes.
//
// No cairo, pango or fontconfig type appears here; they stay in pdf_renderer.cpp.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/layout.hpp"
#include "core/result.hpp"

namespace cm::render {

struct FontFile {
  std::string_view path;
  std::string_view family;   // the family name the file must declare
  std::string_view package;  // the Debian package that installs it
};

// The font files the renderer loads. Latin, Greek and Cyrillic come from DejaVu Sans (and
// DejaVu Sans Mono for identifiers), Arabic from Noto Sans Arabic UI, Chinese, Japanese and
// Korean from WenQuanYi Micro Hei.
std::span<const FontFile> font_files() noexcept;

class PdfRenderer {
 public:
  // Loads the fonts. The error names every missing or unreadable file and its Debian package.
  // `fonts` is for tests; the families the renderer asks for are those of font_files().
  static Result<std::unique_ptr<PdfRenderer>> create(
      std::span<const FontFile> fonts = font_files());
  ~PdfRenderer();
  PdfRenderer(const PdfRenderer&) = delete;
  PdfRenderer& operator=(const PdfRenderer&) = delete;

  // The PDF file's bytes. Safe to call from several threads (one rendering at a time: pango's
  // font map is not thread-safe). Throws cm::Error(internal) if cairo fails.
  std::string render(const layout::Document& document) const;

 private:
  struct Impl;
  explicit PdfRenderer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cm::render
