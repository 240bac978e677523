// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/csv.hpp"

namespace cm::csv {

namespace {

bool looks_like_formula(std::string_view s) {
  if (s.empty()) return false;
  const char first = s.front();
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
         first == '\r';
}

}  // namespace

void append_field(std::string& out, std::string_view content, Cell kind) {
  const bool neutralize = kind == Cell::text && looks_like_formula(content);
  const bool quote = neutralize || content.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += content;
    return;
  }
  out += '"';
  if (neutralize) out += '\'';
  for (char c : content) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_row(std::string& out, std::initializer_list<Field> fields) {
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out += ',';
    first = false;
    append_field(out, f.content, f.kind);
  }
  out += "\r\n";
}

}  // namespace cm::csv
