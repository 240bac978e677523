// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/s3_blob_store.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "blob/blob_key.hpp"
#include "blob/http_transport.hpp"
#include "blob/s3_xml.hpp"
#include "core/crypto.hpp"

namespace cm::blob {
namespace {

constexpr std::size_t kSmallResponseBytes = std::size_t{64} * 1024;
constexpr std::size_t kListResponseBytes = 16 * kMiB;
constexpr std::size_t kMaxParts = 10'000;

struct Endpoint {
  std::string scheme;  // http or https
  std::string host;    // host[:port], as sent in the Host header
};

Endpoint parse_endpoint(const std::string& text) {
  Endpoint out;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    out.scheme = "https";
  } else if (rest.starts_with("http://")) {
    out.scheme = "http";
  } else {
    throw std::invalid_argument("S3 endpoint must start with http:// or https://");
  }
  rest.remove_prefix(out.scheme.size() + 3);
  while (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) {
    throw std::invalid_argument("S3 endpoint must be scheme://host[:port] without a path");
  }
  out.host = std::string(rest);
  return out;
}

template <class T>
std::optional<T> to_number(std::string_view text) {
  T value{};
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "bytes 0-9/1234" -> 1234
std::optional<std::uint64_t> total_from_content_range(std::string_view value) {
  const auto slash = value.rfind('/');
  if (!value.starts_with("bytes ") || slash == std::string_view::npos) return std::nullopt;
  return to_number<std::uint64_t>(value.substr(slash + 1));
}

std::string quoted_key(const std::string& key) {
  return "\"" + printable_key(key) + "\"";
}

// Reads until `capacity` bytes are in `out` or the source ends; returns the count.
std::size_t fill(ByteSource& source, char* out, std::size_t capacity) {
  std::size_t filled = 0;
  while (filled < capacity) {
    const std::size_t n = source.read(out + filled, capacity - filled);
    if (n == 0) break;
    filled += n;
  }
  return filled;
}

}  // namespace

std::string effective_endpoint(const S3Options& options) {
  if (!options.endpoint.empty()) return options.endpoint;
  return "https://s3." + options.region + ".amazonaws.com";
}

class S3BlobStore::Impl {
 public:
  struct Call {
    std::string method;
    std::string key;  // empty: the bucket itself
    sigv4::Pairs query;
    sigv4::Pairs headers;
    std::string_view body;
    std::string payload_sha256 = std::string(sigv4::kEmptyPayloadSha256);
    std::size_t max_body = kSmallResponseBytes;
  };

  explicit Impl(S3Options options)
      : options_(std::move(options)),
        endpoint_text_(effective_endpoint(options_)),
        endpoint_(parse_endpoint(endpoint_text_)),
        transport_(HttpTimeouts{options_.connect_timeout, options_.low_speed_time, 1024}) {
    if (options_.bucket.empty()) throw std::invalid_argument("S3 bucket must be set");
    if (options_.part_size < kMinPartSize || options_.part_size > kMaxPartSize) {
      throw std::invalid_argument("S3 part size must be 5 MiB-5 GiB");
    }
    if (options_.read_chunk_size == 0) throw std::invalid_argument("S3 read chunk size is 0");
    if (options_.max_attempts < 1) options_.max_attempts = 1;
    options_.list_page_size = std::clamp(options_.list_page_size, 1, 1000);
  }

  const S3Options& options() const noexcept { return options_; }

  // Signs and sends `call`, retrying transient failures with backoff. The last response is
  // returned either way; status 0 means no response (transport_error says why).
  HttpResponse execute(const Call& call) const {
    HttpResponse response;
    for (int attempt = 1;; ++attempt) {
      response = transport_.perform(build(call), call.max_body);
      if (attempt >= options_.max_attempts || !is_transient(response)) return response;
      std::this_thread::sleep_for(backoff(attempt));
    }
  }

