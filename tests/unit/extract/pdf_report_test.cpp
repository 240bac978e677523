// The certificate's PDF writer (src/core/pdf_report), checked by reading its output back with the
// poppler-based extractor: if poppler finds the pages and the text, the file is a valid PDF.

#include "core/pdf_report.hpp"

#include <gtest/gtest.h>

#include <string>

#include "extract/extract.hpp"
#include "unit/extract/fixtures.hpp"

namespace cm::pdf {
namespace {

extract::Extraction read_back(const std::string& name, const std::string& bytes) {
  const auto path = test::write_file(name, bytes);
  auto r = extract::extract_text(path, extract::document_type(extract::DocumentKind::pdf));
  if (!r) {
    ADD_FAILURE() << r.error().detail();
    return {};
  }
  return std::move(r).value();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PdfReport, OnePageWithTitleAndSignerNamesIsReadBack) {
  Report report;
  report.title = "Signature certificate";
  report.lines = {{"Contract: Master Services Agreement"},
                  {"Signer 1: Alice Example <alice@example.com>", true, true},
                  {"Signer 2: Zoë Müller-Lüdenscheidt, “Geschäftsführerin” – 5 €"},
                  {"Parentheses (and a backslash \\) are escaped"}};
  const auto bytes = render(report);
  ASSERT_TRUE(bytes.starts_with("%PDF-1.4\n"));
  ASSERT_TRUE(bytes.ends_with("%%EOF\n"));
  const auto e = read_back("one.pdf", bytes);
  ASSERT_EQ(e.status, extract::ExtractionStatus::ok) << e.reason;
  EXPECT_EQ(e.pages, 1);
  EXPECT_NE(e.text.find("Signature certificate"), std::string::npos) << e.text;
  EXPECT_NE(e.text.find("Alice Example <alice@example.com>"), std::string::npos) << e.text;
  // WinAnsi characters come back as the same Unicode text.
  EXPECT_NE(e.text.find("Zoë Müller-Lüdenscheidt, “Geschäftsführerin” – 5 €"), std::string::npos)
      << e.text;
  EXPECT_NE(e.text.find("Parentheses (and a backslash \\) are escaped"), std::string::npos)
      << e.text;
  EXPECT_NE(e.text.find("Page 1 of 1"), std::string::npos);
}

TEST(PdfReport, CharactersOutsideWinAnsiBecomeQuestionMarks) {
  EXPECT_EQ(to_win_ansi("Łukasz 漢字 ok"), "?ukasz ?? ok");
  EXPECT_EQ(to_win_ansi("tab\there"), "tab here");
  EXPECT_EQ(to_win_ansi(std::string("bad \xff byte")), "bad ? byte");
  EXPECT_EQ(to_win_ansi("€"), "\x80");
  Report report;
  report.title = "Names";
  report.lines = {{"Signer: Łukasz Żółć"}};
  const auto e = read_back("latin2.pdf", render(report));
  ASSERT_EQ(e.status, extract::ExtractionStatus::ok) << e.reason;
  EXPECT_NE(e.text.find("Signer: ?ukasz ?ó??"), std::string::npos) << e.text;
}

TEST(PdfReport, LongReportsContinueOnMorePagesWithCorrectOffsets) {
  Report report;
  report.title = "Many lines";
  for (int i = 1; i <= 150; ++i) report.lines.push_back({"Line number " + std::to_string(i)});
  const auto bytes = render(report);
  const auto e = read_back("long.pdf", bytes);
  ASSERT_EQ(e.status, extract::ExtractionStatus::ok) << e.reason;
  EXPECT_EQ(e.pages, 3);
  EXPECT_EQ(count(e.text, "\f"), 2u);
  EXPECT_NE(e.text.find("Line number 1\n"), std::string::npos);
  EXPECT_NE(e.text.find("Line number 150"), std::string::npos);
  EXPECT_NE(e.text.find("Page 3 of 3"), std::string::npos);
  // Every xref entry points at its object's header.
  const auto xref = bytes.find("\nxref\n");
  ASSERT_NE(xref, std::string::npos);
  std::size_t entry = bytes.find("65535 f \n", xref) + 9;
  for (int obj = 1; bytes.compare(entry, 7, "trailer") != 0; ++obj, entry += 20) {
    const auto offset = std::stoul(bytes.substr(entry, 10));
    EXPECT_EQ(bytes.substr(offset, std::to_string(obj).size() + 6), std::to_string(obj) + " 0 obj")
        << "object " << obj;
  }
  const auto startxref = bytes.find("startxref\n");
  EXPECT_EQ(std::stoul(bytes.substr(startxref + 10)), xref + 1);
}

TEST(PdfReport, LongLinesWrapAtSpacesWithinTheMargins) {
  Report report;
  report.title = "Line breaks";
  std::string words;
  for (int i = 0; i < 60; ++i) words += "word" + std::to_string(i) + " ";
  report.lines = {{words}, {std::string(300, 'W')}};
  const auto e = read_back("wrap.pdf", render(report));
  ASSERT_EQ(e.status, extract::ExtractionStatus::ok) << e.reason;
  // No word is cut, every word is there, and the text took several lines.
  for (int i = 0; i < 60; ++i)
    EXPECT_NE(e.text.find("word" + std::to_string(i)), std::string::npos) << i;
  EXPECT_GE(count(e.text, "\n"), 8u) << e.text;
  EXPECT_EQ(count(e.text, "W"), 300u);
  EXPECT_EQ(render(report), render(report));  // deterministic
}

}  // namespace
}  // namespace cm::pdf
