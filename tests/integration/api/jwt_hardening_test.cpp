// SPDX-License-Identifier: AGPL-3.0-or-later
// Access tokens against the real server: every token that is forged, altered, expired, not yet
// valid, oversized, malformed, or belongs to a user or session that has ended is refused with
// 401 problem+json before any handler runs; another organization's valid token finds nothing of
// this organization (404). Tokens are forged here with the server's own JWT_SECRET where the test
// is about a claim rather than the signature.

#include <string>
#include <vector>

#include "api_fixture.hpp"
#include "core/crypto.hpp"

namespace cm::test::api {
namespace {

std::int64_t now_seconds() {
  return now_unix_ms() / 1000;
}

std::string b64(std::string_view text) {
  return crypto::base64url_encode(text);
}

// `header.payload.signature`, signed with HMAC-SHA256 under `key` (whatever `header` claims).
std::string forge(const bj::object& header, const bj::object& payload, std::string_view key) {
  std::string token = b64(bj::serialize(header)) + "." + b64(bj::serialize(payload));
  return token + "." + b64(crypto::hmac_sha256(key, token));
}

const bj::object kHs256{{"alg", "HS256"}, {"typ", "JWT"}};

class JwtHardeningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    org_ = new Org(make_org(shared_server()));
    other_ = new Org(make_org(shared_server(), {"admin"}));
    auto owner = client_for(shared_server(), (*org_)["member"].access_token);
    contract_ = new std::string(
        str(create_contract(owner, contract_input(unique_name("Token test agreement"))), "id"));
  }
  static void TearDownTestSuite() {
    delete org_;
    delete other_;
    delete contract_;
    org_ = other_ = nullptr;
    contract_ = nullptr;
  }

  static const std::string& secret() { return shared_server().env().at("JWT_SECRET"); }
  static const std::string& contract_id() { return *contract_; }
  static std::string contract_path() { return "/api/v1/contracts/" + *contract_; }

  // The claims the server put in a real access token of `account`.
  static bj::object claims_of(const Account& account) {
    const auto& t = account.access_token;
    const auto first = t.find('.');
    const auto second = t.find('.', first + 1);
    const auto payload = crypto::base64url_decode(t.substr(first + 1, second - first - 1));
    return bj::parse(payload.value()).as_object();
  }

  // A token with `account`'s real claims changed by `edit`, correctly signed.
  template <class Edit>
  static std::string signed_with_claims(const Account& account, Edit edit) {
    auto claims = claims_of(account);
    edit(claims);
    return forge(kHs256, claims, secret());
  }

  static HttpResponse get_with(const std::string& token, const std::string& path) {
    HttpClient client(shared_server().base_url());
    return client.get(path, {{"Authorization", "Bearer " + token}});
  }

  // The token is refused on a read and on a write, with a problem+json 401.
  static void expect_refused(const std::string& token, const std::string& why) {
    SCOPED_TRACE(why);
    EXPECT_PROBLEM(get_with(token, contract_path()), 401, "/problems/unauthenticated");
    EXPECT_PROBLEM(get_with(token, "/api/v1/me"), 401, "/problems/unauthenticated");
    HttpClient client(shared_server().base_url());
    EXPECT_PROBLEM(client.post_json("/api/v1/contracts", contract_input("Refused"),
                                    {{"Authorization", "Bearer " + token}}),
                   401, "/problems/unauthenticated");
  }

  static Org& org() { return *org_; }
  static Org& other() { return *other_; }

 private:
  static inline Org* org_ = nullptr;
  static inline Org* other_ = nullptr;
  static inline std::string* contract_ = nullptr;
};

TEST_F(JwtHardeningTest, TheRealTokenAndAFaithfulForgeryWithTheServerSecretWork) {
  // The baseline every other test departs from: otherwise a refusal could be for another reason.
  EXPECT_STATUS(get_with(org()["viewer"].access_token, contract_path()), 200);
  EXPECT_STATUS(get_with(signed_with_claims(org()["viewer"], [](bj::object&) {}), contract_path()),
                200);
}

TEST_F(JwtHardeningTest, AlgNoneIsRefused) {
  const auto claims = claims_of(org()["admin"]);
  const std::string unsigned_part =
      b64(R"({"alg":"none","typ":"JWT"})") + "." + b64(bj::serialize(claims));
  expect_refused(unsigned_part + ".", "alg none, empty signature");
  expect_refused(unsigned_part, "alg none, no signature segment");
  expect_refused(forge({{"alg", "none"}}, claims, secret()), "alg none, HS256 signature");
  expect_refused(forge({{"alg", "None"}}, claims, secret()), "alg None");
  expect_refused(forge({{"typ", "JWT"}}, claims, secret()), "no alg at all");
}

