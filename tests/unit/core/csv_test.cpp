// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/csv.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cm::csv {
namespace {

std::string row(std::initializer_list<Field> fields) {
  std::string out;
  append_row(out, fields);
  return out;
}

TEST(Csv, PlainFieldsAreJoinedByCommasWithCrlf) {
  EXPECT_EQ(row({{"a"}, {"b c"}, {""}}), "a,b c,\r\n");
}

TEST(Csv, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(row({{"Acme, Inc."}, {"say \"hi\""}, {"two\nlines"}}),
            "\"Acme, Inc.\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
}

TEST(Csv, TextThatASpreadsheetWouldRunIsShownAsText) {
  EXPECT_EQ(row({{"=HYPERLINK(\"http://evil\")"}}), "\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n");
  for (const char* formula : {"+1", "-2+3", "@SUM(A1)", "\tx", "\rx"}) {
    std::string out;
    append_field(out, formula);
    EXPECT_EQ(out.substr(0, 2), "\"'") << formula;
  }
}

TEST(Csv, ValuesWeFormatOurselvesGoOutUnchanged) {
  EXPECT_EQ(row({{"-12.50", Cell::value}, {"2026-01-31", Cell::value}}), "-12.50,2026-01-31\r\n");
}

}  // namespace
}  // namespace cm::csv
