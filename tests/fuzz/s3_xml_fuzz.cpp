// SPDX-License-Identifier: AGPL-3.0-or-later
// The S3 XML documents (src/blob/s3_xml): the input as an <Error>, a ListObjectsV2 page and a
// CreateMultipartUpload answer, and as ETags for CompleteMultipartUpload; its first bytes also
// make an instant. Properties: parsing never throws; listed objects have keys; the
// CompleteMultipartUpload body is well-formed XML whose parts carry exactly the ETags given
// (escaping is right); ISO 8601 instants round-trip, and those system_clock cannot hold are
// refused.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "blob/s3_xml.hpp"
#include "fuzz_support.hpp"

using namespace cm;
using namespace cm::blob;

namespace {

// Characters pugixml gives back unchanged in text: printable ASCII, tab and LF (CR is
// normalized, other controls are not XML 1.0).
bool xml_text_safe(std::string_view s) {
  for (const char c : s)
    if (!((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n')) return false;
  return true;
}

void check_complete_multipart(std::string_view input) {
  std::vector<std::string> etags;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= input.size() && etags.size() < 16; ++i)
    if (i == input.size() || input[i] == '\n') {
      etags.emplace_back(input.substr(start, i - start));
      start = i + 1;
    }
  for (const auto& e : etags)
    if (!xml_text_safe(e)) return;
  const auto xml = s3xml::complete_multipart_upload(etags);
  pugi::xml_document doc;
  // parse_ws_pcdata: an ETag of blanks is still an ETag.
  CM_FUZZ_CHECK(
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata));
  std::size_t n = 0;
  for (const auto& part : doc.child("CompleteMultipartUpload").children("Part")) {
    CM_FUZZ_CHECK(n < etags.size());
    CM_FUZZ_CHECK(part.child("PartNumber").text().as_ullong() == n + 1);
    CM_FUZZ_CHECK(etags[n] == part.child("ETag").text().as_string());
    ++n;
  }
  CM_FUZZ_CHECK(n == etags.size());
}

void check_instant(std::int64_t raw) {
  // 1970-01-01 .. 9999-12-31, with milliseconds.
  const auto millis = static_cast<std::uint64_t>(raw) % 253'402'300'800'000ull;
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis % 1000));
  const auto parsed = s3xml::parse_iso8601(text);
  // system_clock's nanoseconds end in April 2262.
  constexpr auto kMaxSeconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max())
          .count() -
      1;
  if (seconds > kMaxSeconds) {
    CM_FUZZ_CHECK(!parsed);
    return;
  }
  CM_FUZZ_CHECK(parsed.has_value());
  const auto got =
      std::chrono::duration_cast<std::chrono::milliseconds>(parsed->time_since_epoch());
  CM_FUZZ_CHECK(got.count() == static_cast<std::int64_t>(millis));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  fuzz::only_cm_errors([&] {
    if (const auto error = s3xml::parse_error(input)) (void)error->code.size();
    if (const auto page = s3xml::parse_list_objects_v2(input))
      for (const auto& object : page->objects) CM_FUZZ_CHECK(!object.key.empty());
    if (const auto id = s3xml::parse_upload_id(input)) CM_FUZZ_CHECK(!id->empty());
    (void)s3xml::parse_iso8601(input);
    check_complete_multipart(input);
  });
  if (size >= 8) {
    std::int64_t raw = 0;
    std::memcpy(&raw, data, 8);
    check_instant(raw);
  }
  return 0;
}
