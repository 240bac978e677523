// SPDX-License-Identifier: AGPL-3.0-or-later
#include "extract/extract.hpp"

#include <gtest/gtest.h>

#include "support/pdf_builder.hpp"
#include "unit/extract/fixtures.hpp"

namespace cm::extract {
namespace {

using test::fixture_path;

Extraction extracted(const std::string& path, DocumentKind kind, const ExtractLimits& limits = {}) {
  auto r = extract_text(path, document_type(kind), limits);
  if (!r) {
    ADD_FAILURE() << path << ": " << r.error().detail();
    return {};
  }
  return std::move(r).value();
}

// The text of an extraction that must succeed.
std::string text_of(const std::string& path, DocumentKind kind, const ExtractLimits& limits = {}) {
  const Extraction e = extracted(path, kind, limits);
  EXPECT_EQ(e.status, ExtractionStatus::ok) << e.reason;
  return e.text;
}

// The reason of an extraction that must fail.
std::string failure_of(const std::string& path, DocumentKind kind,
                       const ExtractLimits& limits = {}) {
  const Extraction e = extracted(path, kind, limits);
  EXPECT_EQ(e.status, ExtractionStatus::failed) << "text: " << e.text.substr(0, 200);
  EXPECT_FALSE(e.reason.empty());
  EXPECT_TRUE(e.text.empty());
  return e.reason;
}

// ---- PDF

TEST(ExtractPdf, TwoPagesInReadingOrderSeparatedByFormFeed) {
  const Extraction e = extracted(fixture_path("two_pages.pdf"), DocumentKind::pdf);
  ASSERT_EQ(e.status, ExtractionStatus::ok) << e.reason;
  EXPECT_EQ(e.text,
            "MASTER SERVICES AGREEMENT\n"
            "This Agreement is made between Acme GmbH and Beta Ltd.\n"
            "\fSecond page: signatures of both parties.\n");
  EXPECT_EQ(e.pages, 2);
  EXPECT_EQ(e.chars, e.text.size());  // ASCII
  EXPECT_FALSE(e.truncated);
}

TEST(ExtractPdf, EncryptedPdfFailsAsEncrypted) {
  EXPECT_EQ(failure_of(fixture_path("encrypted.pdf"), DocumentKind::pdf), "encrypted");
}

TEST(ExtractPdf, OwnerPasswordOnlyPdfIsExtracted) {
  EXPECT_NE(text_of(fixture_path("owner_password_only.pdf"), DocumentKind::pdf)
                .find("signatures of both parties"),
            std::string::npos);
}

TEST(ExtractPdf, GarbageAndTruncatedPdfsFailCleanly) {
  EXPECT_EQ(failure_of(test::write_file("garbage.pdf", "%PDF-1.7\n\x01\x02garbage{{{(((\n"),
                       DocumentKind::pdf),
            "not a readable PDF");
  // Cut in the middle of the first content stream: poppler may recover some text or none, but
  // the call returns.
  const std::string whole = test::fixture("two_pages.pdf");
  const auto cut = test::write_file("cut.pdf", whole.substr(0, whole.size() / 2));
  auto r = extract_text(cut, document_type(DocumentKind::pdf));
  ASSERT_TRUE(r.ok());
  if (r->status == ExtractionStatus::failed) {
    EXPECT_FALSE(r->reason.empty());
  }
}

TEST(ExtractPdf, PageAndCharacterLimitsTruncate) {
  std::vector<std::vector<std::string>> pages;
  for (int i = 1; i <= 5; ++i) pages.push_back({"Page " + std::to_string(i) + " text."});
  const auto path = test::write_file("five.pdf", test::make_text_pdf(pages));
  ExtractLimits limits;
  limits.max_pages = 2;
  const Extraction two = extracted(path, DocumentKind::pdf, limits);
  EXPECT_EQ(two.text, "Page 1 text.\n\fPage 2 text.\n");
  EXPECT_EQ(two.pages, 5);
  EXPECT_TRUE(two.truncated);

  limits = {};
  limits.max_output_chars = 8;
  const Extraction cut = extracted(path, DocumentKind::pdf, limits);
  EXPECT_EQ(cut.text, "Page 1 t");
  EXPECT_EQ(cut.chars, 8u);
  EXPECT_TRUE(cut.truncated);
}

// ---- DOCX

TEST(ExtractDocx, ParagraphsTabsBreaksAndTables) {
  const std::string body =
      R"(<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>)"
      R"(<w:r><w:t>1.</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">Term </w:t></w:r>)"
      R"(<w:r><w:t>&amp; Termination</w:t></w:r></w:p>)"
      R"(<w:p><w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t></w:r></w:p>)"
      R"(<w:p><w:r><w:t>Fee</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>)"
      R"(<w:del><w:r><w:delText>old</w:delText></w:r></w:del><w:ins><w:r><w:t>new</w:t></w:r></w:ins></w:p>)"
      R"(<w:p><w:r><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText></w:r></w:p>)"
      R"(<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc>)"
      R"(<w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>)"
      R"(<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>box</w:t></mc:Choice>)"
      R"(<mc:Fallback><w:t>box</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>)"
      R"(<w:p><w:r><w:t>Gr)"
      "\xc3\xbc\xc3\x9f"
      R"(e</w:t><w:noBreakHyphen/><w:t>x</w:t></w:r></w:p><w:sectPr><w:pgSz/></w:sectPr>)";
  const auto path =
      test::write_docx("rich.docx", test::word_document(body),
                       {{"docProps/app.xml", R"(<Properties><Pages>3</Pages></Properties>)"}});
  const Extraction e = extracted(path, DocumentKind::docx);
  ASSERT_EQ(e.status, ExtractionStatus::ok) << e.reason;
  EXPECT_EQ(e.text,
            "1.\tTerm & Termination\n"
            "Line one\nline two\n"
            "Fee new\n"
            "A1\nB1\n"
            "box\n"
            "Gr\xc3\xbc\xc3\x9f"
            "e-x\n");
  EXPECT_EQ(e.pages, 3);
  EXPECT_EQ(e.chars, e.text.size() - 2);  // ü and ß are two bytes each
}

TEST(ExtractDocx, FootnotesFollowTheBody) {
  const auto path = test::write_docx(
      "notes.docx",
      test::word_document(
          R"(<w:p><w:r><w:t>Body</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>)"),
      {{"word/footnotes.xml",
        R"(<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
        R"(<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>)"
        R"(<w:footnote w:id="1"><w:p><w:r><w:t>A note.</w:t></w:r></w:p></w:footnote></w:footnotes>)"}});
  EXPECT_EQ(text_of(path, DocumentKind::docx), "Body\nA note.\n");
}

TEST(ExtractDocx, Utf16DocumentXml) {
  const std::string xml = test::word_document(
      "<w:p><w:r><w:t>Unicode \xe2\x82\xac</w:t></w:r></w:p><w:p><w:r><w:t>two</w:t></w:r></w:p>");
  std::string utf16 = "\xFF\xFE";
  for (std::size_t i = 0; i < xml.size();) {
    // ASCII and the euro sign (E2 82 AC = U+20AC) are all this document holds.
    if (static_cast<unsigned char>(xml[i]) == 0xE2) {
      utf16 += std::string("\xAC\x20", 2);
      i += 3;
    } else {
      utf16 += xml[i++];
      utf16 += '\0';
    }
  }
  const auto path = test::write_docx("utf16.docx", utf16);
  EXPECT_EQ(text_of(path, DocumentKind::docx), "Unicode \xe2\x82\xac\ntwo\n");
}

TEST(ExtractDocx, PlainZipAndGarbageFailCleanly) {
  EXPECT_NE(failure_of(test::write_zip("nodoc.docx", {{"a.txt", "x"}}), DocumentKind::docx)
                .find("no word/document.xml"),
            std::string::npos);
  EXPECT_NE(
      failure_of(test::write_file("garbage.docx", "PK\x03\x04 not really"), DocumentKind::docx)
          .find("not a readable zip"),
      std::string::npos);
  EXPECT_NE(
      failure_of(test::write_docx("badxml.docx", "<w:document><w:body><w:p>"), DocumentKind::docx)
          .find("not well-formed XML"),
      std::string::npos);
}

// 1 GiB of zeros compressed to about 1 MiB, declared honestly in the headers.
TEST(ExtractDocx, ZipBombFailsBeforeInflating) {
  const auto bomb = test::deflate_pieces({{std::string(1 << 20, '\0'), 1024}});
  ASSERT_EQ(bomb.size, 1ull << 30);
  ASSERT_LT(bomb.data.size(), 2u << 20);
  const auto path = test::write_raw_zip(
      "bomb.docx",
      {{"[Content_Types].xml", test::deflated(test::kContentTypes), test::kContentTypes.size()},
       {"word/document.xml", bomb, bomb.size}});
  const std::string reason = failure_of(path, DocumentKind::docx);
  EXPECT_NE(reason.find("zip bomb"), std::string::npos) << reason;
  EXPECT_NE(reason.find("word/document.xml"), std::string::npos) << reason;
}

// The same bomb with headers that claim 1 KB: the count of inflated bytes stops it.
TEST(ExtractDocx, LyingZipBombFailsWhileInflating) {
  const auto bomb = test::deflate_pieces({{std::string(1 << 20, '\0'), 1024}});
  const auto path = test::write_raw_zip(
      "liar.docx",
      {{"[Content_Types].xml", test::deflated(test::kContentTypes), test::kContentTypes.size()},
       {"word/document.xml", bomb, 1000}});
  ExtractLimits limits;
  limits.max_entry_bytes = 8 << 20;
  const std::string reason = failure_of(path, DocumentKind::docx, limits);
  // Either our count or libzip's size check stops it; never 1 GiB in memory.
  EXPECT_TRUE(reason.find("zip bomb") != std::string::npos ||
              reason.find("corrupt") != std::string::npos)
      << reason;
}

TEST(ExtractDocx, TotalUncompressedLimitCoversAllParts) {
  const std::string paragraph = "<w:p><w:r><w:t>" + std::string(1000, 'x') + "</w:t></w:r></w:p>";
  std::string body;
  for (int i = 0; i < 600; ++i) body += paragraph;  // ~600 KB each
  const auto path = test::write_docx(
      "twoparts.docx", test::word_document(body),
      {{"word/footnotes.xml",
        "<w:footnotes xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:footnote w:id=\"1\">" +
            body + "</w:footnote></w:footnotes>"}});
  ExtractLimits limits;
  limits.max_entry_bytes = 1 << 20;
  limits.max_total_bytes = 1 << 20;
  EXPECT_NE(failure_of(path, DocumentKind::docx, limits).find("zip bomb"), std::string::npos);
  limits.max_total_bytes = 2 << 20;
  EXPECT_EQ(extracted(path, DocumentKind::docx, limits).status, ExtractionStatus::ok);
}

TEST(ExtractDocx, DeeplyNestedXmlFailsBeforeParsing) {
  std::string body;
  for (int i = 0; i < 100'000; ++i) body += "<w:sdt>";
  for (int i = 0; i < 100'000; ++i) body += "</w:sdt>";
  const auto path = test::write_docx("deep.docx", test::word_document(body));
  const std::string reason = failure_of(path, DocumentKind::docx);
  EXPECT_NE(reason.find("deeper than 256"), std::string::npos) << reason;
}

TEST(ExtractDocx, NestingWithinTheLimitIsFine) {
  std::string body;
  for (int i = 0; i < 100; ++i) body += "<w:sdt><w:sdtContent>";
  body += "<w:p><w:r><w:t>deep</w:t></w:r></w:p>";
  for (int i = 0; i < 100; ++i) body += "</w:sdtContent></w:sdt>";
  EXPECT_EQ(text_of(test::write_docx("nested.docx", test::word_document(body)), DocumentKind::docx),
            "deep\n");
}

// ---- ODT

TEST(ExtractOdt, ParagraphsSpacesTabsNotesAndTables) {
  const std::string body =
      R"(<text:h text:outline-level="1">Agreement</text:h>)"
      R"(<text:p>  Two<text:s text:c="2"/>spaces,   collapsed
 white space<text:tab/>tab<text:line-break/>break</text:p>)"
      R"(<text:p>Fee<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>)"
      R"(<text:note-body><text:p>Net of VAT.</text:p></text:note-body></text:note> due.</text:p>)"
      R"(<text:tracked-changes><text:changed-region><text:deletion><text:p>gone</text:p></text:deletion></text:changed-region></text:tracked-changes>)"
      R"(<table:table><table:table-row><table:table-cell><text:p>A1</text:p></table:table-cell>)"
      R"(<table:table-cell><text:p>B1</text:p></table:table-cell></table:table-row></table:table>)"
      R"(<text:list><text:list-item><text:p>Item <text:span>one</text:span></text:p></text:list-item></text:list>)";
  const auto path = test::write_odt(
      "rich.odt", test::odt_content(body),
      {{"meta.xml",
        R"(<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
        R"(xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>)"
        R"(<meta:document-statistic meta:page-count="2"/></office:meta></office:document-meta>)"}});
  const Extraction e = extracted(path, DocumentKind::odt);
  ASSERT_EQ(e.status, ExtractionStatus::ok) << e.reason;
  EXPECT_EQ(e.text,
            "Agreement\n"
            "Two  spaces, collapsed white space\ttab\nbreak\n"
            "Fee due.\n"
            "A1\nB1\n"
            "Item one\n"
            "Net of VAT.\n");
  EXPECT_EQ(e.pages, 2);
}

TEST(ExtractOdt, EncryptedPackageFailsAsEncrypted) {
  const auto path = test::write_zip(
      "secret.odt",
      {{"mimetype", "application/vnd.oasis.opendocument.text", true},
       {"content.xml", std::string("\x8f\x13 ciphertext", 13)},
       {"META-INF/manifest.xml",
        R"(<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">)"
        R"(<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>)"
        R"(</manifest:file-entry></manifest:manifest>)"}});
  EXPECT_EQ(failure_of(path, DocumentKind::odt), "encrypted");
}

TEST(ExtractOdt, DeeplyNestedContentFails) {
  std::string body;
  for (int i = 0; i < 100'000; ++i) body += "<text:span>";
  for (int i = 0; i < 100'000; ++i) body += "</text:span>";
  const auto path = test::write_odt("deep.odt", test::odt_content("<text:p>" + body + "</text:p>"));
  EXPECT_NE(failure_of(path, DocumentKind::odt).find("deeper than"), std::string::npos);
}

// ---- RTF

TEST(ExtractRtf, GroupsEscapesUnicodeAndSkippedDestinations) {
  const Extraction e = extracted(fixture_path("sample.rtf"), DocumentKind::rtf);
  ASSERT_EQ(e.status, ExtractionStatus::ok) << e.reason;
  EXPECT_EQ(e.text,
            "Vertragsstrafe f\xc3\xbcr Versp\xc3\xa4tung \xe2\x80\x93 5\xc2\xa0%\n"
            "Unicode: \xe2\x82\xac and \xe6\x97\xa5\xe6\x9c\xac done\n"
            "Visible\tafter tab\nnext line\n"
            "Russian: \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\n"
            "Emoji: \xf0\x9f\x98\x80\n"
            "Braces: { } and backslash \\\n");
  EXPECT_EQ(e.text.find("Secret title"), std::string::npos);
  EXPECT_EQ(e.text.find("Helvetica"), std::string::npos);
  EXPECT_EQ(e.text.find("hidden"), std::string::npos);
}

TEST(ExtractRtf, BinaryDataIsSkippedAndNestingIsBounded) {
  const std::string with_binary = "{\\rtf1 before {\\*\\blob\\bin6 {}{}\\x} after}";
  EXPECT_EQ(text_of(test::write_file("bin.rtf", with_binary), DocumentKind::rtf), "before  after");
  std::string deep = "{\\rtf1 ";
  for (int i = 0; i < 100'000; ++i) deep += "{";
  const std::string reason = failure_of(test::write_file("deep.rtf", deep), DocumentKind::rtf);
  EXPECT_NE(reason.find("deeper than 256"), std::string::npos);
  EXPECT_EQ(failure_of(test::write_file("fake.rtf", "not rtf at all"), DocumentKind::rtf),
            "not an RTF document");
}

// ---- Plain text

TEST(ExtractText, Utf8WithCrLfBecomesLf) {
  const Extraction e = extracted(fixture_path("sample.txt"), DocumentKind::txt);
  EXPECT_EQ(e.text,
            "Pr\xc3\xa4"
            "ambel\nDie Parteien vereinbaren:\n\xe2\x80\xa2 Zahlung binnen 30 Tagen \xe2\x80\x94 "
            "netto.\n");
  EXPECT_EQ(e.chars, e.text.size() - 1 - 2 - 2);  // ä, bullet, em dash
  EXPECT_EQ(e.pages, 0);
}

TEST(ExtractText, InvalidUtf8IsReplacedAndControlsDropped) {
  const auto path =
      test::write_file("bad.md", std::string("\xEF\xBB\xBFok \xFF\xC3 end\0\x01\x1b!\n", 17));
  EXPECT_EQ(text_of(path, DocumentKind::md), "ok \xEF\xBF\xBD\xEF\xBF\xBD end!\n");
}

TEST(ExtractText, Utf16WithByteOrderMark) {
  const std::string utf16le("\xFF\xFEH\0i\0 \0\x3D\xD8\x00\xDE", 12);  // "Hi 😀"
  EXPECT_EQ(text_of(test::write_file("u16.txt", utf16le), DocumentKind::txt),
            "Hi \xf0\x9f\x98\x80");
}

TEST(ExtractText, CharacterLimitCutsAtACodePoint) {
  ExtractLimits limits;
  limits.max_output_chars = 3;
  const auto path = test::write_file("long.txt", "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f and more");
  const Extraction e = extracted(path, DocumentKind::txt, limits);
  EXPECT_EQ(e.text, "\xc3\xa4\xc3\xb6\xc3\xbc");
  EXPECT_EQ(e.chars, 3u);
  EXPECT_TRUE(e.truncated);
}

// ---- Dispatch

TEST(ExtractText, UnsupportedKindsAreNotFailures) {
  for (auto kind : {DocumentKind::doc, DocumentKind::png, DocumentKind::jpeg}) {
    auto r = extract_text("/nonexistent", document_type(kind));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, ExtractionStatus::unsupported);
    EXPECT_FALSE(r->reason.empty());
  }
}

TEST(ExtractText, MissingFileIsAnErrorNotAFailedExtraction) {
  auto r = extract_text("/nonexistent/contract.pdf", document_type(DocumentKind::pdf));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::not_found);
}

TEST(ExtractText, FileSizeLimit) {
  ExtractLimits limits;
  limits.max_file_bytes = 10;
  EXPECT_NE(failure_of(test::write_file("big.txt", std::string(11, 'x')), DocumentKind::txt, limits)
                .find("over the limit"),
            std::string::npos);
}

}  // namespace
}  // namespace cm::extract
