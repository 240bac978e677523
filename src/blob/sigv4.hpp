// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// AWS Signature Version 4 (header form) as pure functions: no clock, no network, no globals.
// Verified against AWS's published test suite and the S3 documentation examples
// (tests/unit/blob/sigv4_test.cpp). The S3 client builds the request with these and sends exactly
// the path, query and headers that were signed.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cm::blob::sigv4 {

// x-amz-content-sha256 value for a body that is not hashed (allowed by S3 over TLS).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// SHA-256 of no bytes: the payload hash of GET, HEAD and DELETE.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary (STS) credentials
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;          // "GET"
  std::string canonical_uri;   // the path as sent, already URI-encoded: "/bucket/a%24b"
  Pairs query;                 // decoded names and values, any order; "?uploads" is {"uploads", ""}
  Pairs headers;               // names in any case; must include host
  std::string payload_sha256;  // lower-case hex SHA-256 of the body, or kUnsignedPayload
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - . _ ~) stay,
// everything else becomes %XX (upper-case hex); '/' stays unless `encode_slash`.
std::string uri_encode(std::string_view text, bool encode_slash);

// "20150830T123600Z" and "20150830" for an instant (UTC).
std::string amz_date(std::chrono::system_clock::time_point at);
inline std::string_view date_stamp(std::string_view amz_date) {
  return amz_date.substr(0, 8);
}

// Sorted, encoded "a=1&b=2" (the canonical query string; also what the client sends).
std::string canonical_query_string(const Pairs& query);
// Lower-case, sorted, values trimmed with inner runs of spaces collapsed, one "name:value\n" each.
std::string canonical_headers(const Pairs& headers);
// "host;range;x-amz-date"
std::string signed_headers(const Pairs& headers);

std::string canonical_request(const Request& request);
// "20150830/us-east-1/service/aws4_request"
std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service);
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);
// Raw 32-byte key: HMAC chain over "AWS4" + secret, date, region, service, "aws4_request".
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);
// Lower-case hex HMAC-SHA-256 of the string to sign under the signing key.
std::string signature(std::string_view signing_key, std::string_view string_to_sign);
std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view signature);

// Signs `request` in place at instant `at`: adds x-amz-date, x-amz-security-token (when the
// credentials carry a session token) and, for service "s3", x-amz-content-sha256 (S3 requires
// it); then returns the Authorization header value. Existing headers of those names are replaced.
std::string sign(Request& request, const Credentials& credentials, std::string_view region,
                 std::string_view service, std::chrono::system_clock::time_point at);

}  // namespace cm::blob::sigv4
