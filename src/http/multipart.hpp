// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// multipart/form-data (RFC 7578) over a spooled body file, and the header parameters that name
// files (Content-Type boundary, Content-Disposition filename / filename*, RFC 6266 and 8187).
// Parts are located, not copied: a file part is an offset and a length in the spooled body.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace cm::http {

// How a quoted parameter value is written. HTTP header fields escape with backslashes (RFC 9110);
// multipart/form-data part headers written by browsers do not (a Windows path keeps its
// backslashes) and percent-encode `"` and line breaks instead (WHATWG HTML, RFC 7578 4.2).
enum class QuotedForm { http, html_form };

// A header value's parameter (`boundary`, `name`, `filename`), unquoted; case-insensitive name.
std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name,
                                            QuotedForm form = QuotedForm::http);

// The file name a client gave in a Content-Disposition value: `filename*` (RFC 8187, UTF-8)
// wins over `filename`. Nullopt when there is none.
std::optional<std::string> disposition_filename(std::string_view content_disposition,
                                                QuotedForm form = QuotedForm::http);

// A Content-Disposition value for a download (RFC 6266): an ASCII fallback in `filename` and the
// exact UTF-8 name in `filename*`.
std::string format_content_disposition(std::string_view disposition, std::string_view filename);

struct MultipartPart {
  std::string name;                     // the form field
  std::optional<std::string> filename;  // present for file fields
  std::string content_type;             // as sent, may be empty
  std::uint64_t offset = 0;             // of the content, in the body
  std::uint64_t length = 0;
};

struct MultipartLimits {
  std::size_t max_parts = 16;
  std::size_t max_part_header_bytes = std::size_t{8} * 1024;
};

// Locates the parts of a multipart body held in a file. Errors are bad_request with a detail a
// client can act on (no boundary, no closing delimiter, too many parts...).
Result<std::vector<MultipartPart>> parse_multipart_file(const std::string& path,
                                                        std::string_view content_type,
                                                        MultipartLimits limits = {});

// Reads a small part's content (a form field such as `kind`); at most `max_bytes`.
Result<std::string> read_part_text(const std::string& path, const MultipartPart& part,
                                   std::size_t max_bytes);

}  // namespace cm::http
