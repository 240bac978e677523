// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/jwt.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "core/crypto.hpp"

namespace cm::auth {
namespace {

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";
constexpr std::int64_t kNow = 1'700'000'000;

AccessClaims claims() {
  return {.subject = "0190a1b2-0000-7000-8000-000000000001",
          .org_id = "0190a1b2-0000-7000-8000-0000000000bb",
          .role = "manager",
          .session_id = "0190a1b2-0000-7000-8000-0000000000ee",
          .issued_at = kNow,
          .expires_at = kNow + 900};
}

std::vector<std::string> segments(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto dot = token.find('.', start);
    out.push_back(token.substr(start, dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

// A token with the given header and payload JSON, correctly signed with `secret`.
std::string forge(std::string_view header, std::string_view payload,
                  std::string_view secret = kSecret) {
  std::string token = crypto::base64url_encode(header) + "." + crypto::base64url_encode(payload);
  token += "." + crypto::base64url_encode(crypto::hmac_sha256(secret, token));
  return token;
}

std::string valid_payload() {
  return R"({"sub":"u1","org":"o1","role":"admin","sid":"s1","iat":1700000000,"exp":1700000900})";
}

void expect_rejected(std::string_view token, std::string_view message = {},
                     std::string_view secret = kSecret, std::int64_t now = kNow) {
  auto r = verify_jwt(token, secret, now);
  ASSERT_FALSE(r.ok()) << token;
  EXPECT_EQ(r.error().kind(), ErrorKind::unauthenticated);
  if (!message.empty()) {
    EXPECT_EQ(r.error().detail(), message) << token;
  }
}

TEST(Jwt, SignVerifyRoundTrip) {
  const auto token = sign_jwt(claims(), kSecret);
  ASSERT_EQ(segments(token).size(), 3u);
  auto r = verify_jwt(token, kSecret, kNow + 10);
  ASSERT_TRUE(r.ok()) << r.error().detail();
  EXPECT_EQ(r->subject, claims().subject);
  EXPECT_EQ(r->org_id, claims().org_id);
  EXPECT_EQ(r->role, "manager");
  EXPECT_EQ(r->session_id, claims().session_id);
  EXPECT_EQ(r->issued_at, kNow);
  EXPECT_EQ(r->expires_at, kNow + 900);
}

TEST(Jwt, HeaderIsHs256) {
  const auto token = sign_jwt(claims(), kSecret);
  EXPECT_EQ(crypto::base64url_decode(segments(token)[0]), R"({"alg":"HS256","typ":"JWT"})");
}

TEST(Jwt, ForgedButCorrectlySignedTokenIsAccepted) {
  // Sanity check for forge(): the rejections below are about the content, not the helper.
  auto r = verify_jwt(forge(R"({"alg":"HS256","typ":"JWT"})", valid_payload()), kSecret, kNow);
  ASSERT_TRUE(r.ok()) << r.error().detail();
  EXPECT_EQ(r->role, "admin");
}

TEST(Jwt, TamperedPayloadIsRejected) {
  const auto token = sign_jwt(claims(), kSecret);
  auto parts = segments(token);
  auto payload = *crypto::base64url_decode(parts[1]);
  const auto pos = payload.find("manager");
  ASSERT_NE(pos, std::string::npos);
  payload.replace(pos, 7, "admin");
  const auto tampered = parts[0] + "." + crypto::base64url_encode(payload) + "." + parts[2];
  expect_rejected(tampered, "The access token signature is invalid.");
}

TEST(Jwt, TamperedSignatureIsRejected) {
  const auto token = sign_jwt(claims(), kSecret);
  for (std::size_t i = token.rfind('.') + 1; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    expect_rejected(t);
  }
  expect_rejected(token.substr(0, token.size() - 1));
  expect_rejected(token.substr(0, token.rfind('.') + 1), "The access token signature is invalid.");
}

TEST(Jwt, AlgNoneIsRejected) {
  const auto none_header = crypto::base64url_encode(R"({"alg":"none","typ":"JWT"})");
  const auto payload = crypto::base64url_encode(valid_payload());
  expect_rejected(none_header + "." + payload + ".",
                  "The access token uses an unsupported algorithm.");
  // Even when "signed" with the real secret.
  expect_rejected(forge(R"({"alg":"none","typ":"JWT"})", valid_payload()),
                  "The access token uses an unsupported algorithm.");
  expect_rejected(forge(R"({"alg":"None"})", valid_payload()),
                  "The access token uses an unsupported algorithm.");
}

TEST(Jwt, OtherAlgorithmsAreRejected) {
  for (const char* header :
       {R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"RS256"})", R"({"alg":"hs256"})",
        R"({"typ":"JWT"})", R"({"alg":256})", R"({"alg":null})"}) {
    expect_rejected(forge(header, valid_payload()),
                    "The access token uses an unsupported algorithm.");
  }
  // An HS512 MAC over the same input is not accepted either.
  const std::string signing_input = crypto::base64url_encode(R"({"alg":"HS512","typ":"JWT"})") +
                                    "." + crypto::base64url_encode(valid_payload());
  expect_rejected(signing_input + "." + crypto::base64url_encode(std::string(64, 'x')));
}

TEST(Jwt, ExpiryHasA30SecondLeeway) {
  auto c = claims();
  c.expires_at = kNow;
  const auto token = sign_jwt(c, kSecret);
  EXPECT_TRUE(verify_jwt(token, kSecret, kNow).ok());
  EXPECT_TRUE(verify_jwt(token, kSecret, kNow + 30).ok());
  expect_rejected(token, "The access token has expired.", kSecret, kNow + 31);
  expect_rejected(token, "The access token has expired.", kSecret, kNow + 3600);
}

// Claims at the ends of the 64-bit range (the jwt fuzz target found `exp + 30` overflowing).
TEST(Jwt, ClaimsAtTheEndsOfTheRangeAreComparedWithoutOverflow) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  auto c = claims();
  c.expires_at = kMax;
  EXPECT_TRUE(verify_jwt(sign_jwt(c, kSecret), kSecret, kNow).ok()) << "never expires";
  EXPECT_TRUE(verify_jwt(sign_jwt(c, kSecret), kSecret, kMax).ok());
  c = claims();
  c.expires_at = kMin;
  expect_rejected(sign_jwt(c, kSecret), "The access token has expired.");
  c = claims();
  c.issued_at = kMax;
  expect_rejected(sign_jwt(c, kSecret), "The access token is not valid yet.", kSecret, kMin);
  c.issued_at = kMin;
  EXPECT_TRUE(verify_jwt(sign_jwt(c, kSecret), kSecret, kNow).ok()) << "issued long ago";
}

TEST(Jwt, ATokenIssuedInTheFutureIsNotYetValid) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string not_yet = "The access token is not valid yet.";
  auto c = claims();
  c.issued_at = kNow + 31;
  c.expires_at = kNow + 900;
  expect_rejected(sign_jwt(c, kSecret), not_yet);
  c.issued_at = kNow + 30;  // clocks may differ by the leeway
  EXPECT_TRUE(verify_jwt(sign_jwt(c, kSecret), kSecret, kNow).ok());
  // `nbf` (we never issue it) is honoured when present, and must be a number.
  const auto with_nbf = [&](const std::string& nbf) {
    return forge(header, R"({"sub":"u1","org":"o1","role":"admin","sid":"s1","iat":1700000000,)"
                         R"("exp":1700000900,"nbf":)" +
                             nbf + "}");
  };
  expect_rejected(with_nbf("1700003600"), not_yet);
  expect_rejected(with_nbf("1700000031"), not_yet);
  EXPECT_TRUE(verify_jwt(with_nbf("1700000030"), kSecret, kNow).ok());
  EXPECT_TRUE(verify_jwt(with_nbf("1600000000"), kSecret, kNow).ok());
  expect_rejected(with_nbf(R"("soon")"), "The access token is malformed.");
  expect_rejected(with_nbf("null"), "The access token is malformed.");
}

TEST(Jwt, MalformedTokensAreRejected) {
  const auto token = sign_jwt(claims(), kSecret);
  const auto parts = segments(token);
  const std::string malformed = "The access token is malformed.";
  expect_rejected(parts[0] + "." + parts[1], malformed);  // 2
  expect_rejected(token + "." + parts[2], malformed);     // 4
  expect_rejected(token + ".", malformed);                // 4
  expect_rejected("", malformed);
  expect_rejected("abc", malformed);
  expect_rejected("..", malformed);
  expect_rejected("a.b.c", malformed);  // not base64
  expect_rejected(parts[0] + "!." + parts[1] + "." + parts[2], malformed);
  expect_rejected(token + std::string(5000, 'A'), malformed);  // huge
  expect_rejected(forge("not json", valid_payload()), malformed);
  expect_rejected(forge("[]", valid_payload()), malformed);
}

TEST(Jwt, PayloadMustCarryEveryClaimWithTheRightType) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string malformed = "The access token is malformed.";
  expect_rejected(forge(header, "not json"), malformed);
  expect_rejected(forge(header, "[1]"), malformed);
  expect_rejected(forge(header, R"({"sub":"u1","org":"o1","role":"admin","sid":"s1","iat":1})"),
                  malformed);  // no exp
  expect_rejected(
      forge(header, R"({"org":"o1","role":"admin","sid":"s1","iat":1,"exp":1700000900})"),
      malformed);  // no sub
  expect_rejected(
      forge(header,
            R"({"sub":"u1","org":"o1","role":"admin","sid":"s1","iat":1,"exp":"1700000900"})"),
      malformed);  // exp is a string
  expect_rejected(
      forge(header, R"({"sub":1,"org":"o1","role":"admin","sid":"s1","iat":1,"exp":1700000900})"),
      malformed);
}

TEST(Jwt, WrongSecretIsRejected) {
  const auto token = sign_jwt(claims(), kSecret);
  expect_rejected(token, "The access token signature is invalid.", "another-secret-another-secret");
  expect_rejected(token, "The access token signature is invalid.", "");
  expect_rejected(token, "The access token signature is invalid.", kSecret.substr(1));
}

TEST(Jwt, SignatureCoversTheHeader) {
  // Re-encoding the header differently (extra field) breaks the signature.
  const auto token = sign_jwt(claims(), kSecret);
  const auto parts = segments(token);
  const auto header = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":"x"})");
  expect_rejected(header + "." + parts[1] + "." + parts[2],
                  "The access token signature is invalid.");
}

}  // namespace
}  // namespace cm::auth
