// SPDX-License-Identifier: AGPL-3.0-or-later
// Signing in and out: login, lockout, refresh-token rotation with reuse detection, logout, the
// caller's own account and password, and every way a token can be unacceptable.

#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  ServerProcess& server() { return shared_server(); }
  // A fresh person in a fresh organization, logged in.
  Account person(const std::string& role = "member") {
    return create_account(server(), unique_name("AuthOrg"), role);
  }
  HttpResponse refresh(const std::string& token) {
    return client_for(server()).post_json("/api/v1/auth/refresh",
                                          bj::object{{"refreshToken", token}});
  }
};

TEST_F(AuthTest, LoginReturnsABearerTokenPairThatOpensTheApi) {
  Account alice = person("manager");
  const auto r = login_request(server(), alice.email, alice.password);
  ASSERT_STATUS(r, 200);
  const auto o = body_of(r);
  EXPECT_FALSE(str(o, "accessToken").empty());
  EXPECT_TRUE(str(o, "refreshToken").starts_with("rt_"));
  EXPECT_EQ(str(o, "tokenType"), "Bearer");
  EXPECT_GT(o.at("expiresIn").to_number<std::int64_t>(), 0);

  const auto me = client_for(server(), str(o, "accessToken")).get("/api/v1/me");
  ASSERT_STATUS(me, 200);
  const auto m = body_of(me);
  EXPECT_EQ(str(m, "id"), alice.id);
  EXPECT_EQ(str(m, "email"), alice.email);
  EXPECT_EQ(str(m, "role"), "manager");
  EXPECT_FALSE(str(m.at("organization").as_object(), "id").empty());
  EXPECT_EQ(me.body.find("password"), std::string::npos)
      << "the account leaks password data: " << me.body;
}

TEST_F(AuthTest, WrongPasswordAndUnknownEmailFailAlike) {
  Account bob = person();
  const auto wrong = login_request(server(), bob.email, "not-the-password-at-all");
  EXPECT_PROBLEM(wrong, 401, "/problems/unauthenticated");
  const auto unknown =
      login_request(server(), unique_name("nobody") + "@example.com", bob.password);
  EXPECT_PROBLEM(unknown, 401, "/problems/unauthenticated");
  EXPECT_EQ(str(body_of(wrong), "detail"), str(body_of(unknown), "detail"))
      << "the answer must not reveal which emails exist";
}

// PostgreSQL refuses NUL in text ("text parameter contains a NUL byte") where SQLite stores it;
// before the strict reader, an unauthenticated login with one was a 500 on PostgreSQL.
TEST_F(AuthTest, NulInAnyTextIsA400NamingTheFieldOnBothDatabases) {
  const auto login = client_for(server()).post(
      "/api/v1/auth/login", R"({"email": "a\u0000@example.com", "password": "x"})",
      {{"Content-Type", "application/json"}});
  EXPECT_PROBLEM(login, 400, "/problems/bad-request");
  EXPECT_NE(login.body.find(R"("field":"email")"), std::string::npos) << login.body;

  Account dora = person();
  auto client = client_for(server(), dora.access_token);
  const auto search = client.get("/api/v1/contracts?q=a%00b");
  EXPECT_EQ(search.status, 400) << search.body;
  EXPECT_NE(search.body.find("query parameter q"), std::string::npos) << search.body;

  const auto created = client.post("/api/v1/contracts",
                                   R"({"title": "ok", "type": "nda", "description": "x\u0000y"})",
                                   {{"Content-Type", "application/json"}});
  EXPECT_PROBLEM(created, 400, "/problems/bad-request");
  EXPECT_NE(created.body.find(R"("field":"description")"), std::string::npos) << created.body;
}

TEST_F(AuthTest, DuplicateKeysAreRefusedNamingTheKey) {
  const auto login = client_for(server()).post(
      "/api/v1/auth/login",
      R"({"email": "a@example.com", "email": "b@example.com", "password": "x"})",
      {{"Content-Type", "application/json"}});
  EXPECT_PROBLEM(login, 400, "/problems/bad-request");
  EXPECT_NE(login.body.find(R"("field":"email")"), std::string::npos) << login.body;
  EXPECT_NE(login.body.find("more than once"), std::string::npos) << login.body;
}

