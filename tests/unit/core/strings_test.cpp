// SPDX-License-Identifier: AGPL-3.0-or-later
// The shared string helpers (core/strings.hpp) and the UTF-8 checks (core/utf8.hpp).

#include "core/strings.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.hpp"

namespace cm {
namespace {

TEST(Utf8, Validity) {
  EXPECT_TRUE(utf8::is_valid(""));
  EXPECT_TRUE(utf8::is_valid("plain ascii"));
  EXPECT_TRUE(utf8::is_valid("caf\xc3\xa9"));        // é
  EXPECT_TRUE(utf8::is_valid("\xe2\x82\xac"));       // €
  EXPECT_TRUE(utf8::is_valid("\xf0\x9f\x98\x80"));   // 😀
  EXPECT_TRUE(utf8::is_valid("\xf4\x8f\xbf\xbf"));   // U+10FFFF
  EXPECT_FALSE(utf8::is_valid("\xff"));              // never valid
  EXPECT_FALSE(utf8::is_valid("\x80"));              // lone continuation
  EXPECT_FALSE(utf8::is_valid("caf\xc3"));           // truncated at the end
  EXPECT_FALSE(utf8::is_valid("\xe2\x82"));          // truncated
  EXPECT_FALSE(utf8::is_valid("\xc3\x28"));          // bad continuation
  EXPECT_FALSE(utf8::is_valid("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(utf8::is_valid("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(utf8::is_valid("\xf0\x80\x80\xaf"));  // overlong
  EXPECT_FALSE(utf8::is_valid("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(utf8::is_valid("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(utf8::is_valid(std::string_view("a\xf8\x88\x80\x80\x80", 6)));  // 5-byte form
}

TEST(Utf8, LengthCountsCodePoints) {
  EXPECT_EQ(utf8::length(""), 0u);
  EXPECT_EQ(utf8::length("abc"), 3u);
  EXPECT_EQ(utf8::length("caf\xc3\xa9"), 4u);
  EXPECT_EQ(utf8::length("\xe2\x82\xac\xf0\x9f\x98\x80"), 2u);
}

TEST(Strings, TrimRemovesSurroundingWhitespaceOnly) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim("\n\t "), "");
  EXPECT_EQ(trim("x"), "x");
  EXPECT_EQ(trim(""), "");
}

TEST(Strings, TrimTakesTheCharactersToRemove) {
  EXPECT_EQ(trim(" ..report.pdf.. ", " ."), "report.pdf");
  EXPECT_EQ(trim("...", "."), "");
  static_assert(trim("  x ") == "x");
  // Only the ends: inner white space stays.
  EXPECT_EQ(trim(" a  b "), "a  b");
}

TEST(Strings, CaseMappingIsAsciiOnly) {
  EXPECT_EQ(to_lower("Content-TYPE: Ünïcode"), "content-type: Ünïcode");
  EXPECT_EQ(to_upper("get"), "GET");
  EXPECT_EQ(to_upper("pAtCh-1"), "PATCH-1");
  EXPECT_EQ(to_lower(""), "");
  // Bytes of multi-byte characters are never changed.
  EXPECT_EQ(to_upper("caf\xc3\xa9"), "CAF\xc3\xa9");
}

TEST(Strings, IequalsIgnoresAsciiCaseOnly) {
  EXPECT_TRUE(iequals("Content-Length", "content-length"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("Content-Length", "Content-Lengt"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_FALSE(iequals("\xc3\xa9", "\xc3\x89"));  // é vs É: not ASCII
  static_assert(iequals("ROLLBACK", "rollback"));
}

TEST(Utf8, ValidityAgreesWithDecode) {
  // Every sequence decode() calls invalid makes the whole text invalid.
  for (const std::string_view s :
       {std::string_view("\xed\xbf\xbf"), std::string_view("\xf5\x80\x80\x80"),
        std::string_view("\xc1\xbf")}) {
    EXPECT_FALSE(utf8::decode(s, 0).valid);
    EXPECT_FALSE(utf8::is_valid(s));
  }
  EXPECT_TRUE(
      utf8::is_valid("a\xc3\xa9"
                     "b\xe2\x82\xac"));
}

}  // namespace
}  // namespace cm
