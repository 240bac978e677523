// SPDX-License-Identifier: AGPL-3.0-or-later
// AWS Signature Version 4 (src/blob/sigv4): a request (method, path, query, headers, payload
// hash) and credentials built from the input. Properties: URI encoding is reversible and only
// emits unreserved characters and %XX; the canonical query has one sorted pair per parameter;
// signed headers are the distinct lower-case names, sorted; signing is deterministic and
// idempotent (signing the signed request again gives the same Authorization), names the
// credential scope, and its signature is 64 lower-case hex digits.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "blob/sigv4.hpp"
#include "fuzz_support.hpp"

using namespace cm;
using namespace cm::blob;

namespace {

class Input {
 public:
  explicit Input(std::string_view bytes) : rest_(bytes) {}
  std::string text(std::size_t max) {
    const std::size_t n = byte() % (max + 1);
    std::string s(rest_.substr(0, n));
    rest_.remove_prefix(std::min(n, rest_.size()));
    return s;
  }
  unsigned char byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<unsigned char>(rest_[0]);
    rest_.remove_prefix(1);
    return b;
  }
  std::int64_t int64() {
    std::int64_t v = 0;
    std::memcpy(&v, rest_.data(), std::min<std::size_t>(8, rest_.size()));
    rest_.remove_prefix(std::min<std::size_t>(8, rest_.size()));
    return v;
  }

 private:
  std::string_view rest_;
};

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void check_uri_encode(const std::string& text, bool encode_slash) {
  const auto encoded = sigv4::uri_encode(text, encode_slash);
  std::string decoded;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '%') {
      CM_FUZZ_CHECK(i + 2 < encoded.size() && hex(encoded[i + 1]) >= 0 && hex(encoded[i + 2]) >= 0);
      decoded += static_cast<char>(hex(encoded[i + 1]) * 16 + hex(encoded[i + 2]));
      i += 2;
      continue;
    }
    const bool unreserved =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
    CM_FUZZ_CHECK(unreserved || (c == '/' && !encode_slash));
    decoded += c;
  }
  CM_FUZZ_CHECK(decoded == text);
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(fuzz::as_text(data, size));
  sigv4::Request request;
  request.method = in.text(8);
  request.canonical_uri = sigv4::uri_encode(in.text(64), false);
  const std::size_t query_count = in.byte() % 6;
  for (std::size_t i = 0; i < query_count; ++i) {
    auto name = in.text(16);
    request.query.emplace_back(std::move(name), in.text(32));
  }
  request.headers.emplace_back("Host", "bucket.s3.example.test");
  const std::size_t header_count = in.byte() % 6;
  for (std::size_t i = 0; i < header_count; ++i) {
    auto name = in.text(16);
    request.headers.emplace_back(std::move(name), in.text(32));
  }
  request.payload_sha256 = (in.byte() & 1) != 0 ? std::string(sigv4::kUnsignedPayload)
                                                : std::string(sigv4::kEmptyPayloadSha256);
  sigv4::Credentials credentials{in.text(20), in.text(40), in.text(8)};
  const std::string region = in.text(16);
  const std::string service = (in.byte() & 1) != 0 ? "s3" : in.text(8);
  // Any instant from 1970 to 2261 (system_clock counts nanoseconds in 64 bits).
  const auto seconds = static_cast<std::uint64_t>(in.int64()) % 9'214'646'400ull;
  const std::chrono::system_clock::time_point at{std::chrono::seconds(seconds)};

  for (const auto& [name, value] : request.query) {
    check_uri_encode(name, true);
    check_uri_encode(value, false);
  }

  const auto query = sigv4::canonical_query_string(request.query);
  if (!request.query.empty()) {
    // Sorted by name, then value (AWS: "by character code point"), not as "name=value" text.
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= query.size(); ++i)
      if (i == query.size() || query[i] == '&') {
        const auto pair = query.substr(start, i - start);
        const auto eq = pair.find('=');
        CM_FUZZ_CHECK(eq != std::string::npos);
        pairs.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
        start = i + 1;
      }
    CM_FUZZ_CHECK(pairs.size() == request.query.size());
    CM_FUZZ_CHECK(std::is_sorted(pairs.begin(), pairs.end()));
  }

  std::set<std::string> names;
  for (const auto& [name, value] : request.headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    names.insert(lower);
  }
  std::string expected_signed;
  for (const auto& name : names) expected_signed += (expected_signed.empty() ? "" : ";") + name;
  CM_FUZZ_CHECK(sigv4::signed_headers(request.headers) == expected_signed);

  auto copy = request;
  const auto authorization = sigv4::sign(request, credentials, region, service, at);
  CM_FUZZ_CHECK(sigv4::sign(copy, credentials, region, service, at) == authorization);
  CM_FUZZ_CHECK(sigv4::sign(request, credentials, region, service, at) == authorization);

  const auto date_time = sigv4::amz_date(at);
  CM_FUZZ_CHECK(date_time.size() == 16 && date_time[8] == 'T' && date_time.back() == 'Z');
  const auto scope = sigv4::credential_scope(sigv4::date_stamp(date_time), region, service);
  CM_FUZZ_CHECK(authorization.starts_with(
      "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope + ", "));
  const auto sig = authorization.rfind(", Signature=");
  CM_FUZZ_CHECK(sig != std::string::npos);
  const auto signature = std::string_view(authorization).substr(sig + 12);
  CM_FUZZ_CHECK(signature.size() == 64 && is_lower_hex(signature));
  return 0;
}
