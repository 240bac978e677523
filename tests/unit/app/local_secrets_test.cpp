// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/local_secrets.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/crypto.hpp"

namespace cm::app {
namespace {

namespace fs = std::filesystem;

class LocalSecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cm-secrets-" + crypto::random_token(8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  Config development() {
    Config c;
    c.data_dir = dir_.string();
    return c;
  }
  unsigned mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  }
  fs::path dir_;
};

TEST_F(LocalSecretsTest, GeneratesPrivateRandomSecretsOnceAndReusesThem) {
  Config first = development();
  const auto report = provide_local_secrets(first);
  ASSERT_TRUE(report.ok()) << report.error().detail();
  EXPECT_EQ(report->generated.size(), 2u);
  EXPECT_TRUE(first.jwt_secret_is_local);
  EXPECT_TRUE(first.encryption_key_is_local);
  EXPECT_GE(first.jwt_secret.size(), 32u);
  const auto key = crypto::base64_decode(first.encryption_key);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->size(), 32u) << "ENCRYPTION_KEY must be base64 of 32 bytes";
  EXPECT_EQ(mode_of(dir_ / "secrets" / "jwt_secret"), 0600u);
  EXPECT_EQ(mode_of(dir_ / "secrets" / "encryption_key"), 0600u);
  EXPECT_EQ(mode_of(dir_ / "secrets"), 0700u);

  Config restart = development();
  const auto again = provide_local_secrets(restart);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->generated.empty());
  EXPECT_EQ(restart.jwt_secret, first.jwt_secret);
  EXPECT_EQ(restart.encryption_key, first.encryption_key);

  // Another install gets other secrets.
  Config elsewhere;
  elsewhere.data_dir = (dir_ / "other-install").string();
  ASSERT_TRUE(provide_local_secrets(elsewhere).ok());
  EXPECT_NE(elsewhere.jwt_secret, first.jwt_secret);
  EXPECT_NE(elsewhere.encryption_key, first.encryption_key);
}

TEST_F(LocalSecretsTest, GivenSecretsWinAndProductionIsNeverTouched) {
  Config given = development();
  given.jwt_secret = std::string(40, 'j');
  ASSERT_TRUE(provide_local_secrets(given).ok());
  EXPECT_EQ(given.jwt_secret, std::string(40, 'j'));
  EXPECT_FALSE(given.jwt_secret_is_local);
  EXPECT_TRUE(given.encryption_key_is_local);
  EXPECT_FALSE(fs::exists(dir_ / "secrets" / "jwt_secret"));

  Config production = development();
  production.app_env = AppEnv::production;
  ASSERT_TRUE(provide_local_secrets(production).ok());
  EXPECT_TRUE(production.jwt_secret.empty());
  EXPECT_FALSE(fs::exists(dir_ / "secrets" / "encryption_key") &&
               production.encryption_key_is_local);
}

TEST_F(LocalSecretsTest, SecretReadableByOthersIsRefused) {
  Config first = development();
  ASSERT_TRUE(provide_local_secrets(first).ok());
  fs::permissions(dir_ / "secrets" / "jwt_secret", fs::perms::others_read, fs::perm_options::add);
  Config again = development();
  const auto refused = provide_local_secrets(again);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().detail().find("chmod 600"), std::string::npos);
}

// serve and worker started together on an empty DATA_DIR must end up with the same keys.
TEST_F(LocalSecretsTest, ProcessesStartingTogetherAgreeOnOneSecret) {
  std::vector<pid_t> children;
  for (int i = 0; i < 6; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Config c = development();
      const auto r = provide_local_secrets(c);
      std::ofstream(dir_ / ("seen-" + std::to_string(::getpid()))) << c.encryption_key;
      ::_exit(r.ok() ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::set<std::string> seen;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (!entry.path().filename().string().starts_with("seen-")) continue;
    std::ifstream in(entry.path());
    std::string key;
    in >> key;
    seen.insert(key);
  }
  EXPECT_EQ(seen.size(), 1u);
}

}  // namespace
}  // namespace cm::app
