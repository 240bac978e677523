// SPDX-License-Identifier: AGPL-3.0-or-later
// DOCX and ODT text (src/extract/office_text: libzip + pugixml under the size, zip-bomb and
// nesting limits). The first input byte picks the form: 0 the rest is the file itself (a zip);
// 1 a DOCX and 2 an ODT, whose parts are the rest split at NUL bytes (word/document.xml,
// word/footnotes.xml, _rels/.rels, docProps/app.xml; content.xml, META-INF/manifest.xml),
// zipped here so the fuzzer works on the XML. Properties: never throws; the outcome is ok or
// failed with a reason; ok text is clean UTF-8 whose `chars` counts its code points within
// max_output_chars.

#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/utf8.hpp"
#include "extract/formats.hpp"
#include "fuzz_support.hpp"

using namespace cm;
using namespace cm::extract;

namespace {

std::vector<std::string_view> split_at_nul(std::string_view s, std::size_t max) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max) {
    const auto nul = s.find('\0');
    if (nul == std::string_view::npos) break;
    out.push_back(s.substr(0, nul));
    s.remove_prefix(nul + 1);
  }
  out.push_back(s);
  return out;
}

// Writes a stored (uncompressed) zip with these entries to `path`.
void write_zip(const std::string& path,
               const std::vector<std::pair<const char*, std::string_view>>& entries) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  CM_FUZZ_CHECK(zip != nullptr);
  for (const auto& [name, bytes] : entries) {
    zip_source_t* source = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    CM_FUZZ_CHECK(source != nullptr);
    const zip_int64_t index = zip_file_add(zip, name, source, ZIP_FL_OVERWRITE);
    CM_FUZZ_CHECK(index >= 0);
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  CM_FUZZ_CHECK(zip_close(zip) == 0);
}

void check(const Extraction& result, const ExtractLimits& limits) {
  if (result.status == ExtractionStatus::failed) {
    CM_FUZZ_CHECK(!result.reason.empty() && result.text.empty());
    return;
  }
  CM_FUZZ_CHECK(result.status == ExtractionStatus::ok);
  CM_FUZZ_CHECK(utf8::is_valid(result.text) && fuzz::is_clean_text(result.text));
  CM_FUZZ_CHECK(result.chars == utf8::length(result.text));
  CM_FUZZ_CHECK(result.chars <= limits.max_output_chars);
  CM_FUZZ_CHECK(result.pages >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto rest = fuzz::as_text(data + 1, size - 1);
  ExtractLimits limits;
  limits.max_output_chars = 4000;
  limits.max_entry_bytes = 1 << 20;
  limits.max_total_bytes = 2 << 20;
  limits.max_nesting_depth = 64;
  const auto& path = fuzz::scratch_path();
  const int form = data[0] % 3;
  if (form == 0) {
    fuzz::write_scratch(rest);
  } else if (form == 1) {
    const auto parts = split_at_nul(rest, 4);
    const char* names[] = {"word/document.xml", "word/footnotes.xml", "_rels/.rels",
                           "docProps/app.xml"};
    std::vector<std::pair<const char*, std::string_view>> entries;
    for (std::size_t i = 0; i < parts.size(); ++i) entries.emplace_back(names[i], parts[i]);
    write_zip(path, entries);
  } else {
    const auto parts = split_at_nul(rest, 2);
    std::vector<std::pair<const char*, std::string_view>> entries{
        {"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", parts[0]}};
    if (parts.size() > 1) entries.emplace_back("META-INF/manifest.xml", parts[1]);
    write_zip(path, entries);
  }
  fuzz::only_cm_errors([&] {
    if (form != 2) check(detail::extract_docx(path, limits), limits);
    if (form != 1) check(detail::extract_odt(path, limits), limits);
  });
  return 0;
}
