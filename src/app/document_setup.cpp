// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/document_setup.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "blob/blob_factory.hpp"
#include "core/error.hpp"
#include "core/text_diff.hpp"
#include "extract/document_type.hpp"

namespace cm::app {

std::optional<DocumentStorage> open_document_storage(const Config& config) {
  DocumentStorage storage;
  if (!config.encryption_key.empty()) {
    auto keys = envelope::parse_key_ring(config.encryption_key, config.encryption_keys_old);
    if (!keys) {
      std::cerr << "contractmgmt: " << keys.error().detail() << "\n";
      return std::nullopt;
    }
    storage.keys = std::make_unique<envelope::KeyRing>(std::move(*keys));
  }
  auto blobs = blob::make_blob_store(config.blob);
  if (!blobs) {
    std::cerr << "contractmgmt: document storage: " << blobs.error().detail() << "\n";
    return std::nullopt;
  }
  storage.blobs = std::move(*blobs);
  storage.content = std::make_unique<blob::ContentStore>(*storage.blobs, storage.keys.get());
  return storage;
}

namespace {

namespace bj = boost::json;

std::string detect_content_type(std::string_view head, const std::string* whole_file,
                                std::string_view filename, std::string_view claimed) {
  auto detected = whole_file ? extract::detect_file_type(*whole_file, filename)
                             : extract::detect_type(head, filename);
  if (!detected) throw detected.error();
  if (auto ok = extract::check_claimed_content_type(claimed, *detected); !ok) throw ok.error();
  return detected->mime;
}

bj::object compare_texts(std::string_view old_text, std::string_view new_text) {
  const auto diff = diff_words(old_text, new_text);
  bj::array changes;
  changes.reserve(diff.runs.size());
  for (const auto& run : diff.runs)
    changes.push_back(bj::object{{"op", to_string(run.op)},
                                 {"text", run.text},
                                 {"oldOffset", run.old_offset},
                                 {"oldLength", run.old_length},
                                 {"newOffset", run.new_offset},
                                 {"newLength", run.new_length}});
  return bj::object{{"precision", to_string(diff.precision)},
                    {"summary", bj::object{{"insertedWords", diff.summary.words_inserted},
                                           {"deletedWords", diff.summary.words_deleted},
                                           {"unchangedWords", diff.summary.words_unchanged}}},
                    {"changes", std::move(changes)}};
}

}  // namespace

bool extraction_supported(std::string_view content_type) {
  for (const auto kind :
       {extract::DocumentKind::pdf, extract::DocumentKind::docx, extract::DocumentKind::odt,
        extract::DocumentKind::rtf, extract::DocumentKind::txt, extract::DocumentKind::md})
    if (extract::document_type(kind).mime == content_type) return true;
  return false;
}

std::unique_ptr<render::PdfRenderer> open_certificate_renderer() {
  auto renderer = render::PdfRenderer::create();
  if (!renderer) {
    std::cerr << "contractmgmt: " << renderer.error().detail() << "\n";
    return nullptr;
  }
  return std::move(renderer).value();
}

api::DocumentServices document_services(const Config& config, DocumentStorage& storage,
                                        const render::PdfRenderer& certificate_pdf,
                                        EnqueueExtraction enqueue) {
  api::DocumentServices services;
  services.content = storage.content.get();
  services.certificate_pdf = &certificate_pdf;
  services.max_upload_bytes = config.max_upload_bytes;
  services.retention_days = config.retention_days;
  services.detect_type = detect_content_type;
  services.extraction_supported = extraction_supported;
  services.enqueue_extraction = std::move(enqueue);
  services.compare_texts = compare_texts;
  return services;
}

}  // namespace cm::app
