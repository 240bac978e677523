// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/local_blob_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "blob/blob_factory.hpp"
#include "blob/blob_key.hpp"
#include "support/blob_streams.hpp"

namespace cm::blob {
namespace {

namespace fs = std::filesystem;
using test::read_all;
using test::StringSource;

class LocalBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/cm-blob-XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir_ = templ;
    store_ = std::make_unique<LocalBlobStore>(dir_ / "blobs");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::uint64_t put(const std::string& key, const std::string& content) {
    StringSource source(content);
    return store_->put(key, source).value();
  }
  std::string get(const std::string& key, ByteRange range = {}) {
    auto source = store_->open(key, range);
    return read_all(*source.value());
  }
  std::vector<std::string> keys(std::string_view prefix = {}) {
    std::vector<std::string> out;
    EXPECT_TRUE(store_->list(prefix, [&](const BlobInfo& info) { out.push_back(info.key); }).ok());
    return out;
  }
  // Every file under the root, temporary ones included.
  std::vector<std::string> files() {
    std::vector<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(store_->root())) {
      if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), store_->root()));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
  std::unique_ptr<LocalBlobStore> store_;
};

TEST_F(LocalBlobStoreTest, RoundTripOfSmallEmptyAndMultiBufferObjects) {
  EXPECT_EQ(put("org/1/small", "hello"), 5u);
  EXPECT_EQ(get("org/1/small"), "hello");

  EXPECT_EQ(put("org/1/empty", ""), 0u);
  EXPECT_EQ(get("org/1/empty"), "");

  const std::string big = test::random_bytes(3 * 1024 * 1024 + 17);
  EXPECT_EQ(put("org/1/big", big), big.size());
  EXPECT_EQ(get("org/1/big"), big);
  EXPECT_EQ(store_->backend(), "local");
}

TEST_F(LocalBlobStoreTest, SourcesThatHandOutFewBytesAtATime) {
  const std::string content = test::random_bytes(100'000);
  StringSource trickle(content, 7);
  EXPECT_EQ(store_->put("a/b", trickle).value(), content.size());
  EXPECT_EQ(get("a/b"), content);
}

TEST_F(LocalBlobStoreTest, Ranges) {
  const std::string content = "0123456789abcdefghij";
  put("r", content);
  EXPECT_EQ(get("r", {5, 3}), "567");
  EXPECT_EQ(get("r", {5, std::nullopt}), content.substr(5));
  EXPECT_EQ(get("r", {0, 1}), "0");
  EXPECT_EQ(get("r", {18, 100}), "ij");         // stops at the end
  EXPECT_EQ(get("r", {20, std::nullopt}), "");  // starts at the end
  EXPECT_EQ(get("r", {500, 5}), "");
  EXPECT_EQ(get("r", {3, 0}), "");
}

TEST_F(LocalBlobStoreTest, OverwriteReplacesTheWholeObject) {
  put("k", "a long first version");
  put("k", "short");
  EXPECT_EQ(get("k"), "short");
  EXPECT_EQ(store_->stat("k").value()->size, 5u);
}

TEST_F(LocalBlobStoreTest, ReaderKeepsTheVersionItOpened) {
  put("k", "first");
  auto reader = store_->open("k").value();
  put("k", "second!");
  EXPECT_EQ(read_all(*reader), "first");
}

TEST_F(LocalBlobStoreTest, StatOfPresentAndMissingObjects) {
  const auto before = std::chrono::system_clock::now() - std::chrono::seconds(5);
  put("org/x/doc", "12345");
  const auto info = store_->stat("org/x/doc").value();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->key, "org/x/doc");
  EXPECT_EQ(info->size, 5u);
  EXPECT_GT(info->modified, before);
  EXPECT_FALSE(store_->stat("org/x/missing").value());
  EXPECT_FALSE(store_->stat("org/x").value());  // a directory of objects is not an object
  EXPECT_FALSE(store_->stat("org/x/doc/deeper").value());
}