  // The operator-facing error for a failed response to `what` ("GET of \"a/b\"").
  Error failure(const HttpResponse& r, const std::string& what, const std::string& key) const {
    const std::string bucket = "bucket \"" + options_.bucket + "\" at " + endpoint_text_;
    if (r.status == 0) {
      return {ErrorKind::unavailable, "S3 " + what + " in " + bucket +
                                          " failed: " + r.transport_error +
                                          " (check S3_ENDPOINT and the network)"};
    }
    const auto info = s3xml::parse_error(r.body);
    const std::string code = info ? info->code : std::string();
    const std::string said = info ? " (" + info->code + ": " + info->message + ")" : std::string();
    if (r.status == 404 && code != "NoSuchBucket" && !key.empty()) {
      return not_found("blob " + quoted_key(key));
    }
    if (r.status == 404) {
      return {ErrorKind::unavailable, "S3 " + bucket +
                                          " does not exist (check S3_BUCKET, S3_ENDPOINT and "
                                          "S3_REGION)"};
    }
    if (r.status == 403) {
      return {ErrorKind::unavailable,
              "S3 denied " + what + " in " + bucket + said +
                  ": check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and "
                  "that these credentials may use the bucket"};
    }
    if (r.status == 301 || r.status == 307 || code == "AuthorizationHeaderMalformed" ||
        code == "PermanentRedirect") {
      const auto region = r.header("x-amz-bucket-region");
      return {ErrorKind::unavailable,
              "S3 " + bucket + " is not in region " + options_.region +
                  (region ? " but in " + std::string(*region) : std::string()) + said +
                  ": set S3_REGION (and S3_ENDPOINT) to the bucket's region"};
    }
    return {ErrorKind::unavailable, "S3 " + what + " in " + bucket + " failed with HTTP " +
                                        std::to_string(r.status) + said};
  }

 private:
  static bool is_transient(const HttpResponse& r) {
    if (r.status == 0 || r.status == 429 || r.status >= 500) return true;
    if (r.status == 400) {
      const auto info = s3xml::parse_error(r.body);
      return info && (info->code == "RequestTimeout" || info->code == "SlowDown");
    }
    return false;
  }

  // Full jitter: uniform in [0, min(max, base * 2^(attempt-1))].
  std::chrono::milliseconds backoff(int attempt) const {
    const auto shift = std::min(attempt - 1, 20);
    const auto ceiling = std::min<std::int64_t>(options_.max_backoff.count(),
                                                options_.base_backoff.count() << shift);
    thread_local std::minstd_rand random{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(ceiling, 0));
    return std::chrono::milliseconds(pick(random));
  }

  HttpRequest build(const Call& call) const {
    sigv4::Request request;
    request.method = call.method;
    std::string host = endpoint_.host;
    if (options_.force_path_style) {
      request.canonical_uri = "/" + sigv4::uri_encode(options_.bucket, true);
      if (!call.key.empty()) request.canonical_uri += "/" + sigv4::uri_encode(call.key, false);
    } else {
      host = options_.bucket + "." + host;
      request.canonical_uri = "/" + sigv4::uri_encode(call.key, false);
    }
    request.query = call.query;
    request.headers = call.headers;
    request.headers.emplace_back("host", host);
    request.payload_sha256 = call.payload_sha256;
    const std::string authorization = sigv4::sign(request, options_.credentials, options_.region,
                                                  "s3", std::chrono::system_clock::now());

    HttpRequest out;
    out.method = call.method;
    out.url = endpoint_.scheme + "://" + host + request.canonical_uri;
    if (!request.query.empty()) out.url += "?" + sigv4::canonical_query_string(request.query);
    out.headers = std::move(request.headers);
    out.headers.emplace_back("authorization", authorization);
    out.body = call.body;
    return out;
  }

  S3Options options_;
  std::string endpoint_text_;
  Endpoint endpoint_;
  HttpTransport transport_;
};

namespace {

// Reads an object (or a range of it) in ranged GETs of read_chunk_size as the caller advances.
class S3ObjectSource final : public ByteSource {
 public:
  S3ObjectSource(std::shared_ptr<S3BlobStore::Impl> impl, std::string key, ByteRange range)
      : impl_(std::move(impl)), key_(std::move(key)), next_(range.offset) {
    if (range.length) limit_ = range.offset + *range.length;
  }

