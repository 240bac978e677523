// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/scratch_directory.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/crypto.hpp"

namespace cm::app {
namespace {

namespace fs = std::filesystem;

class ScratchDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cm-scratch-" + crypto::random_token(8)) / "tmp";
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }
  fs::path file(const std::string& name, std::chrono::minutes age) {
    const auto path = dir_ / name;
    std::ofstream(path) << "left behind";
    fs::last_write_time(path, fs::file_time_type::clock::now() - age);
    return path;
  }
  fs::path dir_;
};

TEST_F(ScratchDirectoryTest, RemovesOnlyOldFilesOfOurOwn) {
  fs::create_directories(dir_);
  const auto old_upload = file("cm-upload-Ab12Cd", std::chrono::minutes(90));
  const auto old_extract = file("extract-0193a1b2", std::chrono::minutes(61));
  const auto live_upload = file("cm-upload-Xy34Zw", std::chrono::minutes(2));
  const auto live_extract = file("extract-0193ffff", std::chrono::minutes(59));
  const auto foreign = file("notes.txt", std::chrono::minutes(600));
  fs::create_directory(dir_ / "extract-dir");

  EXPECT_EQ(sweep_scratch_directory(dir_), 2u);
  EXPECT_FALSE(fs::exists(old_upload));
  EXPECT_FALSE(fs::exists(old_extract));
  EXPECT_TRUE(fs::exists(live_upload)) << "a request may still be writing it";
  EXPECT_TRUE(fs::exists(live_extract)) << "an extraction may still be reading it";
  EXPECT_TRUE(fs::exists(foreign)) << "not ours to remove";
  EXPECT_TRUE(fs::is_directory(dir_ / "extract-dir"));
}

TEST_F(ScratchDirectoryTest, CreatesAMissingDirectory) {
  EXPECT_EQ(sweep_scratch_directory(dir_), 0u);
  EXPECT_TRUE(fs::is_directory(dir_));
}

}  // namespace
}  // namespace cm::app
