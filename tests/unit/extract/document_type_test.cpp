// SPDX-License-Identifier: AGPL-3.0-or-later
#include "extract/document_type.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "support/pdf_builder.hpp"
#include "unit/extract/fixtures.hpp"

namespace cm::extract {
namespace {

using test::fixture;
using test::read_file;

// The detected kind, or a failure naming the detail.
DocumentKind detected(std::string_view bytes, std::string_view name) {
  auto r = detect_type(bytes.substr(0, kDetectHeadBytes), name);
  if (!r) {
    ADD_FAILURE() << name << ": " << r.error().detail();
    return DocumentKind::txt;
  }
  return r->kind;
}

// The detail of a rejection, or a failure when the bytes were accepted.
std::string rejection(std::string_view bytes, std::string_view name) {
  auto r = detect_type(bytes.substr(0, kDetectHeadBytes), name);
  if (r) {
    ADD_FAILURE() << name << " was accepted as " << to_string(r->kind);
    return {};
  }
  EXPECT_EQ(r.error().kind(), ErrorKind::unsupported_media_type);
  return r.error().detail();
}

const std::string kPng =
    std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29);
const std::string kJpeg = std::string("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20);
const std::string kOle2 =
    std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0');

TEST(DetectType, AcceptedTypes) {
  EXPECT_EQ(detected(fixture("two_pages.pdf"), "contract.pdf"), DocumentKind::pdf);
  EXPECT_EQ(detected(kPng, "scan.png"), DocumentKind::png);
  EXPECT_EQ(detected(kJpeg, "scan.jpg"), DocumentKind::jpeg);
  EXPECT_EQ(detected(fixture("sample.rtf"), "letter.rtf"), DocumentKind::rtf);
  EXPECT_EQ(detected(fixture("sample.txt"), "notes.txt"), DocumentKind::txt);
  EXPECT_EQ(detected("# Heading\n\nSome *text*.\n", "README.md"), DocumentKind::md);
  EXPECT_EQ(detected("# Heading\n\nSome *text*.\n", "notes.MARKDOWN"), DocumentKind::md);
  EXPECT_EQ(detected("# Heading\n\nSome *text*.\n", "notes"), DocumentKind::txt);
  const auto docx = read_file(test::write_docx("d.docx", test::word_document("<w:p/>")));
  EXPECT_EQ(detected(docx, "contract.docx"), DocumentKind::docx);
  const auto odt = read_file(test::write_odt("o.odt", test::odt_content("<text:p/>")));
  EXPECT_EQ(detected(odt, "contract.odt"), DocumentKind::odt);
  EXPECT_EQ(detected(kOle2, "old.doc"), DocumentKind::doc);
}

TEST(DetectType, CanonicalMimeAndExtension) {
  const auto docx = read_file(test::write_docx("c.docx", test::word_document("<w:p/>")));
  auto type = detect_type(docx, "whatever.bin");
  ASSERT_TRUE(type.ok()) << type.error().detail();
  EXPECT_EQ(type->mime, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(type->extension, "docx");
  EXPECT_EQ(document_type(DocumentKind::jpeg).extension, "jpg");
  EXPECT_EQ(document_type(DocumentKind::rtf).mime, "application/rtf");
}

TEST(DetectType, ContentDecidesNotTheName) {
  EXPECT_EQ(detected(fixture("two_pages.pdf"), "photo.png"), DocumentKind::pdf);
  EXPECT_EQ(detected(kPng, "contract.pdf"), DocumentKind::png);
}

TEST(DetectType, DocxWithoutPackageRelsIsFoundInsideTheZip) {
  // libmagic needs Word's usual entry order to say DOCX; this one is only a zip to it.
  const auto bytes = read_file(
      test::write_zip("minimal.docx", {{"word/document.xml", test::word_document("<w:p/>")},
                                       {"[Content_Types].xml", std::string(test::kContentTypes)}}));
  EXPECT_EQ(detected(bytes, "x.docx"), DocumentKind::docx);
}

TEST(DetectType, DocxWhoseDocumentComesLateNeedsTheCentralDirectory) {
  std::mt19937 rng(1);
  std::string noise(std::size_t{200} * 1024, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  const auto path =
      test::write_zip("late.docx", {{"[Content_Types].xml", std::string(test::kContentTypes)},
                                    {"word/media/image1.png", noise, true},
                                    {"word/document.xml", test::word_document("<w:p/>")}});
  const auto bytes = read_file(path);
  EXPECT_NE(rejection(bytes, "late.docx").find("application/zip"), std::string::npos);
  auto type = detect_file_type(path, "late.docx");
  ASSERT_TRUE(type.ok()) << type.error().detail();
  EXPECT_EQ(type->kind, DocumentKind::docx);
}

TEST(DetectType, RejectedTypesNameWhatWasFound) {
  EXPECT_NE(rejection(read_file("/proc/self/exe"), "contract.pdf").find("application/x-"),
            std::string::npos);
  const auto zip = read_file(test::write_zip("plain.zip", {{"a.txt", "hello"}}));
  EXPECT_NE(rejection(zip, "contract.docx").find("application/zip"), std::string::npos);
  const std::string html = "<!DOCTYPE html><html><body><p>Hi</p></body></html>\n";
  EXPECT_NE(rejection(html, "page.html").find("text/html"), std::string::npos);
  EXPECT_NE(rejection(html, "page.txt").find("text/html"), std::string::npos);
  EXPECT_NE(rejection(kOle2, "sheet.xls").find("application/"), std::string::npos);
  EXPECT_NE(rejection("", "empty.txt").find("empty"), std::string::npos);
  const std::string gzip("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
  EXPECT_NE(rejection(gzip, "x.txt").find("gzip"), std::string::npos);
}

TEST(DetectType, OtherOpenDocumentKindsAreRejected) {
  const auto ods = read_file(test::write_zip(
      "s.ods", {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", true},
                {"content.xml", "<x/>"}}));
  EXPECT_NE(rejection(ods, "s.odt").find("opendocument.spreadsheet"), std::string::npos);
}

TEST(DetectType, TextThatLooksLikeCodeIsTextWhenNamedSo) {
  const std::string text = "#include <stdio.h>\nint main(void) { return 0; }\n";
  EXPECT_EQ(detected(text, "snippet.md"), DocumentKind::md);
  EXPECT_FALSE(detect_type(text, "snippet.c").ok());
}

TEST(DetectType, SafeFromManyThreads) {
  const auto pdf = fixture("two_pages.pdf");
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::atomic<int> right{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto a = detect_type(pdf, "a.pdf");
        auto b = detect_type(kPng, "b.png");
        if (a && b && a->kind == DocumentKind::pdf && b->kind == DocumentKind::png) ++right;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(right.load(), 8 * 50);
}

TEST(ClaimedContentType, MatchesAndAliases) {
  const auto pdf = document_type(DocumentKind::pdf);
  EXPECT_TRUE(check_claimed_content_type("application/pdf", pdf).ok());
  EXPECT_TRUE(check_claimed_content_type("Application/PDF; charset=binary", pdf).ok());
  EXPECT_TRUE(check_claimed_content_type("", pdf).ok());
  EXPECT_TRUE(check_claimed_content_type("application/octet-stream", pdf).ok());
  EXPECT_TRUE(check_claimed_content_type("image/jpg", document_type(DocumentKind::jpeg)).ok());
  EXPECT_TRUE(check_claimed_content_type("text/rtf", document_type(DocumentKind::rtf)).ok());
  EXPECT_TRUE(check_claimed_content_type("text/plain", document_type(DocumentKind::md)).ok());
}

TEST(ClaimedContentType, MismatchNamesBothTypes) {
  auto r = check_claimed_content_type("application/pdf", document_type(DocumentKind::png));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::unsupported_media_type);
  EXPECT_NE(r.error().detail().find("application/pdf"), std::string::npos);
  EXPECT_NE(r.error().detail().find("image/png"), std::string::npos);
  EXPECT_FALSE(check_claimed_content_type("text/markdown", document_type(DocumentKind::txt)).ok());
}

TEST(DocumentKindNames, RoundTrip) {
  for (auto kind : {DocumentKind::pdf, DocumentKind::docx, DocumentKind::doc, DocumentKind::odt,
                    DocumentKind::rtf, DocumentKind::txt, DocumentKind::md, DocumentKind::png,
                    DocumentKind::jpeg}) {
    EXPECT_EQ(parse_document_kind(to_string(kind)), kind);
  }
  EXPECT_FALSE(parse_document_kind("exe").has_value());
}

}  // namespace
}  // namespace cm::extract