  // The first GET, so open() reports a missing object itself.
  Result<bool> fetch() {
    const std::size_t chunk = impl_->options().read_chunk_size;
    std::uint64_t last = next_ + chunk - 1;
    if (limit_) last = std::min(last, *limit_ - 1);
    if (end_) last = std::min(last, *end_ - 1);

    S3BlobStore::Impl::Call call;
    call.method = "GET";
    call.key = key_;
    call.headers.emplace_back("range",
                              "bytes=" + std::to_string(next_) + "-" + std::to_string(last));
    if (!etag_.empty()) call.headers.emplace_back("if-match", etag_);
    call.max_body = chunk;
    HttpResponse r = impl_->execute(call);

    if (r.status == 416 && !end_) {
      // The range starts at or past the end (or the object is empty): nothing to read, if the
      // object exists at all.
      end_ = next_;
      buffer_.clear();
      pos_ = 0;
      return true;
    }
    if (r.status == 412) {
      return Error(ErrorKind::conflict,
                   "blob " + quoted_key(key_) + " was replaced while it was being read");
    }
    if (r.status != 200 && r.status != 206) {
      return impl_->failure(r, "GET of " + quoted_key(key_), key_);
    }
    std::uint64_t total = 0;
    if (r.status == 206) {
      const auto range = r.header("content-range");
      const auto parsed = range ? total_from_content_range(*range) : std::nullopt;
      if (!parsed) {
        return Error(ErrorKind::unavailable,
                     "S3 GET of " + quoted_key(key_) + " returned no usable Content-Range header");
      }
      total = *parsed;
    } else {
      // The server ignored Range and sent the whole object (it fitted in one chunk): keep the
      // part from `next_` on.
      total = r.body.size();
      r.body.erase(0, static_cast<std::size_t>(std::min<std::uint64_t>(next_, total)));
    }
    if (!end_) end_ = limit_ ? std::min(*limit_, total) : total;
    if (etag_.empty()) {
      if (auto etag = r.header("etag")) etag_ = std::string(*etag);
    }
    if (next_ >= *end_) {  // only when the server ignored a Range past the end
      buffer_.clear();
      pos_ = 0;
      return true;
    }
    if (r.body.empty()) {
      return Error(ErrorKind::unavailable, "S3 GET of " + quoted_key(key_) + " returned no bytes");
    }
    buffer_ = std::move(r.body);
    if (buffer_.size() > *end_ - next_) buffer_.resize(static_cast<std::size_t>(*end_ - next_));
    pos_ = 0;
    next_ += buffer_.size();
    return true;
  }

  std::size_t read(char* out, std::size_t capacity) override {
    while (pos_ == buffer_.size()) {
      if (end_ && next_ >= *end_) return 0;
      if (auto ok = fetch(); !ok) throw ok.error();
    }
    const std::size_t n = std::min(capacity, buffer_.size() - pos_);
    std::copy_n(buffer_.data() + pos_, n, out);
    pos_ += n;
    return n;
  }

