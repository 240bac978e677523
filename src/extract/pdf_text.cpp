// SPDX-License-Identifier: AGPL-3.0-or-later
// PDF text with poppler-cpp, page by page in reading order.

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <memory>
#include <mutex>

#include "extract/formats.hpp"

namespace cm::extract::detail {
namespace {

// poppler prints every complaint about a malformed file to stderr; a hostile file can make it
// print a lot. The document's fate is reported by its status instead.
void ignore_poppler_message(const std::string& /*message*/, void* /*closure*/) {}

void silence_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(ignore_poppler_message, nullptr); });
}

}  // namespace

Extraction extract_pdf(const std::string& path, const ExtractLimits& limits) {
  silence_poppler();
  std::unique_ptr<poppler::document> document(poppler::document::load_from_file(path));
  if (!document) return failed("not a readable PDF");
  // Locked: a user password is needed to decrypt the content. A PDF encrypted with only an
  // owner password (restrictions on printing or copying) opens and is extracted.
  if (document->is_locked()) return failed("encrypted");

  const int pages = document->pages();
  const int readable = std::min(pages, std::max(limits.max_pages, 0));
  TextBuilder out(limits.max_output_chars);
  for (int i = 0; i < readable && !out.full(); ++i) {
    if (i > 0) out.append(U'\f');
    std::unique_ptr<poppler::page> page(document->create_page(i));
    if (!page) continue;
    const poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
    // poppler ends each page with blank lines and a form feed of its own; we add one between
    // pages only.
    std::string_view text(utf8.data(), utf8.size());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\f' || text.back() == '\r' ||
                             text.back() == ' ')) {
      text.remove_suffix(1);
    }
    out.append(text);
    out.end_paragraph();
  }
  Extraction result = out.finish(pages);
  result.truncated = result.truncated || readable < pages;
  return result;
}

}  // namespace cm::extract::detail
