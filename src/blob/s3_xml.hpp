// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The few S3 XML documents the client reads and writes, parsed with pugixml (no DTDs, no
// external entities). Unknown elements are ignored.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.hpp"

namespace cm::blob::s3xml {

struct ErrorInfo {
  std::string code;     // "NoSuchKey", "AccessDenied", ...
  std::string message;  // S3's own text
};
// The <Error> document S3 sends with failures (and sometimes with a 200 to
// CompleteMultipartUpload); nullopt when `xml` is not one.
std::optional<ErrorInfo> parse_error(std::string_view xml);

struct ListPage {
  std::vector<BlobInfo> objects;
  bool truncated = false;
  std::string next_continuation_token;
};
// ListObjectsV2's <ListBucketResult>; nullopt when malformed.
std::optional<ListPage> parse_list_objects_v2(std::string_view xml);

// CreateMultipartUpload's <UploadId>; nullopt when absent.
std::optional<std::string> parse_upload_id(std::string_view xml);

// The CompleteMultipartUpload body for parts 1..n with these ETags (as S3 returned them).
std::string complete_multipart_upload(const std::vector<std::string>& etags);

// "2009-10-12T17:50:30.000Z" (UTC) to an instant.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace cm::blob::s3xml