TEST_F(LocalBlobStoreTest, MissingObjectIsNotFound) {
  auto missing = store_->open("nothing/here");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::not_found);
  put("dir/file", "x");
  EXPECT_EQ(store_->open("dir").error().kind(), ErrorKind::not_found);
}

TEST_F(LocalBlobStoreTest, RemoveDeletesAndPrunesEmptyDirectories) {
  put("org/a/1", "x");
  put("org/b/2", "y");
  EXPECT_TRUE(store_->remove("org/a/1").value());
  EXPECT_FALSE(store_->stat("org/a/1").value());
  EXPECT_FALSE(fs::exists(store_->root() / "org" / "a"));
  EXPECT_TRUE(fs::exists(store_->root() / "org" / "b" / "2"));
  EXPECT_TRUE(store_->remove("org/a/1").value());  // absent: still fine
  EXPECT_TRUE(store_->remove("never/was").value());
  EXPECT_TRUE(store_->remove("org/b/2").value());
  EXPECT_TRUE(fs::exists(store_->root()));  // the root stays
  EXPECT_TRUE(fs::is_empty(store_->root()));
}

TEST_F(LocalBlobStoreTest, ListWalksTheTreeInKeyOrderAndFiltersByPrefix) {
  for (const auto* key : {"org/b/2", "org/a/1", "org/a/10", "org/ab/3", "other/4", "top"}) {
    put(key, key);
  }
  EXPECT_EQ(keys(), (std::vector<std::string>{"org/a/1", "org/a/10", "org/ab/3", "org/b/2",
                                              "other/4", "top"}));
  EXPECT_EQ(keys("org/a/"), (std::vector<std::string>{"org/a/1", "org/a/10"}));
  EXPECT_EQ(keys("org/a"), (std::vector<std::string>{"org/a/1", "org/a/10", "org/ab/3"}));
  EXPECT_EQ(keys("org/a/1"), (std::vector<std::string>{"org/a/1", "org/a/10"}));
  EXPECT_EQ(keys("o"),
            (std::vector<std::string>{"org/a/1", "org/a/10", "org/ab/3", "org/b/2", "other/4"}));
  EXPECT_TRUE(keys("zzz/").empty());
  EXPECT_TRUE(keys("../").empty());

  std::uint64_t size = 0;
  ASSERT_TRUE(store_->list("top", [&](const BlobInfo& info) { size = info.size; }).ok());
  EXPECT_EQ(size, 3u);
}

TEST_F(LocalBlobStoreTest, ListOfAStoreThatWasNeverWritten) {
  EXPECT_TRUE(keys().empty());
}

// A source that hands out some bytes and then fails, like a client that disconnects mid-upload.
class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(std::size_t good_bytes) : remaining_(good_bytes) {}
  std::size_t read(char* out, std::size_t capacity) override {
    if (remaining_ == 0) throw Error(ErrorKind::bad_request, "client went away");
    const std::size_t n = std::min(capacity, remaining_);
    std::fill_n(out, n, 'x');
    remaining_ -= n;
    return n;
  }

 private:
  std::size_t remaining_;
};

TEST_F(LocalBlobStoreTest, NoPartialObjectWhenTheSourceThrowsMidStream) {
  FailingSource failing(1024 * 1024);
  EXPECT_THROW((void)store_->put("org/new/doc", failing), Error);
  EXPECT_FALSE(store_->stat("org/new/doc").value());
  EXPECT_EQ(store_->open("org/new/doc").error().kind(), ErrorKind::not_found);
  EXPECT_TRUE(files().empty()) << "temporary file left behind";
}