TEST_F(JwtHardeningTest, AnotherAlgorithmInTheHeaderIsRefused) {
  const auto claims = claims_of(org()["admin"]);
  // The signature is a valid HMAC-SHA256 under the secret: only the header's claim differs.
  for (const char* alg : {"HS512", "HS384", "RS256", "ES256", "PS256", "hs256", "HS256 "})
    expect_refused(forge({{"alg", alg}, {"typ", "JWT"}}, claims, secret()), alg);
  expect_refused(forge({{"alg", bj::array{"HS256"}}}, claims, secret()), "alg as an array");
  // Algorithm confusion: RS256 "verified" with the HMAC secret as if it were a public key.
  expect_refused(forge({{"alg", "RS256"}, {"typ", "JWT"}}, claims, "-----BEGIN PUBLIC KEY-----"),
                 "RS256 signed with a public-key text");
}

TEST_F(JwtHardeningTest, ASignatureUnderAnotherKeyIsRefused) {
  const auto claims = claims_of(org()["admin"]);
  expect_refused(forge(kHs256, claims, "not-the-server-secret"), "wrong key");
  expect_refused(forge(kHs256, claims, ""), "empty key");
  expect_refused(forge(kHs256, claims, secret() + "x"), "a longer key");
  // The real token with its signature's last characters changed.
  auto tampered = org()["admin"].access_token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  expect_refused(tampered, "tampered signature");
  // The real signature over another payload (a viewer's token promoted in its payload).
  const auto& real = org()["viewer"].access_token;
  auto claims_up = claims_of(org()["viewer"]);
  claims_up["role"] = "admin";
  const auto header = real.substr(0, real.find('.'));
  const auto signature = real.substr(real.rfind('.') + 1);
  expect_refused(header + "." + b64(bj::serialize(claims_up)) + "." + signature,
                 "payload swapped under the real signature");
}

TEST_F(JwtHardeningTest, AnExpiredTokenIsRefused) {
  const auto now = now_seconds();
  expect_refused(signed_with_claims(org()["admin"],
                                    [&](bj::object& c) {
                                      c["iat"] = now - 7200;
                                      c["exp"] = now - 3600;
                                    }),
                 "expired an hour ago");
  expect_refused(signed_with_claims(org()["admin"], [&](bj::object& c) { c["exp"] = now - 120; }),
                 "expired beyond the 30 s leeway");
}

TEST_F(JwtHardeningTest, ATokenThatIsNotYetValidIsRefused) {
  const auto now = now_seconds();
  expect_refused(signed_with_claims(org()["admin"],
                                    [&](bj::object& c) {
                                      c["iat"] = now + 3600;
                                      c["exp"] = now + 4500;
                                    }),
                 "issued an hour from now");
  expect_refused(signed_with_claims(org()["admin"], [&](bj::object& c) { c["nbf"] = now + 3600; }),
                 "not before an hour from now");
  expect_refused(signed_with_claims(org()["admin"], [&](bj::object& c) { c["nbf"] = "soon"; }),
                 "nbf that is not a number");
  // Within the leeway, clocks may differ a little.
  EXPECT_STATUS(get_with(signed_with_claims(org()["admin"],
                                            [&](bj::object& c) {
                                              c["iat"] = now + 5;
                                              c["nbf"] = now + 5;
                                            }),
                         contract_path()),
                200);
}

TEST_F(JwtHardeningTest, OversizedTokensAreRefusedWithoutBeingProcessed) {
  const auto claims = claims_of(org()["admin"]);
  // Beyond the 4 KiB an access token may have, yet within the header limit: 401.
  auto padded = claims;
  padded["pad"] = std::string(8 * 1024, 'x');
  expect_refused(forge(kHs256, padded, secret()), "8 KiB token signed with the real secret");
  // 64 KiB: the server refuses the request head itself (431, MAX header 16 KiB) before any
  // authentication, in the same problem+json shape.
  padded["pad"] = std::string(64 * 1024, 'x');
  const auto r = get_with(forge(kHs256, padded, secret()), contract_path());
  EXPECT_PROBLEM(r, 431, "/problems/headers-too-large");
}

TEST_F(JwtHardeningTest, MalformedTokensAreRefused) {
  const auto& real = org()["admin"].access_token;
  const auto header = real.substr(0, real.find('.'));
  const auto signature = real.substr(real.rfind('.') + 1);
  const auto claims = claims_of(org()["admin"]);
  const std::vector<std::pair<std::string, std::string>> tokens = {
      {"not-a-jwt", "no dots"},
      {"a.b", "two segments"},
      {real + ".extra", "four segments"},
      {"..", "empty segments"},
      {"!!!.???.***", "not base64url"},
      {header + "=.x.y", "padding in base64url"},
      {b64("not json") + "." + b64(bj::serialize(claims)) + "." + signature, "header not JSON"},
      {b64("[\"HS256\"]") + "." + b64(bj::serialize(claims)) + "." + signature,
       "header not an object"},
      {header + "." + b64("{\"sub\":") + "." + signature, "truncated payload"},
      {std::string(real).insert(real.size() / 2, " "), "a space inside"},
  };
  for (const auto& [token, why] : tokens) expect_refused(token, why);

  // Correctly signed, but the payload is not JSON, or lacks a claim, or has one of a wrong type.
  const auto signed_payload = [&](const std::string& payload) {
    std::string t = b64(R"({"alg":"HS256","typ":"JWT"})") + "." + b64(payload);
    return t + "." + b64(crypto::hmac_sha256(secret(), t));
  };
  expect_refused(signed_payload("not json"), "signed payload not JSON");
  expect_refused(signed_payload("[]"), "signed payload an array");
  for (const char* claim : {"sub", "org", "sid", "exp"}) {
    auto c = claims;
    c.erase(claim);
    expect_refused(forge(kHs256, c, secret()), std::string("without ") + claim);
  }
  auto exp_text = claims;
  exp_text["exp"] = std::to_string(now_seconds() + 600);
  expect_refused(forge(kHs256, exp_text, secret()), "exp as a string");
  auto sub_number = claims;
  sub_number["sub"] = 42;
  expect_refused(forge(kHs256, sub_number, secret()), "sub as a number");

  // The Authorization header itself.
  for (const auto& value :
       {std::string("Bearer"), std::string("Bearer "), std::string("Basic ") + b64("admin:secret"),
        "Token " + real, std::string("Bearer cm_not-a-key"), "Bearer  " + real}) {
    HttpClient client(shared_server().base_url());
    EXPECT_PROBLEM(client.get(contract_path(), {{"Authorization", value}}), 401,
                   "/problems/unauthenticated")
        << value.substr(0, 40);
  }
}

