// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/form.hpp"

#include "core/strings.hpp"

namespace cm::http {

namespace {

bool decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex_digit_value(in[i + 1]);
      const int lo = hex_digit_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return true;
}

}  // namespace

Result<FormFields> parse_form_urlencoded(std::string_view body, std::size_t max_fields) {
  FormFields out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto piece = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (piece.empty()) continue;
    if (out.size() == max_fields)
      return bad_request("The form has more than " + std::to_string(max_fields) + " fields.");
    const auto eq = piece.find('=');
    std::string name, value;
    if (!decode(piece.substr(0, eq), name) ||
        !decode(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1), value))
      return bad_request("The form body has a malformed %-escape.");
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
      return Error(ErrorKind::bad_request, "The form has an invalid field.",
                   {{name.find('\0') != std::string::npos ? std::string() : name,
                     "must not contain a NUL character"}});
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

}  // namespace cm::http