TEST_F(LocalBlobStoreTest, FailedOverwriteKeepsThePreviousVersion) {
  put("org/doc", "version 1");
  FailingSource failing(300'000);
  EXPECT_THROW((void)store_->put("org/doc", failing), Error);
  EXPECT_EQ(get("org/doc"), "version 1");
  EXPECT_EQ(files(), std::vector<std::string>{"org/doc"});
}

TEST_F(LocalBlobStoreTest, StaleTempFilesAreNotListedAndCanBeCleaned) {
  put("org/doc", "x");
  // What a writer killed between create and rename leaves behind.
  const fs::path stale = store_->root() / "org" / ".tmp-deadbeef";
  std::ofstream(stale) << "half";
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(2);
  fs::last_write_time(stale, old);
  const fs::path fresh = store_->root() / "org" / ".tmp-running";
  std::ofstream(fresh) << "in progress";

  EXPECT_EQ(keys(), std::vector<std::string>{"org/doc"});
  EXPECT_EQ(store_->remove_stale_temp_files(std::chrono::hours(1)).value(), 1u);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(fresh));  // possibly a put in progress: left alone
  EXPECT_EQ(get("org/doc"), "x");
}

TEST_F(LocalBlobStoreTest, InvalidKeysAreRefusedBeforeTouchingTheDisk) {
  for (const char* key : {"../escape", "/etc/passwd", "a/../../b", "a//b", "a/", "", "a\\b", "a b",
                          ".hidden", "a/.tmp-x", "caf\xc3\xa9"}) {
    StringSource source("x");
    auto put_result = store_->put(key, source);
    ASSERT_FALSE(put_result.ok()) << key;
    EXPECT_EQ(put_result.error().kind(), ErrorKind::bad_request) << key;
    EXPECT_EQ(store_->open(key).error().kind(), ErrorKind::bad_request) << key;
    EXPECT_EQ(store_->stat(key).error().kind(), ErrorKind::bad_request) << key;
    EXPECT_EQ(store_->remove(key).error().kind(), ErrorKind::bad_request) << key;
  }
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
}

TEST_F(LocalBlobStoreTest, KeyThatIsADirectoryOfOtherKeysIsAConflict) {
  put("a/b", "x");
  StringSource source("y");
  auto result = store_->put("a", source);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::conflict);
  StringSource deeper("z");
  result = store_->put("a/b/c", deeper);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::conflict);
  EXPECT_EQ(get("a/b"), "x");
}

TEST_F(LocalBlobStoreTest, ConcurrentPutsAndRemovesOfNeighbours) {
  // remove() prunes directories that a concurrent put() may be about to use.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string key = "org/shared/" + std::to_string(t) + "-" + std::to_string(i);
        StringSource source(key);
        if (auto r = store_->put(key, source); !r.ok()) {
          ++failures;
          ADD_FAILURE() << r.error().detail();
        }
        if (auto r = store_->remove(key); !r.ok()) {
          ++failures;
          ADD_FAILURE() << r.error().detail();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(keys().empty());
}

TEST_F(LocalBlobStoreTest, CheckCreatesTheRoot) {
  EXPECT_FALSE(fs::exists(store_->root()));
  EXPECT_TRUE(store_->check().value());
  EXPECT_TRUE(fs::is_directory(store_->root()));
}

TEST_F(LocalBlobStoreTest, RootThatIsAFileIsAClearError) {
  std::ofstream(dir_ / "file") << "x";
  LocalBlobStore broken(dir_ / "file");
  auto checked = broken.check();
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().kind(), ErrorKind::unavailable);
  EXPECT_NE(checked.error().detail().find((dir_ / "file").string()), std::string::npos);

  BlobConfig config;
  config.local_root = (dir_ / "file" / "blobs").string();
  auto made = make_blob_store(config);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().kind(), ErrorKind::unavailable);
}

TEST_F(LocalBlobStoreTest, FactoryBuildsTheLocalStore) {
  BlobConfig config;
  config.local_root = (dir_ / "made").string();
  auto store = make_blob_store(config);
  ASSERT_TRUE(store.ok()) << store.error().detail();
  EXPECT_EQ((*store)->backend(), "local");
  StringSource source("abc");
  EXPECT_EQ((*store)->put("k", source).value(), 3u);
  EXPECT_TRUE(fs::exists(dir_ / "made" / "k"));
}

}  // namespace
}  // namespace cm::blob
