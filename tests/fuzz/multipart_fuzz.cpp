// SPDX-License-Identifier: AGPL-3.0-or-later
// multipart/form-data (src/http/multipart): the first line of the input is the Content-Type,
// the rest the spooled body. Properties: parts lie inside the body, in order, each followed by
// its delimiter; read_part_text returns exactly those bytes; never more parts than the limit.
// And Content-Disposition round-trips any file name through format/parse, in both quoting forms.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "http/multipart.hpp"

using namespace cm;
using namespace cm::http;

namespace {

void check_disposition_round_trip(std::string_view filename) {
  const auto header = format_content_disposition("attachment", filename);
  for (const auto form : {QuotedForm::http, QuotedForm::html_form}) {
    const auto parsed = disposition_filename(header, form);
    CM_FUZZ_CHECK(parsed && *parsed == filename);
  }
  // The ASCII fallback is a quoted string a client can show: no quote, backslash or control.
  const auto fallback = header_parameter(header, "filename");
  CM_FUZZ_CHECK(fallback && fallback->size() == filename.size());
  for (const char c : *fallback) CM_FUZZ_CHECK(c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  const auto eol = input.find('\n');
  if (eol == std::string_view::npos || eol > 512) return 0;
  const auto content_type = input.substr(0, eol);
  const auto body = input.substr(eol + 1);

  // The parameters of arbitrary header values (part headers are parsed the same way).
  fuzz::only_cm_errors([&] {
    (void)header_parameter(content_type, "boundary");
    (void)disposition_filename(content_type, QuotedForm::http);
    (void)disposition_filename(content_type, QuotedForm::html_form);
  });
  check_disposition_round_trip(body.substr(0, 256));

  const auto& path = fuzz::write_scratch(body);
  const MultipartLimits limits{.max_parts = 8, .max_part_header_bytes = 1024};
  fuzz::only_cm_errors([&] {
    const auto parts = parse_multipart_file(path, content_type, limits);
    if (!parts) {
      CM_FUZZ_CHECK(!parts.error().detail().empty());
      return;
    }
    const auto boundary = header_parameter(content_type, "boundary");
    CM_FUZZ_CHECK(boundary && !boundary->empty() && boundary->size() <= 70);
    const std::string delimiter = "\r\n--" + *boundary;
    CM_FUZZ_CHECK(parts->size() <= limits.max_parts);
    std::uint64_t previous_end = 0;
    for (const auto& part : *parts) {
      CM_FUZZ_CHECK(part.offset >= previous_end);
      CM_FUZZ_CHECK(part.offset <= body.size() && part.length <= body.size() - part.offset);
      const auto content = body.substr(part.offset, part.length);
      CM_FUZZ_CHECK(content.find(delimiter) == std::string_view::npos);
      CM_FUZZ_CHECK(body.substr(part.offset + part.length, delimiter.size()) == delimiter);
      previous_end = part.offset + part.length;
      const auto text = read_part_text(path, part, 4096);
      if (part.length <= 4096 && content.find('\0') != std::string_view::npos) {
        CM_FUZZ_CHECK(!text);  // NUL in a text field is refused
      } else if (part.length <= 4096) {
        CM_FUZZ_CHECK(text && *text == content);
      } else {
        CM_FUZZ_CHECK(!text && text.error().kind() == ErrorKind::bad_request);
      }
    }
  });
  return 0;
}
