// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What the document handlers need beyond the database, supplied by the wiring (src/app): the
// content store, limits, content-type detection, text comparison and the job that extracts text.
// Function objects keep src/api independent of the extraction and job libraries.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace cm::blob {
class ContentStore;
}  // namespace cm::blob
namespace cm::render {
class PdfRenderer;
}  // namespace cm::render

namespace cm::api {

struct DocumentServices {
  blob::ContentStore* content = nullptr;  // null: no document routes
  // The signature certificate's PDF (src/render); required by the signature routes.
  const render::PdfRenderer* certificate_pdf = nullptr;
  std::size_t max_upload_bytes = std::size_t{10} * 1024 * 1024;
  int retention_days = 30;
  // The MIME type decided from the content (`head` = the first bytes; `whole_file` = a path
  // holding exactly the file, when there is one, so containers can be looked into), checked
  // against the client's claim; throws cm::Error(unsupported_media_type) naming the detected type.
  std::function<std::string(std::string_view head, const std::string* whole_file,
                            std::string_view filename, std::string_view claimed_type)>
      detect_type;
  std::function<bool(std::string_view content_type)> extraction_supported;
  // Enqueues text extraction in the caller's transaction.
  std::function<void(store::Transaction&, const std::string& org_id, const std::string& document_id,
                     int version)>
      enqueue_extraction;
  // {"changes": [...], "summary": {...}} for two texts.
  std::function<boost::json::object(std::string_view old_text, std::string_view new_text)>
      compare_texts;
};

}  // namespace cm::api
