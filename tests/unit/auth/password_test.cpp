// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/password.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cm::auth {
namespace {

TEST(Password, HashIsSaltedArgon2id) {
  const auto a = hash_password("correct horse battery staple");
  const auto b = hash_password("correct horse battery staple");
  EXPECT_EQ(a.rfind("$argon2id$", 0), 0u) << a;
  EXPECT_NE(a.find("$m=65536,t=2,p=1$"), std::string::npos) << a;  // interactive limits
  EXPECT_NE(a, b);                                                 // random salt
  EXPECT_EQ(a.find("correct horse"), std::string::npos);
}

TEST(Password, VerifyAcceptsOnlyTheRightPassword) {
  const auto h = hash_password("correct horse battery staple");
  EXPECT_TRUE(verify_password("correct horse battery staple", h));
  EXPECT_FALSE(verify_password("correct horse battery stapl", h));
  EXPECT_FALSE(verify_password("Correct horse battery staple", h));
  EXPECT_FALSE(verify_password("", h));
}

TEST(Password, VerifyRejectsGarbageHashes) {
  EXPECT_FALSE(verify_password("whatever-password", ""));
  EXPECT_FALSE(verify_password("whatever-password", "not a hash"));
  EXPECT_FALSE(verify_password("whatever-password", "$argon2id$v=19$m=65536,t=2,p=1$xx$yy"));
}

TEST(Password, NonAsciiPasswordsRoundTrip) {
  const std::string pw = "p\xc3\xa4ssw\xc3\xb6rd-\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac";
  const auto h = hash_password(pw);
  EXPECT_TRUE(verify_password(pw, h));
  EXPECT_FALSE(verify_password("passwort-\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", h));
}

TEST(Password, DummyHashIsStableAndMatchesNoPassword) {
  const auto& d = dummy_password_hash();
  EXPECT_EQ(d.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(&d, &dummy_password_hash());
  EXPECT_FALSE(verify_password("correct horse battery staple", d));
}

TEST(Password, MinimumLength) {
  EXPECT_EQ(password_problem(std::string(11, 'a')), "must be at least 12 characters");
  EXPECT_EQ(password_problem(std::string(12, 'a')), "");
  EXPECT_EQ(password_problem(""), "must be at least 12 characters");
}

TEST(Password, LengthCountsCodePointsNotBytes) {
  std::string twelve, eleven;
  for (int i = 0; i < 12; ++i) twelve += "\xc3\xa9";  // é
  for (int i = 0; i < 11; ++i) eleven += "\xc3\xa9";
  EXPECT_EQ(twelve.size(), 24u);
  EXPECT_EQ(password_problem(twelve), "");
  EXPECT_EQ(password_problem(eleven), "must be at least 12 characters");  // 22 bytes
  std::string emoji;
  for (int i = 0; i < 11; ++i) emoji += "\xf0\x9f\x94\x91";  // 🔑, 44 bytes
  EXPECT_EQ(password_problem(emoji), "must be at least 12 characters");
}

TEST(Password, MaximumLength) {
  EXPECT_EQ(password_problem(std::string(256, 'a')), "");
  EXPECT_EQ(password_problem(std::string(257, 'a')), "must be at most 256 characters");
  std::string accents;
  for (int i = 0; i < 256; ++i) accents += "\xc3\xa9";  // 512 bytes, 256 code points
  EXPECT_EQ(password_problem(accents), "");
}

TEST(Password, MustBeValidUtf8) {
  EXPECT_EQ(password_problem("abcdefghijkl\xff"), "must be valid UTF-8");
  EXPECT_EQ(password_problem("abcdefghijk\xc3"), "must be valid UTF-8");
}

}  // namespace
}  // namespace cm::auth