TEST_F(JwtHardeningTest, ADeactivatedUsersTokenIsRefusedAtOnce) {
  auto& leaver = add_user(shared_server(), org(), "leaver", "manager");
  ASSERT_STATUS(get_with(leaver.access_token, contract_path()), 200);
  const auto forged = signed_with_claims(leaver, [](bj::object&) {});
  auto admin = client_for(shared_server(), org()["admin"].access_token);
  ASSERT_STATUS(admin.patch_json("/api/v1/users/" + leaver.id, bj::object{{"active", false}}), 200);
  expect_refused(leaver.access_token, "deactivated user's token");
  expect_refused(forged, "deactivated user's forged token");
  // And the refresh token does not bring it back.
  HttpClient client(shared_server().base_url());
  EXPECT_PROBLEM(
      client.post_json("/api/v1/auth/refresh", bj::object{{"refreshToken", leaver.refresh_token}}),
      401, "/problems/unauthenticated");
}

TEST_F(JwtHardeningTest, ALoggedOutSessionsTokenIsRefusedAndOtherSessionsGoOn) {
  Account session = org()["manager"];
  login(shared_server(), session);
  ASSERT_NE(session.access_token, org()["manager"].access_token);
  auto client = client_for(shared_server(), session.access_token);
  ASSERT_STATUS(client.get(contract_path()), 200);
  ASSERT_STATUS(client.post("/api/v1/auth/logout", ""), 204);
  expect_refused(session.access_token, "logged-out session");
  EXPECT_STATUS(get_with(org()["manager"].access_token, contract_path()), 200)
      << "another session of the same user must keep working";
}

TEST_F(JwtHardeningTest, ClaimsCannotMoveAUserIntoAnotherOrganizationOrRole) {
  // The outsider's real subject and session, claiming this organization: no such user here.
  expect_refused(signed_with_claims(other()["admin"], [&](bj::object& c) { c["org"] = org().id; }),
                 "another organization's user claiming this organization");
  // A viewer claiming to be an admin keeps the role the database gives it.
  const auto promoted =
      signed_with_claims(org()["viewer"], [](bj::object& c) { c["role"] = "admin"; });
  EXPECT_PROBLEM(get_with(promoted, "/api/v1/api-keys"), 403, "/problems/forbidden");
  // Ending a session ends it for every token that names it, however it was made.
  Account session = org()["viewer"];
  login(shared_server(), session);
  const auto sid = str(claims_of(session), "sid");
  ASSERT_STATUS(client_for(shared_server(), session.access_token).post("/api/v1/auth/logout", ""),
                204);
  expect_refused(signed_with_claims(org()["viewer"], [&](bj::object& c) { c["sid"] = sid; }),
                 "a token naming an ended session");
}

TEST_F(JwtHardeningTest, AnotherOrganizationsTokenFindsNothingHere) {
  auto outsider = client_for(shared_server(), other()["admin"].access_token);
  EXPECT_PROBLEM(outsider.get(contract_path()), 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.get(contract_path() + "/documents"), 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.get(contract_path() + "/history"), 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.patch_json(contract_path(), bj::object{{"title", "Mine now"}},
                                     {{"If-Match", "\"1\""}}),
                 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.del(contract_path()), 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.get("/api/v1/users/" + org()["member"].id), 404, "/problems/not-found");
  const auto list = outsider.get("/api/v1/contracts");
  ASSERT_STATUS(list, 200);
  EXPECT_EQ(list.body.find(contract_id()), std::string::npos);
  // The contract is untouched.
  auto owner = client_for(shared_server(), org()["member"].access_token);
  const auto r = owner.get(contract_path());
  ASSERT_STATUS(r, 200);
  EXPECT_NE(str(body_of(r), "title"), "Mine now");
}

}  // namespace
}  // namespace cm::test::api
