// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Blobs in an S3 bucket (AWS or an S3-compatible service) over libcurl with SigV4.
//
// put: one PUT when the source fits in one part, else a multipart upload that holds one part in
// memory at a time (AbortMultipartUpload on any failure). open: ranged GETs of read_chunk_size as
// the reader advances, each chunk pinned to the first chunk's ETag (If-Match) so a concurrent
// overwrite is an error rather than a mix of two objects. stat = HEAD, remove = DELETE,
// list = ListObjectsV2 with continuation. Requests are retried with exponential backoff and full
// jitter on 5xx, 429/SlowDown, RequestTimeout and connection failures or stalls.
//
// Errors: a missing object is not_found; refused credentials (403), a missing bucket, a wrong
// region and an unreachable endpoint are `unavailable` with a detail that names the bucket and
// endpoint and says which setting to check. Secrets never appear in messages.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "blob/blob_store.hpp"
#include "blob/sigv4.hpp"

namespace cm::blob {

inline constexpr std::size_t kMiB = std::size_t{1024} * 1024;
// S3 refuses parts below 5 MiB (except the last) and above 5 GiB.
inline constexpr std::size_t kMinPartSize = 5 * kMiB;
inline constexpr std::size_t kMaxPartSize = 5120 * kMiB;

struct S3Options {
  std::string bucket;
  std::string region = "us-east-1";
  // scheme://host[:port]; empty means https://s3.<region>.amazonaws.com.
  std::string endpoint;
  // Path-style URLs (endpoint/bucket/key) instead of virtual-hosted (bucket.endpoint/key); needed
  // by most S3-compatible servers and for bucket names with dots over TLS.
  bool force_path_style = false;
  sigv4::Credentials credentials;

  std::size_t part_size = 8 * kMiB;        // also the largest single PUT
  std::size_t read_chunk_size = 4 * kMiB;  // bytes per ranged GET, the reader's buffer
  int list_page_size = 1000;               // max-keys of ListObjectsV2 (S3 caps it at 1000)

  int max_attempts = 5;  // per request, including the first
  std::chrono::milliseconds base_backoff{100};
  std::chrono::milliseconds max_backoff{5'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::seconds low_speed_time{30};  // abort a transfer stalled below 1 KiB/s this long
};

// The endpoint actually used for these options (applies the regional default).
std::string effective_endpoint(const S3Options& options);

class S3BlobStore final : public BlobStore {
 public:
  // Does no I/O. Throws std::invalid_argument for options make_blob_store() would have refused
  // (empty bucket, malformed endpoint, part size outside 5 MiB-5 GiB).
  explicit S3BlobStore(S3Options options);
  ~S3BlobStore() override;
  S3BlobStore(const S3BlobStore&) = delete;
  S3BlobStore& operator=(const S3BlobStore&) = delete;

  Result<std::uint64_t> put(const std::string& key, ByteSource& source) override;
  Result<std::unique_ptr<ByteSource>> open(const std::string& key, ByteRange range = {}) override;
  Result<std::optional<BlobInfo>> stat(const std::string& key) override;
  Result<bool> remove(const std::string& key) override;
  Result<bool> list(std::string_view prefix,
                    const std::function<void(const BlobInfo&)>& each) override;
  std::string_view backend() const noexcept override { return "s3"; }
  // HEAD on the bucket: it exists and the credentials may use it.
  Result<bool> check() override;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace cm::blob
