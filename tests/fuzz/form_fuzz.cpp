// SPDX-License-Identifier: AGPL-3.0-or-later
// application/x-www-form-urlencoded bodies (src/http/form) and query strings. The input is both
// a form body and the query of a request target, decoded the way the server decodes targets
// (Boost.URL's origin-form, src/http/server.cpp to_request). Properties: never more fields than
// the limit; whatever was decoded encodes back to a body that decodes to the same fields, and
// so do the decoded query parameters.

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "http/form.hpp"

using namespace cm;
using namespace cm::http;

namespace {

void encode_component(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '*') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

std::string encode(const FormFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    encode_component(out, name);
    out += '=';
    encode_component(out, value);
  }
  return out;
}

void check_round_trip(const FormFields& fields) {
  const auto again = parse_form_urlencoded(encode(fields), fields.size());
  // A NUL in any name or value is refused (no text column takes it alike on both databases).
  const bool has_nul = std::any_of(fields.begin(), fields.end(), [](const auto& f) {
    return f.first.find('\0') != std::string::npos || f.second.find('\0') != std::string::npos;
  });
  if (has_nul) {
    CM_FUZZ_CHECK(!again);
    return;
  }
  CM_FUZZ_CHECK(again && *again == fields);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  constexpr std::size_t kMaxFields = 32;
  fuzz::only_cm_errors([&] {
    const auto fields = parse_form_urlencoded(input, kMaxFields);
    if (!fields) {
      CM_FUZZ_CHECK(fields.error().kind() == ErrorKind::bad_request);
      return;
    }
    CM_FUZZ_CHECK(fields->size() <= kMaxFields);
    for (const auto& [name, value] : *fields)
      CM_FUZZ_CHECK(name.size() + value.size() <= input.size());
    check_round_trip(*fields);
  });

  const std::string target = "/api/v1/contracts?" + std::string(input);
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return 0;
  FormFields query;
  for (const auto& param : url->params()) query.emplace_back(param.key, param.value);
  check_round_trip(query);
  return 0;
}
