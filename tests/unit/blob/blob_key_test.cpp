// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/blob_key.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cm::blob {
namespace {

TEST(BlobKey, AcceptsTheKeysDocumentsUse) {
  for (const std::string& key : std::vector<std::string>{
           "org/0190f5a2-7c3e-7b1a-9d2e-4f5a6b7c8d9e/0190f5a2-7c3e-7b1a-9d2e-4f5a6b7c8d9f", "a",
           "A-Z_a-z.0-9", "x/y/z", "file.v2.pdf", std::string(255, 'a'),
           std::string(255, 'a') + "/" + std::string(255, 'b')}) {
    EXPECT_FALSE(key_problem(key)) << key << ": " << key_problem(key).value_or("");
  }
}

TEST(BlobKey, RefusesWhatCouldEscapeOrMisbehave) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "is empty"},
      {"/abs", "must be relative (no leading '/')"},
      {"a/", "must not end with '/'"},
      {"a//b", "must not contain '//'"},
      {"..", "has a segment starting with '.' (such as '..')"},
      {"a/../b", "has a segment starting with '.' (such as '..')"},
      {"./a", "has a segment starting with '.' (such as '..')"},
      {"a/.tmp-123", "has a segment starting with '.' (such as '..')"},
      {"a\\b", "may only contain A-Z a-z 0-9 - _ . /"},
      {"a b", "may only contain A-Z a-z 0-9 - _ . /"},
      {std::string("a\0b", 3), "may only contain A-Z a-z 0-9 - _ . /"},
      {"a\nb", "may only contain A-Z a-z 0-9 - _ . /"},
      {"caf\xc3\xa9", "may only contain A-Z a-z 0-9 - _ . /"},
      {"a?b", "may only contain A-Z a-z 0-9 - _ . /"},
      {"a%2Fb", "may only contain A-Z a-z 0-9 - _ . /"},
      {std::string(256, 'a'), "has a segment longer than 255 bytes"},
      {std::string(1025, 'a'), "is longer than 1024 bytes"},
  };
  for (const auto& [key, why] : cases) {
    EXPECT_EQ(key_problem(key).value_or("(accepted)"), why) << printable_key(key);
  }
}

TEST(BlobKey, CheckNamesTheKeyPrintably) {
  auto result = check_key(std::string("a\nb\"", 4));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::bad_request);
  EXPECT_EQ(result.error().detail(),
            "invalid blob key \"a\\x0ab\\x22\": may only contain A-Z a-z 0-9 - _ . /");
  EXPECT_TRUE(check_key("ok/key").value());
  EXPECT_EQ(printable_key(std::string(300, 'k')), std::string(200, 'k') + "...");
}

}  // namespace
}  // namespace cm::blob