 private:
  std::shared_ptr<S3BlobStore::Impl> impl_;
  std::string key_;
  std::uint64_t next_;                  // offset of the next byte to fetch
  std::optional<std::uint64_t> limit_;  // offset + length of the requested range
  std::optional<std::uint64_t> end_;    // where reading stops, known after the first GET
  std::string etag_;
  std::string buffer_;
  std::size_t pos_ = 0;
};

}  // namespace

S3BlobStore::S3BlobStore(S3Options options) : impl_(std::make_shared<Impl>(std::move(options))) {}

S3BlobStore::~S3BlobStore() = default;

Result<bool> S3BlobStore::check() {
  Impl::Call call;
  call.method = "HEAD";
  const HttpResponse r = impl_->execute(call);
  if (r.status == 200) return true;
  return impl_->failure(r, "HEAD of the bucket", "");
}

Result<std::uint64_t> S3BlobStore::put(const std::string& key, ByteSource& source) {
  if (auto valid = check_key(key); !valid) return valid.error();
  const std::size_t part_size = impl_->options().part_size;
  const auto buffer = std::make_unique_for_overwrite<char[]>(part_size);

  const auto send = [&](Impl::Call& call, std::size_t size) {
    call.body = std::string_view(buffer.get(), size);
    call.payload_sha256 = crypto::sha256_hex(call.body);
    return impl_->execute(call);
  };

  // One byte past a full part tells a part-sized object from a bigger one without a second buffer.
  std::size_t filled = fill(source, buffer.get(), part_size);
  char carry = 0;
  const bool more = filled == part_size && source.read(&carry, 1) == 1;
  if (!more) {
    Impl::Call call;
    call.method = "PUT";
    call.key = key;
    const HttpResponse r = send(call, filled);
    if (r.status != 200) return impl_->failure(r, "PUT of " + quoted_key(key), "");
    return static_cast<std::uint64_t>(filled);
  }

  Impl::Call create;
  create.method = "POST";
  create.key = key;
  create.query = {{"uploads", ""}};
  const HttpResponse created = impl_->execute(create);
  if (created.status != 200) {
    return impl_->failure(created, "CreateMultipartUpload of " + quoted_key(key), "");
  }
  const auto upload_id = s3xml::parse_upload_id(created.body);
  if (!upload_id) {
    return Error(ErrorKind::unavailable,
                 "S3 CreateMultipartUpload of " + quoted_key(key) + " returned no UploadId");
  }

  // Every way out without a completed upload aborts it, so S3 keeps no orphaned parts. The abort
  // is best effort: a bucket lifecycle rule (AbortIncompleteMultipartUpload) catches the rest.
  struct AbortGuard {
    Impl& impl;
    const std::string& key;
    const std::string& upload_id;
    bool armed = true;
    ~AbortGuard() {
      if (!armed) return;
      Impl::Call abort;
      abort.method = "DELETE";
      abort.key = key;
      abort.query = {{"uploadId", upload_id}};
      try {
        (void)impl.execute(abort);
      } catch (const std::exception&) {
        // Nothing more to do during unwinding; the lifecycle rule removes the parts.
      }
    }
  } guard{*impl_, key, *upload_id};

  std::vector<std::string> etags;
  std::uint64_t total = 0;
  bool have_carry = true;
  while (true) {
    if (etags.size() >= kMaxParts) {
      return Error(ErrorKind::payload_too_large, "blob " + quoted_key(key) +
                                                     " exceeds S3's 10000 parts of " +
                                                     std::to_string(part_size) + " bytes");
    }
    Impl::Call part;
    part.method = "PUT";
    part.key = key;
    part.query = {{"partNumber", std::to_string(etags.size() + 1)}, {"uploadId", *upload_id}};
    const HttpResponse r = send(part, filled);
    const auto etag = r.header("etag");
    if (r.status != 200 || !etag) {
      return impl_->failure(
          r, "UploadPart " + std::to_string(etags.size() + 1) + " of " + quoted_key(key), "");
    }
    etags.emplace_back(*etag);
    total += filled;
    if (!have_carry) break;
    buffer[0] = carry;
    filled = 1 + fill(source, buffer.get() + 1, part_size - 1);
    have_carry = filled == part_size && source.read(&carry, 1) == 1;
  }

  Impl::Call complete;
  complete.method = "POST";
  complete.key = key;
  complete.query = {{"uploadId", *upload_id}};
  complete.headers = {{"content-type", "application/xml"}};
  const std::string body = s3xml::complete_multipart_upload(etags);
  complete.body = body;
  complete.payload_sha256 = crypto::sha256_hex(body);
  // S3 may answer 200 with an <Error> body here; InternalError is worth another try.
  for (int attempt = 1;; ++attempt) {
    const HttpResponse r = impl_->execute(complete);
    const auto error = r.status == 200 ? s3xml::parse_error(r.body) : std::nullopt;
    if (r.status == 200 && !error) break;
    if (error && error->code == "InternalError" && attempt < impl_->options().max_attempts) {
      continue;
    }
    HttpResponse shown = r;
    if (error) shown.status = 500;
    return impl_->failure(shown, "CompleteMultipartUpload of " + quoted_key(key), "");
  }
  guard.armed = false;
  return total;
}

Result<std::unique_ptr<ByteSource>> S3BlobStore::open(const std::string& key, ByteRange range) {
  if (auto valid = check_key(key); !valid) return valid.error();
  if (range.length && *range.length == 0) {
    auto info = stat(key);
    if (!info) return info.error();
    if (!*info) return not_found("blob " + quoted_key(key));
    return std::unique_ptr<ByteSource>(std::make_unique<EmptySource>());
  }
  auto source = std::make_unique<S3ObjectSource>(impl_, key, range);
  if (auto ok = source->fetch(); !ok) return ok.error();
  return std::unique_ptr<ByteSource>(std::move(source));
}

Result<std::optional<BlobInfo>> S3BlobStore::stat(const std::string& key) {
  if (auto valid = check_key(key); !valid) return valid.error();
  Impl::Call call;
  call.method = "HEAD";
  call.key = key;
  const HttpResponse r = impl_->execute(call);
  if (r.status == 404) {
    // A HEAD answer has no body to tell a missing object from a missing bucket.
    if (auto bucket = check(); !bucket) return bucket.error();
    return std::optional<BlobInfo>();
  }
  if (r.status != 200) return impl_->failure(r, "HEAD of " + quoted_key(key), "");
  BlobInfo info;
  info.key = key;
  const auto length = r.header("content-length");
  const auto size = length ? to_number<std::uint64_t>(*length) : std::nullopt;
  if (!size) {
    return Error(ErrorKind::unavailable, "S3 HEAD of " + quoted_key(key) + " returned no size");
  }
  info.size = *size;
  if (const auto modified = r.header("last-modified")) {
    if (const auto seconds = HttpTransport::parse_http_date(std::string(*modified))) {
      info.modified = std::chrono::system_clock::from_time_t(static_cast<std::time_t>(*seconds));
    }
  }
  return std::optional<BlobInfo>(std::move(info));
}

Result<bool> S3BlobStore::remove(const std::string& key) {
  if (auto valid = check_key(key); !valid) return valid.error();
  Impl::Call call;
  call.method = "DELETE";
  call.key = key;
  const HttpResponse r = impl_->execute(call);
  if (r.status == 204 || r.status == 200) return true;
  const auto info = s3xml::parse_error(r.body);
  if (r.status == 404 && info && info->code == "NoSuchKey") return true;
  return impl_->failure(r, "DELETE of " + quoted_key(key), "");
}

Result<bool> S3BlobStore::list(std::string_view prefix,
                               const std::function<void(const BlobInfo&)>& each) {
  std::string token;
  while (true) {
    Impl::Call call;
    call.method = "GET";
    call.query = {{"list-type", "2"},
                  {"max-keys", std::to_string(impl_->options().list_page_size)}};
    if (!prefix.empty()) call.query.emplace_back("prefix", std::string(prefix));
    if (!token.empty()) call.query.emplace_back("continuation-token", token);
    call.max_body = kListResponseBytes;
    const HttpResponse r = impl_->execute(call);
    if (r.status != 200) return impl_->failure(r, "ListObjectsV2", "");
    auto page = s3xml::parse_list_objects_v2(r.body);
    if (!page) {
      return Error(ErrorKind::unavailable, "S3 ListObjectsV2 returned a document we cannot read");
    }
    for (const auto& info : page->objects) each(info);
    if (!page->truncated) return true;
    if (page->next_continuation_token.empty() || page->next_continuation_token == token) {
      return Error(ErrorKind::unavailable,
                   "S3 ListObjectsV2 said the listing goes on but gave no new continuation token");
    }
    token = std::move(page->next_continuation_token);
  }
}

}  // namespace cm::blob
