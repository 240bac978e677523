// SPDX-License-Identifier: AGPL-3.0-or-later
// The request path of src/http/server.cpp up to the application, without sockets: Beast's
// request parser with the server's limits, our framing checks (http/framing) on the head, then
// the body. Properties: a head the checks accept has one unambiguous body length (chunked, or
// Content-Length, or none) and one Host; a chunked body that parses is never longer than the
// limit; nothing throws.

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "http/framing_beast.hpp"
#include "http/headers.hpp"

namespace bhttp = boost::beast::http;

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kBodyLimit = 64 * 1024;

// Feeds `bytes` to the parser as a socket would deliver them; true when it took them all
// without an error.
bool feed(bhttp::request_parser<bhttp::string_body>& parser, std::string_view& bytes) {
  boost::beast::error_code ec;
  while (!bytes.empty() && !parser.is_done()) {
    const auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec == bhttp::error::need_more) return true;
    if (ec) return false;
    if (used == 0) return true;
    if (parser.is_header_done() && !parser.is_done()) return true;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  if (!feed(parser, bytes) || !parser.is_header_done()) return 0;

  const auto& head = parser.get();
  const auto refused = cm::http::check_framing(cm::http::view_of(head), kHeaderLimit);
  std::size_t hosts = 0;
  bool has_length = false, has_coding = false;
  for (const auto& f : head) {
    hosts += cm::http::iequals(f.name_string(), "Host") ? 1 : 0;
    has_length = has_length || cm::http::iequals(f.name_string(), "Content-Length");
    has_coding = has_coding || cm::http::iequals(f.name_string(), "Transfer-Encoding");
  }
  if (refused) {
    CM_FUZZ_CHECK(refused->status == 400 || refused->status == 431 || refused->status == 501);
    return 0;  // the server answers and closes: the rest is never read
  }
  CM_FUZZ_CHECK(hosts == 1 || (hosts == 0 && head.version() < 11));
  CM_FUZZ_CHECK(head.method() != bhttp::verb::unknown);
  // An accepted Transfer-Encoding is chunked alone, and Beast frames the body by it.
  if (has_coding) CM_FUZZ_CHECK(parser.chunked() && !has_length);
  (void)boost::urls::parse_origin_form(head.target());

  if (!feed(parser, bytes)) return 0;
  if (parser.is_done()) {
    CM_FUZZ_CHECK(parser.get().body().size() <= kBodyLimit);
    if (const auto length = parser.content_length())
      CM_FUZZ_CHECK(parser.get().body().size() == *length);
  }
  return 0;
}
