// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/framing.hpp"

#include "http/headers.hpp"

namespace cm::http {
namespace {

constexpr std::string_view kWhitespace = " \t";

std::string_view trim_ows(std::string_view s) {
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

// The size of the head as it came over the wire, give or take optional whitespace.
std::size_t head_bytes(const RequestHead& head) {
  std::size_t total = head.method.size() + 1 + head.target.size() + 1 + 8 + 2;
  for (const auto& f : head.fields) total += f.name.size() + 2 + f.value.size() + 2;
  return total + 2;
}

// Transfer-Encoding, possibly over several field lines: only `chunked`, once, is accepted. A
// request whose final coding is not chunked has no determinable length (400); other codings
// are not implemented (501).
std::optional<FramingError> check_transfer_encoding(const RequestHead& head, bool has_length) {
  std::size_t codings = 0;
  bool seen_other = false;
  bool last_is_chunked = false;
  bool seen_any = false;
  for (const auto& f : head.fields) {
    if (!iequals(f.name, "Transfer-Encoding")) continue;
    seen_any = true;
    std::string_view list = f.value;
    while (true) {
      const auto comma = list.find(',');
      const auto item = trim_ows(list.substr(0, comma));
      if (!item.empty()) {
        ++codings;
        last_is_chunked = iequals(item, "chunked");
        if (!last_is_chunked) seen_other = true;
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (!seen_any) return std::nullopt;
  if (head.version < 11)
    return FramingError{400, "Transfer-Encoding is not allowed in an HTTP/1.0 request"};
  if (has_length)
    return FramingError{400, "a request must not carry both Content-Length and Transfer-Encoding"};
  if (codings == 0 || !last_is_chunked)
    return FramingError{400, "the final transfer coding of a request must be chunked"};
  if (seen_other) return FramingError{501, "only the chunked transfer coding is implemented"};
  if (codings > 1) return FramingError{400, "chunked may be applied only once"};
  return std::nullopt;
}

}  // namespace

std::optional<FramingError> check_framing(const RequestHead& head, std::size_t max_header_bytes) {
  if (head_bytes(head) > max_header_bytes)
    return FramingError{431, "request header fields too large"};
  if (!head.method_known) return FramingError{501, "this request method is not implemented"};
  std::size_t hosts = 0;
  bool has_length = false;
  for (const auto& f : head.fields) {
    if (iequals(f.name, "Host")) ++hosts;
    if (iequals(f.name, "Content-Length")) has_length = true;
  }
  // RFC 9112 section 3.2: exactly one Host in HTTP/1.1; never more than one.
  if (hosts > 1) return FramingError{400, "a request must carry one Host header, not several"};
  if (hosts == 0 && head.version >= 11)
    return FramingError{400, "an HTTP/1.1 request must carry a Host header"};
  return check_transfer_encoding(head, has_length);
}

}  // namespace cm::http
