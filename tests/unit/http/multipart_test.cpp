// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/multipart.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace cm::http {
namespace {

class BodyFile {
 public:
  explicit BodyFile(const std::string& content) {
    char pattern[] = "/tmp/cm-multipart-test-XXXXXX";
    const int fd = ::mkstemp(pattern);
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~BodyFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  std::string slice(const MultipartPart& p) const {
    std::ifstream in(path_, std::ios::binary);
    std::string s(p.length, '\0');
    in.seekg(static_cast<std::streamoff>(p.offset));
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    return s;
  }

 private:
  std::string path_;
};

constexpr const char* kType = "multipart/form-data; boundary=----XyZ";

TEST(MultipartTest, LocatesFileAndFieldParts) {
  // The length from the literal itself (found by AddressSanitizer: a hand-counted 31 read past
  // its 28 bytes).
  static constexpr char kBinary[] = "%PDF\r\n--not-the-boundary\r\n\0\xff";
  const std::string binary(kBinary, sizeof kBinary - 1);
  const BodyFile body(
      "preamble is ignored\r\n"
      "------XyZ\r\n"
      "Content-Disposition: form-data; name=\"kind\"\r\n\r\n"
      "signed_copy\r\n"
      "------XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"Vertrag \xC3\xBC.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n" +
      binary + "\r\n------XyZ--\r\n");
  const auto parts = parse_multipart_file(body.path(), kType);
  ASSERT_TRUE(parts.ok()) << parts.error().detail();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "kind");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ(*read_part_text(body.path(), (*parts)[0], 64), "signed_copy");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename.value_or(""), "Vertrag \xC3\xBC.pdf");
  EXPECT_EQ((*parts)[1].content_type, "application/pdf");
  EXPECT_EQ(body.slice((*parts)[1]), binary);
}

TEST(MultipartTest, EmptyPartAndBodyStartingWithTheDelimiter) {
  const BodyFile body(
      "------XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.txt\"\r\n\r\n"
      "\r\n------XyZ--");
  const auto parts = parse_multipart_file(body.path(), "multipart/form-data; boundary=\"----XyZ\"");
  ASSERT_TRUE(parts.ok()) << parts.error().detail();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].length, 0u);
}

TEST(MultipartTest, RefusesMalformedBodies) {
  const BodyFile unterminated(
      "------XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc");
  EXPECT_FALSE(parse_multipart_file(unterminated.path(), kType).ok());
  const BodyFile no_delimiter("just bytes");
  EXPECT_FALSE(parse_multipart_file(no_delimiter.path(), kType).ok());
  EXPECT_FALSE(parse_multipart_file(no_delimiter.path(), "multipart/form-data").ok());
  std::string many;
  for (int i = 0; i < 20; ++i)
    many += "------XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  const BodyFile too_many(many + "------XyZ--");
  const auto r = parse_multipart_file(too_many.path(), kType);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::bad_request);
  EXPECT_NE(r.error().detail().find("more than 16 parts"), std::string::npos);
}

TEST(MultipartTest, FieldTextIsBounded) {
  const BodyFile body("------XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" +
                      std::string(100, 'k') + "\r\n------XyZ--");
  const auto parts = parse_multipart_file(body.path(), kType);
  ASSERT_TRUE(parts.ok());
  EXPECT_FALSE(read_part_text(body.path(), (*parts)[0], 32).ok());
}

TEST(ContentDispositionTest, ParsesFilenameAndPrefersTheExtendedForm) {
  EXPECT_EQ(disposition_filename("attachment; filename=plain.pdf").value_or(""), "plain.pdf");
  EXPECT_EQ(disposition_filename("attachment; filename=\"a \\\"q\\\"; b.pdf\"").value_or(""),
            "a \"q\"; b.pdf");
  EXPECT_EQ(disposition_filename(
                "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E2%82%AC%20rates.pdf")
                .value_or(""),
            "\xE2\x82\xAC rates.pdf");
  EXPECT_FALSE(disposition_filename("attachment").has_value());
}

TEST(MultipartTest, FileNamesAreReadAsBrowsersWriteThem) {
  // Browsers keep backslashes (Windows paths) and percent-encode quotes in part headers.
  const BodyFile body(
      "------XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"C:\\Users\\x\\a %22b%22.txt\"\r\n\r\nabc\r\n------XyZ--");
  const auto parts = parse_multipart_file(body.path(), kType);
  ASSERT_TRUE(parts.ok()) << parts.error().detail();
  EXPECT_EQ((*parts)[0].filename.value_or(""), "C:\\Users\\x\\a \"b\".txt");
}

TEST(ContentDispositionTest, FormatsAsciiFallbackAndUtf8Name) {
  EXPECT_EQ(format_content_disposition("attachment", "\xE2\x82\xAC \"q\".pdf"),
            "attachment; filename=\"___ _q_.pdf\"; filename*=UTF-8''%E2%82%AC%20%22q%22.pdf");
}

}  // namespace
}  // namespace cm::http
