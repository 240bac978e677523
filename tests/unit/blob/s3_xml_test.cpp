// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/s3_xml.hpp"

#include <gtest/gtest.h>

namespace cm::blob::s3xml {
namespace {

TEST(S3Xml, ErrorDocument) {
  const auto error = parse_error(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>
<Key>a/b</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>)");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "NoSuchKey");
  EXPECT_EQ(error->message, "The specified key does not exist.");
  EXPECT_FALSE(parse_error("<ListBucketResult/>"));
  EXPECT_FALSE(parse_error(""));
  EXPECT_FALSE(parse_error("not xml <"));
}

TEST(S3Xml, ListObjectsV2Page) {
  const auto page = parse_list_objects_v2(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>org/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>org/a</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>"fba9dede5f27731c9771645a39863328"</ETag><Size>434234</Size>
    <StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>org/b&amp;c</Key><LastModified>2009-10-12T17:50:31Z</LastModified>
    <Size>0</Size></Contents>
</ListBucketResult>)");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "org/a");
  EXPECT_EQ(page->objects[0].size, 434234u);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(page->objects[0].modified), 1255369830);
  EXPECT_EQ(page->objects[1].key, "org/b&c");
  EXPECT_EQ(page->objects[1].size, 0u);

  const auto last = parse_list_objects_v2(
      "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(last);
  EXPECT_FALSE(last->truncated);
  EXPECT_TRUE(last->objects.empty());

  EXPECT_FALSE(parse_list_objects_v2("<Error><Code>AccessDenied</Code></Error>"));
  EXPECT_FALSE(parse_list_objects_v2(
      "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>"));
}

TEST(S3Xml, EntitiesAreNotExpanded) {
  // A DOCTYPE with entities must not reach into files or blow up memory.
  const auto page = parse_list_objects_v2(
      R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ListBucketResult><Contents><Key>&x;</Key><Size>1</Size></Contents></ListBucketResult>)");
  if (page) {
    for (const auto& object : page->objects) EXPECT_EQ(object.key.find("root:"), std::string::npos);
  }
}

TEST(S3Xml, UploadIdAndCompletionBody) {
  EXPECT_EQ(parse_upload_id(
                R"(<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>
<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>)"),
            "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
  EXPECT_FALSE(parse_upload_id("<InitiateMultipartUploadResult/>"));
  EXPECT_EQ(complete_multipart_upload({"\"a1\"", "\"b&2\""}),
            R"(<?xml version="1.0" encoding="UTF-8"?>)"
            R"(<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
            "<Part><PartNumber>1</PartNumber><ETag>&quot;a1&quot;</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>&quot;b&amp;2&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

TEST(S3Xml, Iso8601) {
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*parse_iso8601("1970-01-01T00:00:00Z")), 0);
  const auto with_millis = parse_iso8601("2009-10-12T17:50:30.250Z");
  ASSERT_TRUE(with_millis);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(with_millis->time_since_epoch())
                .count(),
            1255369830250);
  EXPECT_FALSE(parse_iso8601("2009-10-12 17:50:30Z"));
  EXPECT_FALSE(parse_iso8601("yesterday"));
}

// Found by tests/fuzz/s3_xml_fuzz: years outside system_clock's range (1678-2261) overflowed
// (undefined behaviour) in from_time_t; a listing with such a date keeps the object, undated.
TEST(S3Xml, Iso8601OutsideTheClockRangeIsRefused) {
  EXPECT_TRUE(parse_iso8601("2261-12-31T23:59:59.999Z"));
  EXPECT_FALSE(parse_iso8601("2262-04-12T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(parse_iso8601("-999-01-01T00:00:00Z"));
  const auto page = parse_list_objects_v2(
      "<ListBucketResult><Contents><Key>a</Key><Size>1</Size>"
      "<LastModified>5000-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].modified, std::chrono::system_clock::time_point{});
}

}  // namespace
}  // namespace cm::blob::s3xml