TEST_F(AuthTest, FiveWrongPasswordsLockTheAccountEvenForTheRightOne) {
  Account carol = person();
  for (int i = 0; i < 5; ++i) {
    const auto r = login_request(server(), carol.email, "guessing-password-" + std::to_string(i));
    EXPECT_EQ(r.status, 401) << "attempt " << i << ": " << r.body;
  }
  const auto locked = login_request(server(), carol.email, carol.password);
  EXPECT_PROBLEM(locked, 429, "/problems/rate-limited");
  EXPECT_FALSE(locked.header("Retry-After").empty());
  EXPECT_GT(std::stoi(locked.header("Retry-After")), 0);
}

TEST_F(AuthTest, RefreshRotatesAndReuseEndsTheWholeSession) {
  Account dave = person();
  const auto first = refresh(dave.refresh_token);
  ASSERT_STATUS(first, 200);
  const auto pair = body_of(first);
  const auto new_refresh = str(pair, "refreshToken");
  EXPECT_NE(new_refresh, dave.refresh_token);
  EXPECT_STATUS(client_for(server(), str(pair, "accessToken")).get("/api/v1/me"), 200);

  // Someone replays the old (rotated) token: that is theft, so the whole family dies.
  EXPECT_PROBLEM(refresh(dave.refresh_token), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(refresh(new_refresh), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(client_for(server(), str(pair, "accessToken")).get("/api/v1/me"), 401,
                 "/problems/unauthenticated");
}

TEST_F(AuthTest, RefreshRejectsGarbage) {
  EXPECT_PROBLEM(refresh("rt_not-a-real-token"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(refresh("something"), 401, "/problems/unauthenticated");
}

TEST_F(AuthTest, LogoutEndsTheAccessAndRefreshToken) {
  Account erin = person();
  auto client = client_for(server(), erin.access_token);
  ASSERT_STATUS(client.get("/api/v1/me"), 200);
  const auto out =
      client.post_json("/api/v1/auth/logout", bj::object{{"refreshToken", erin.refresh_token}});
  EXPECT_STATUS(out, 204);
  EXPECT_PROBLEM(client.get("/api/v1/me"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(refresh(erin.refresh_token), 401, "/problems/unauthenticated");
}

TEST_F(AuthTest, LogoutWithoutBodyStillEndsTheSession) {
  Account frank = person();
  auto client = client_for(server(), frank.access_token);
  EXPECT_STATUS(client.post("/api/v1/auth/logout", ""), 204);
  EXPECT_PROBLEM(client.get("/api/v1/me"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(refresh(frank.refresh_token), 401, "/problems/unauthenticated");
}

// "Sign out everywhere" after a lost laptop: the other device's session ends as well, and
// another person's sessions do not.
TEST_F(AuthTest, LogoutEverywhereEndsEverySessionOfTheAccountOnly) {
  Account grace = person();
  Account other = person();
  const auto laptop = body_of(login_request(server(), grace.email, grace.password));
  auto phone = client_for(server(), grace.access_token);
  auto laptop_client = client_for(server(), str(laptop, "accessToken"));
  ASSERT_STATUS(laptop_client.get("/api/v1/me"), 200);

  EXPECT_STATUS(phone.post_json("/api/v1/auth/logout", bj::object{{"everywhere", true}}), 204);
  EXPECT_PROBLEM(phone.get("/api/v1/me"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(laptop_client.get("/api/v1/me"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(refresh(str(laptop, "refreshToken")), 401, "/problems/unauthenticated");
  EXPECT_STATUS(client_for(server(), other.access_token).get("/api/v1/me"), 200);
  EXPECT_STATUS(refresh(other.refresh_token), 200);

  EXPECT_PROBLEM(client_for(server(), other.access_token)
                     .post_json("/api/v1/auth/logout", bj::object{{"everywhere", "yes"}}),
                 400, "/problems/validation");
}

// The Set-Cookie line of `name` in a response ("" when there is none).
std::string set_cookie_line(const HttpResponse& r, std::string_view name) {
  const auto it = r.headers.find("set-cookie");
  if (it == r.headers.end()) return "";
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    const auto line = rest.substr(0, newline);
    if (line.starts_with(std::string(name) + "=")) return std::string(line);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
  }
  return "";
}

std::string cookie_of(const HttpResponse& r, std::string_view name) {
  const auto line = set_cookie_line(r, name);
  return line.substr(name.size() + 1, line.find(';') - name.size() - 1);
}

// The web app's session: login with "session": "cookie", then refresh and logout by cookie.
class CookieSessionTest : public AuthTest {
 protected:
  struct Session {
    std::string access_token, csrf, refresh_cookie;
  };
  Session cookie_login(const Account& who) {
    const auto r = client_for(server()).post_json(
        "/api/v1/auth/login",
        bj::object{{"email", who.email}, {"password", who.password}, {"session", "cookie"}});
    EXPECT_EQ(r.status, 200) << r.body;
    const auto o = body_of(r);
    return {str(o, "accessToken"), str(o, "csrfToken"), cookie_of(r, "cm_refresh")};
  }
  HttpResponse cookie_refresh(const std::string& refresh_cookie, const std::string& csrf) {
    HeaderList headers{{"Cookie", "theme=dark; cm_refresh=" + refresh_cookie}};
    if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
    return client_for(server()).post("/api/v1/auth/refresh", "", headers);
  }
};

TEST_F(CookieSessionTest, LoginPutsTheRefreshTokenInAnHttpOnlyCookieOnly) {
  Account ada = person();
  const auto r = client_for(server()).post_json(
      "/api/v1/auth/login",
      bj::object{{"email", ada.email}, {"password", ada.password}, {"session", "cookie"}});
  ASSERT_STATUS(r, 200);
  const auto o = body_of(r);
  EXPECT_FALSE(o.contains("refreshToken")) << "scripts could read it: " << r.body;
  EXPECT_FALSE(str(o, "csrfToken").empty());
  EXPECT_STATUS(client_for(server(), str(o, "accessToken")).get("/api/v1/me"), 200);

  const auto refresh = set_cookie_line(r, "cm_refresh");
  EXPECT_TRUE(cookie_of(r, "cm_refresh").starts_with("rt_")) << refresh;
  EXPECT_NE(refresh.find("; Path=/api/v1/auth;"), std::string::npos) << refresh;
  EXPECT_NE(refresh.find("; HttpOnly"), std::string::npos) << refresh;
  EXPECT_NE(refresh.find("; SameSite=Strict"), std::string::npos) << refresh;
  EXPECT_EQ(refresh.find("; Secure"), std::string::npos) << "development runs on plain http";
  const auto csrf = set_cookie_line(r, "cm_csrf");
  EXPECT_EQ(cookie_of(r, "cm_csrf"), str(o, "csrfToken"));
  EXPECT_NE(csrf.find("; Path=/;"), std::string::npos) << csrf;
  EXPECT_EQ(csrf.find("HttpOnly"), std::string::npos) << "the app must read it: " << csrf;

  const auto bad = client_for(server()).post_json(
      "/api/v1/auth/login",
      bj::object{{"email", ada.email}, {"password", ada.password}, {"session", "jar"}});
  EXPECT_PROBLEM(bad, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(bad, "session")) << bad.body;
}

TEST_F(CookieSessionTest, RefreshByCookieNeedsTheCsrfHeaderAndRotatesTheCookie) {
  Account bea = person();
  const auto session = cookie_login(bea);
  EXPECT_PROBLEM(cookie_refresh(session.refresh_cookie, ""), 403, "/problems/forbidden");
  EXPECT_PROBLEM(cookie_refresh(session.refresh_cookie, session.csrf + "x"), 403,
                 "/problems/forbidden");
  Account other = person();
  EXPECT_PROBLEM(cookie_refresh(session.refresh_cookie, cookie_login(other).csrf), 403,
                 "/problems/forbidden")
      << "another session's CSRF token";

  // The refused attempts did not spend the token.
  const auto r = cookie_refresh(session.refresh_cookie, session.csrf);
  ASSERT_STATUS(r, 200);
  const auto o = body_of(r);
  EXPECT_FALSE(o.contains("refreshToken"));
  EXPECT_EQ(str(o, "csrfToken"), session.csrf) << "one CSRF token per session";
  const auto rotated = cookie_of(r, "cm_refresh");
  EXPECT_TRUE(rotated.starts_with("rt_"));
  EXPECT_NE(rotated, session.refresh_cookie);
  EXPECT_STATUS(client_for(server(), str(o, "accessToken")).get("/api/v1/me"), 200);

  // The spent cookie again (a stolen copy): the whole session ends.
  EXPECT_PROBLEM(cookie_refresh(session.refresh_cookie, session.csrf), 401,
                 "/problems/unauthenticated");
  EXPECT_PROBLEM(cookie_refresh(rotated, session.csrf), 401, "/problems/unauthenticated");
}

TEST_F(CookieSessionTest, LogoutByCookieNeedsTheCsrfHeaderThenEndsTheSessionAndClearsCookies) {
  Account cyd = person();
  const auto session = cookie_login(cyd);
  auto client = client_for(server(), session.access_token);
  const HeaderList cookie{{"Cookie", "cm_refresh=" + session.refresh_cookie}};
  EXPECT_PROBLEM(client.post("/api/v1/auth/logout", "", cookie), 403, "/problems/forbidden");
  EXPECT_STATUS(client.get("/api/v1/me"), 200) << "a refused logout ends nothing";

  HeaderList with_csrf = cookie;
  with_csrf.emplace_back("X-CSRF-Token", session.csrf);
  const auto out = client.post("/api/v1/auth/logout", "", with_csrf);
  ASSERT_STATUS(out, 204);
  EXPECT_NE(set_cookie_line(out, "cm_refresh").find("Max-Age=0"), std::string::npos);
  EXPECT_NE(set_cookie_line(out, "cm_csrf").find("Max-Age=0"), std::string::npos);
  EXPECT_PROBLEM(client.get("/api/v1/me"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(cookie_refresh(session.refresh_cookie, session.csrf), 401,
                 "/problems/unauthenticated");
}

TEST_F(AuthTest, ChangingThePasswordChecksBothAndReplacesTheOldOne) {
  Account gina = person();
  auto client = client_for(server(), gina.access_token);
  const std::string next = "a-brand-new-long-password";

  const auto wrong =
      client.post_json("/api/v1/me/password",
                       bj::object{{"currentPassword", "not-my-password!"}, {"newPassword", next}});
  EXPECT_PROBLEM(wrong, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(wrong, "currentPassword")) << wrong.body;

  const auto short_one =
      client.post_json("/api/v1/me/password",
                       bj::object{{"currentPassword", gina.password}, {"newPassword", "short"}});
  EXPECT_PROBLEM(short_one, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(short_one, "newPassword")) << short_one.body;

  const auto ok = client.post_json(
      "/api/v1/me/password", bj::object{{"currentPassword", gina.password}, {"newPassword", next}});
  EXPECT_STATUS(ok, 204);
  EXPECT_PROBLEM(login_request(server(), gina.email, gina.password), 401,
                 "/problems/unauthenticated");
  EXPECT_STATUS(login_request(server(), gina.email, next), 200);
  // Whoever knew the old password keeps no refresh token.
  EXPECT_PROBLEM(refresh(gina.refresh_token), 401, "/problems/unauthenticated");
}

TEST_F(AuthTest, MissingGarbageAndUnsignedTokensAreRejected) {
  Account hank = person();
  auto anonymous = client_for(server());
  EXPECT_PROBLEM(anonymous.get("/api/v1/contracts"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(client_for(server(), "garbage.token.here").get("/api/v1/contracts"), 401,
                 "/problems/unauthenticated");
  EXPECT_PROBLEM(anonymous.get("/api/v1/contracts", {{"Authorization", "Basic dXNlcjpwYXNz"}}), 401,
                 "/problems/unauthenticated");

  // The real claims, re-wrapped with alg "none" and no signature.
  const auto& token = hank.access_token;
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  ASSERT_NE(second_dot, std::string::npos);
  const std::string payload = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string unsigned_token = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + payload + ".";
  EXPECT_PROBLEM(client_for(server(), unsigned_token).get("/api/v1/me"), 401,
                 "/problems/unauthenticated");
  // Same header, tampered signature.
  const std::string forged =
      token.substr(0, second_dot + 1) + "AAAA" + token.substr(second_dot + 5);
  EXPECT_PROBLEM(client_for(server(), forged).get("/api/v1/me"), 401, "/problems/unauthenticated");
  EXPECT_STATUS(client_for(server(), token).get("/api/v1/me"), 200);
}

TEST_F(AuthTest, DeactivatedUsersTokenStopsWorkingImmediately) {
  Org org = make_org(server(), {"admin", "member"});
  auto member = client_for(server(), org["member"].access_token);
  ASSERT_STATUS(member.get("/api/v1/contracts"), 200);
  auto admin = client_for(server(), org["admin"].access_token);
  const auto off =
      admin.patch_json("/api/v1/users/" + org["member"].id, bj::object{{"active", false}});
  ASSERT_STATUS(off, 200);
  EXPECT_FALSE(body_of(off).at("active").as_bool());
  EXPECT_PROBLEM(member.get("/api/v1/contracts"), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(refresh(org["member"].refresh_token), 401, "/problems/unauthenticated");
  EXPECT_PROBLEM(login_request(server(), org["member"].email, org["member"].password), 401,
                 "/problems/unauthenticated");
}

}  // namespace
}  // namespace cm::test::api
