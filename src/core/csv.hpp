// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// CSV (RFC 4180) for exports that people open in spreadsheets: CRLF rows, fields quoted when
// they hold a comma, quote, CR or LF. Text from users that a spreadsheet would run as a formula
// (starting with =, +, -, @, tab or CR: OWASP's "CSV injection") is prefixed with an apostrophe,
// which spreadsheets show as text; numbers and dates we format ourselves go out unchanged.

#include <initializer_list>
#include <string>
#include <string_view>

namespace cm::csv {

enum class Cell { text, value };

struct Field {
  std::string_view content;
  Cell kind = Cell::text;
};

// Appends one field, escaped (without separator).
void append_field(std::string& out, std::string_view content, Cell kind = Cell::text);
// Appends the fields joined by commas and a CRLF.
void append_row(std::string& out, std::initializer_list<Field> fields);

}  // namespace cm::csv
