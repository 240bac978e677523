// SPDX-License-Identifier: AGPL-3.0-or-later
// SigV4 against the values AWS publishes: the Signature Version 4 test suite
// (aws-sig-v4-test-suite: AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service") and the
// worked examples of the S3 API reference ("Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk": AKIAIOSFODNN7EXAMPLE, examplebucket, 20130524).
#include "blob/sigv4.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "core/crypto.hpp"

namespace cm::blob::sigv4 {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

const Credentials kSuite{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const auto kSuiteTime = sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;
const Credentials kS3Doc{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
const auto kS3DocTime = sys_days{std::chrono::year{2013} / 5 / 24};

std::string suite_authorization(const std::string& signed_headers, const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         signed_headers + ", Signature=" + signature;
}

std::string signature_of(const std::string& authorization) {
  return authorization.substr(authorization.rfind('=') + 1);
}

Request suite_request(std::string method, Pairs query = {}) {
  return Request{std::move(method),
                 "/",
                 std::move(query),
                 {{"Host", "example.amazonaws.com"}},
                 std::string(kEmptyPayloadSha256)};
}

TEST(SigV4, GetVanillaCanonicalRequestStringToSignAndSignature) {
  Request request = suite_request("GET");
  request.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  const std::string creq = canonical_request(request);
  EXPECT_EQ(creq,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string scope = credential_scope("20150830", "us-east-1", "service");
  EXPECT_EQ(scope, "20150830/us-east-1/service/aws4_request");
  const std::string sts = string_to_sign("20150830T123600Z", scope, creq);
  EXPECT_EQ(sts,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  const std::string key = signing_key(kSuite.secret_access_key, "20150830", "us-east-1", "service");
  EXPECT_EQ(signature(key, sts),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, GetVanilla) {
  Request request = suite_request("GET");
  EXPECT_EQ(
      sign(request, kSuite, "us-east-1", "service", kSuiteTime),
      suite_authorization("host;x-amz-date",
                          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
}

TEST(SigV4, GetVanillaQueryOrderKeyCase) {
  Request request = suite_request("GET", {{"Param2", "value2"}, {"Param1", "value1"}});
  EXPECT_EQ(canonical_query_string(request.query), "Param1=value1&Param2=value2");
  EXPECT_EQ(
      sign(request, kSuite, "us-east-1", "service", kSuiteTime),
      suite_authorization("host;x-amz-date",
                          "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));
}

TEST(SigV4, PostVanilla) {
  Request request = suite_request("POST");
  EXPECT_EQ(
      sign(request, kSuite, "us-east-1", "service", kSuiteTime),
      suite_authorization("host;x-amz-date",
                          "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
}

TEST(SigV4, PostXWwwFormUrlencoded) {
  Request request = suite_request("POST");
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.payload_sha256 = crypto::sha256_hex("Param1=value1");
  EXPECT_EQ(request.payload_sha256,
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  const std::string authorization = sign(request, kSuite, "us-east-1", "service", kSuiteTime);
  EXPECT_EQ(canonical_request(request),
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
            "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(string_to_sign("20150830T123600Z", "20150830/us-east-1/service/aws4_request",
                           canonical_request(request)),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
  EXPECT_EQ(authorization, suite_authorization(
                               "content-type;host;x-amz-date",
                               "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"));
}

TEST(SigV4, DerivedSigningKeyOfTheIamExample) {
  EXPECT_EQ(crypto::hex_encode(signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                           "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

Request s3_doc_request(std::string method, std::string uri, Pairs query = {}) {
  return Request{std::move(method),
                 std::move(uri),
                 std::move(query),
                 {{"Host", "examplebucket.s3.amazonaws.com"}},
                 std::string(kEmptyPayloadSha256)};
}

TEST(SigV4, S3GetObjectWithRange) {
  Request request = s3_doc_request("GET", "/test.txt");
  request.headers.emplace_back("Range", "bytes=0-9");
  const std::string authorization = sign(request, kS3Doc, "us-east-1", "s3", kS3DocTime);
  EXPECT_EQ(
      canonical_request(request),
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(string_to_sign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request",
                           canonical_request(request)),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, S3PutObjectEncodesTheKeyAndSignsThePayload) {
  Request request = s3_doc_request("PUT", "/" + uri_encode("test$file.text", false));
  EXPECT_EQ(request.canonical_uri, "/test%24file.text");
  request.headers.emplace_back("Date", "Fri, 24 May 2013 00:00:00 GMT");
  request.headers.emplace_back("x-amz-storage-class", "REDUCED_REDUNDANCY");
  request.payload_sha256 = crypto::sha256_hex("Welcome to Amazon S3.");
  EXPECT_EQ(request.payload_sha256,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const std::string authorization = sign(request, kS3Doc, "us-east-1", "s3", kS3DocTime);
  EXPECT_NE(authorization.find(
                "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"),
            std::string::npos);
  EXPECT_EQ(signature_of(authorization),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, S3GetBucketLifecycleSignsAnEmptyQueryValue) {
  Request request = s3_doc_request("GET", "/", {{"lifecycle", ""}});
  EXPECT_EQ(canonical_query_string(request.query), "lifecycle=");
  EXPECT_EQ(signature_of(sign(request, kS3Doc, "us-east-1", "s3", kS3DocTime)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, S3ListObjectsSortsTheQuery) {
  Request request = s3_doc_request("GET", "/", {{"prefix", "J"}, {"max-keys", "2"}});
  EXPECT_EQ(canonical_query_string(request.query), "max-keys=2&prefix=J");
  EXPECT_EQ(signature_of(sign(request, kS3Doc, "us-east-1", "s3", kS3DocTime)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, UnsignedPayloadIsSignedAsTheLiteralAndSentAsTheContentHash) {
  Request request = s3_doc_request("PUT", "/a");
  request.payload_sha256 = std::string(kUnsignedPayload);
  const std::string authorization = sign(request, kS3Doc, "us-east-1", "s3", kS3DocTime);
  EXPECT_TRUE(canonical_request(request).ends_with("\nUNSIGNED-PAYLOAD"));
  bool found = false;
  for (const auto& [name, value] : request.headers) {
    if (name == "x-amz-content-sha256") {
      EXPECT_EQ(value, "UNSIGNED-PAYLOAD");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  Request hashed = s3_doc_request("PUT", "/a");
  EXPECT_NE(authorization, sign(hashed, kS3Doc, "us-east-1", "s3", kS3DocTime));
}

TEST(SigV4, OnlyS3GetsTheContentHashHeader) {
  Request request = suite_request("GET");
  (void)sign(request, kSuite, "us-east-1", "service", kSuiteTime);
  for (const auto& header : request.headers) EXPECT_NE(header.first, "x-amz-content-sha256");
}

TEST(SigV4, SessionTokenIsSentAndSigned) {
  Credentials temporary = kSuite;
  temporary.session_token = "token/with+chars=";
  Request request = suite_request("GET");
  const std::string authorization = sign(request, temporary, "us-east-1", "service", kSuiteTime);
  EXPECT_NE(authorization.find("SignedHeaders=host;x-amz-date;x-amz-security-token,"),
            std::string::npos);
  bool found = false;
  for (const auto& [name, value] : request.headers) {
    if (name == "x-amz-security-token") {
      EXPECT_EQ(value, "token/with+chars=");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  Request plain = suite_request("GET");
  EXPECT_NE(signature_of(authorization),
            signature_of(sign(plain, kSuite, "us-east-1", "service", kSuiteTime)));
}

TEST(SigV4, SigningTwiceReplacesTheGeneratedHeaders) {
  Request request = suite_request("GET");
  (void)sign(request, kSuite, "us-east-1", "service", kSuiteTime);
  EXPECT_EQ(
      sign(request, kSuite, "us-east-1", "service", kSuiteTime),
      suite_authorization("host;x-amz-date",
                          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
}

TEST(SigV4, UriEncoding) {
  EXPECT_EQ(uri_encode("a-b_c.d~e/f g", false), "a-b_c.d~e/f%20g");
  EXPECT_EQ(uri_encode("a/b", true), "a%2Fb");
  EXPECT_EQ(uri_encode("+=&?%", true), "%2B%3D%26%3F%25");
  EXPECT_EQ(uri_encode("\xc3\xa9", true), "%C3%A9");
}

TEST(SigV4, HeaderValuesAreTrimmedAndSpacesCollapsed) {
  EXPECT_EQ(canonical_headers({{"My-Header", "  a   b  c "}, {"Host", "h"}}),
            "host:h\nmy-header:a b c\n");
  EXPECT_EQ(canonical_headers({{"X-A", "1"}, {"x-a", "2"}}), "x-a:1,2\n");
}

TEST(SigV4, AmzDate) {
  EXPECT_EQ(amz_date(kSuiteTime), "20150830T123600Z");
  EXPECT_EQ(date_stamp("20150830T123600Z"), "20150830");
}

}  // namespace
}  // namespace cm::blob::sigv4
