// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/document.hpp"

#include <gtest/gtest.h>

namespace cm {
namespace {

std::string name_of(std::string_view client) {
  auto r = display_filename(client);
  return r.ok() ? *r : "<error: " + r.error().fields().at(0).message + ">";
}

TEST(DocumentNames, KeepTheLastPathComponentWithoutControls) {
  EXPECT_EQ(name_of("contract.pdf"), "contract.pdf");
  EXPECT_EQ(name_of("../../etc/passwd"), "passwd");
  EXPECT_EQ(name_of("C:\\Users\\x\\Vertrag.docx"), "Vertrag.docx");
  EXPECT_EQ(name_of("a\r\nb\x01.pdf"), "ab.pdf");
  EXPECT_EQ(name_of("  spaced .pdf  "), "spaced .pdf");
  EXPECT_EQ(name_of("\xE5\xA5\x91\xE7\xB4\x84.pdf"), "\xE5\xA5\x91\xE7\xB4\x84.pdf");  // 契約
}

TEST(DocumentNames, RefuseWhatLeavesNothingOrIsNotUtf8) {
  EXPECT_EQ(name_of("/"), "<error: must contain at least one visible character>");
  EXPECT_EQ(name_of(".."), "<error: must contain at least one visible character>");
  EXPECT_EQ(name_of("\x01\x02"), "<error: must contain at least one visible character>");
  EXPECT_EQ(name_of("bad\xFF.pdf"), "<error: must be valid UTF-8>");
}

TEST(DocumentNames, AreCutAt255BytesOnACharacterBoundary) {
  std::string long_name;
  for (int i = 0; i < 200; ++i) long_name += "\xC3\xA9";  // é, 2 bytes each
  const auto name = name_of(long_name);
  EXPECT_LE(name.size(), kMaxFilenameBytes);
  EXPECT_EQ(name.size() % 2, 0u);
}

TEST(DocumentNames, SameLogicalNameIgnoresAsciiCase) {
  EXPECT_EQ(filename_key("Contract.PDF"), filename_key("contract.pdf"));
  EXPECT_NE(filename_key("contract-v2.pdf"), filename_key("contract.pdf"));
}

TEST(DocumentKinds, RoundTripAndRefuseUnknown) {
  for (const auto kind : {DocumentKind::main, DocumentKind::attachment, DocumentKind::signed_copy,
                          DocumentKind::exhibit})
    EXPECT_EQ(parse_document_kind(to_string(kind)), kind);
  EXPECT_FALSE(parse_document_kind("poster").has_value());
  EXPECT_FALSE(parse_extraction_state("running").has_value());
}

TEST(DocumentJson, VersionShowsExtractionAndContentUrl) {
  DocumentVersion v;
  v.document_id = "d1";
  v.version = 2;
  v.filename = "a.pdf";
  v.size = 10;
  v.sha256 = "ab";
  v.content_type = "application/pdf";
  v.extraction = ExtractionState::failed;
  v.extraction_error = "encrypted";
  v.key_id = "k";
  const auto j = to_json(v, "c1");
  EXPECT_EQ(j.at("contentUrl").as_string(), "/api/v1/contracts/c1/documents/d1/versions/2/content");
  EXPECT_EQ(j.at("extraction").at("status").as_string(), "failed");
  EXPECT_EQ(j.at("extraction").at("error").as_string(), "encrypted");
  EXPECT_TRUE(j.at("encrypted").as_bool());
}

}  // namespace
}  // namespace cm
