// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Checks of a request head that decide whether its body can be framed unambiguously (RFC 9112
// section 6) before any byte of the body is read. A request that a front proxy could frame
// differently (request smuggling) is refused and its connection closed, never "repaired".

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace cm::http {

struct HeadField {
  std::string_view name;
  std::string_view value;
};

struct RequestHead {
  std::string_view method;   // as sent: methods are case-sensitive (RFC 9110 section 9.1)
  bool method_known = true;  // one the server implements
  unsigned version = 11;     // 10 or 11
  std::string_view target;
  std::vector<HeadField> fields;
};

struct FramingError {
  int status;  // 400, 431 or 501
  std::string_view detail;
};

// Nullopt when the head may be served. `max_header_bytes` bounds the request line and all
// fields together (431).
std::optional<FramingError> check_framing(const RequestHead& head, std::size_t max_header_bytes);

}  // namespace cm::http
