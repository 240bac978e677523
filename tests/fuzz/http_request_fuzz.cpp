// SPDX-License-Identifier: AGPL-3.0-or-later
// The request path of src/http/server.cpp up to the application, without sockets: Beast's
// request parser with the server's limits, our framing checks (http/framing) on the head, then
// the body. Properties: a head the checks accept has one unambiguous body length (chunked, or
// Content-Length, or none) and one Host; a chunked body that parses is never longer than the
// limit; nothing throws.

#include <boost/assert.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_support.hpp"
#include "http/framing_beast.hpp"
#include "http/headers.hpp"

namespace bhttp = boost::beast::http;

// BOOST_ENABLE_ASSERT_HANDLER (CMakeLists.txt) sends Boost's assertions here. Beast 1.81 asserts
// `n >= 5` in parse_chunk_header, but a streamed chunked body can reach that line with 3 or 4
// bytes (e.g. "0\r\n" then "\r"); the code after it answers need_more correctly, and release
// builds have no assertion. Upstream corrected the assertion (boostorg/beast#2861, Boost 1.86).
// Every other failed assertion aborts as before.
namespace boost {
void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::string_view(expr) == "n >= 5" &&
      std::string_view(function).find("parse_chunk_header") != std::string_view::npos)
    return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}
void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file,
                          long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}
}  // namespace boost

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
