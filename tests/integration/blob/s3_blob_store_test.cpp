// SPDX-License-Identifier: AGPL-3.0-or-later
// The S3 backend against a real S3-compatible server (s3rver, started by the test tooling on
// loopback), cross-checked with an independent client (boto3).
#include "blob/s3_blob_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "blob/blob_factory.hpp"
#include "support/blob_streams.hpp"
#include "support/build_paths.hpp"
#include "support/s3_server.hpp"

namespace cm::blob {
namespace {

namespace fs = std::filesystem;
using test::read_all;
using test::StringSource;

constexpr const char* kBucket = "cm-test";

S3Options options_for(const test::S3Server& server) {
  S3Options options;
  options.bucket = kBucket;
  options.endpoint = server.endpoint();
  options.region = "us-east-1";
  options.force_path_style = true;
  options.credentials = {test::S3Server::kAccessKeyId, test::S3Server::kSecretAccessKey, ""};
  options.part_size = kMinPartSize;  // the smallest S3 allows, so multipart needs only > 5 MiB
  options.read_chunk_size = kMiB;    // several ranged GETs per object
  options.list_page_size = 7;        // continuation after a handful of keys
  options.max_attempts = 4;
  options.base_backoff = std::chrono::milliseconds(10);
  options.max_backoff = std::chrono::milliseconds(100);
  return options;
}

class S3BlobStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { (void)test::shared_s3_server(); }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(temp_dir(), ec);
  }
  static fs::path temp_dir() {
    return fs::temp_directory_path() / ("cm-blob-s3-" + std::to_string(::getpid()));
  }

  void SetUp() override {
    store_ = std::make_unique<S3BlobStore>(options_for(test::shared_s3_server()));
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    prefix_ = std::string(info->name()) + "/";
  }

  std::string key(const std::string& name) const { return prefix_ + name; }

  std::uint64_t put(const std::string& k, const std::string& content) {
    StringSource source(content, 100'003);
    auto result = store_->put(k, source);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().detail());
    return result.ok() ? *result : 0;
  }
  std::string get(const std::string& k, ByteRange range = {}) {
    auto source = store_->open(k, range);
    if (!source.ok()) {
      ADD_FAILURE() << source.error().detail();
      return {};
    }
    return read_all(**source);
  }

  // Runs tests/s3/boto_client.py with the server's endpoint and credentials.
  test::ProgramResult boto(std::vector<std::string> args) {
    args.insert(args.begin(),
                {"/usr/bin/python3", cm::test::source_dir() + "/tests/s3/boto_client.py"});
    return test::run_program(args, {{"CM_S3_ENDPOINT", test::shared_s3_server().endpoint()},
                                    {"CM_S3_BUCKET", kBucket},
                                    {"AWS_ACCESS_KEY_ID", test::S3Server::kAccessKeyId},
                                    {"AWS_SECRET_ACCESS_KEY", test::S3Server::kSecretAccessKey},
                                    {"AWS_REGION", "us-east-1"}});
  }

  static fs::path temp_file(const std::string& name) {
    fs::create_directories(temp_dir());
    return temp_dir() / name;
  }

  std::unique_ptr<S3BlobStore> store_;
  std::string prefix_;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(S3BlobStoreTest, SinglePutAndGet) {
  EXPECT_EQ(put(key("doc"), "hello, contracts"), 16u);
  EXPECT_EQ(get(key("doc")), "hello, contracts");
  EXPECT_EQ(store_->backend(), "s3");
  EXPECT_TRUE(store_->check().value());
}

TEST_F(S3BlobStoreTest, EmptyObject) {
  EXPECT_EQ(put(key("empty"), ""), 0u);
  EXPECT_EQ(store_->stat(key("empty")).value()->size, 0u);
  EXPECT_EQ(get(key("empty")), "");
}

TEST_F(S3BlobStoreTest, MultipartPutStreamsPartsAndReadsBackInChunks) {
  // Two full 5 MiB parts and a short last one.
  const std::string content = test::random_bytes(2 * kMinPartSize + 12'345, 7);
  EXPECT_EQ(put(key("big"), content), content.size());
  EXPECT_EQ(store_->stat(key("big")).value()->size, content.size());
  EXPECT_EQ(get(key("big")), content);

  // What another client sees is the same object.
  const fs::path file = temp_file("big.bin");
  const auto fetched = boto({"get", key("big"), file.string()});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.output;
  EXPECT_TRUE(slurp(file) == content);
}

TEST_F(S3BlobStoreTest, ObjectOfExactlyOnePartIsOnePut) {
  const std::string content = test::random_bytes(kMinPartSize, 8);
  EXPECT_EQ(put(key("one-part"), content), content.size());
  EXPECT_TRUE(get(key("one-part")) == content);
  // One byte more takes the multipart path with a one-byte last part.
  const std::string plus_one = content + "!";
  EXPECT_EQ(put(key("one-part-plus-one"), plus_one), plus_one.size());
  EXPECT_TRUE(get(key("one-part-plus-one")) == plus_one);
}

TEST_F(S3BlobStoreTest, RangesAcrossChunkBoundaries) {
  const std::string content = test::random_bytes(3 * kMiB + 100, 9);
  put(key("ranged"), content);
  EXPECT_TRUE(get(key("ranged"), {kMiB - 10, 20}) == content.substr(kMiB - 10, 20));
  EXPECT_TRUE(get(key("ranged"), {kMiB + 1, std::nullopt}) == content.substr(kMiB + 1));
  EXPECT_TRUE(get(key("ranged"), {5, 2 * kMiB + 7}) == content.substr(5, 2 * kMiB + 7));
  EXPECT_TRUE(get(key("ranged"), {content.size() - 3, 100}) == content.substr(content.size() - 3));
  EXPECT_EQ(get(key("ranged"), {content.size(), std::nullopt}), "");
  EXPECT_EQ(get(key("ranged"), {content.size() + 1000, 5}), "");
  EXPECT_EQ(get(key("ranged"), {10, 0}), "");
}

TEST_F(S3BlobStoreTest, StatOfPresentAndMissingObjects) {
  const auto before = std::chrono::system_clock::now() - std::chrono::minutes(2);
  put(key("stat"), "12345");
  const auto info = store_->stat(key("stat")).value();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->key, key("stat"));
  EXPECT_EQ(info->size, 5u);
  EXPECT_GT(info->modified, before);
  EXPECT_LT(info->modified, std::chrono::system_clock::now() + std::chrono::minutes(2));
  EXPECT_FALSE(store_->stat(key("absent")).value());
}

TEST_F(S3BlobStoreTest, MissingObjectIsNotFound) {
  auto opened = store_->open(key("absent"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind(), ErrorKind::not_found);
  EXPECT_EQ(opened.error().detail(), "blob \"" + key("absent") + "\" not found");
  auto ranged = store_->open(key("absent"), {10, 0});
  ASSERT_FALSE(ranged.ok());
  EXPECT_EQ(ranged.error().kind(), ErrorKind::not_found);
}

TEST_F(S3BlobStoreTest, OverwriteReplacesTheObject) {
  put(key("k"), "a longer first version");
  put(key("k"), "second");
  EXPECT_EQ(get(key("k")), "second");
}

TEST_F(S3BlobStoreTest, ListFollowsContinuationTokens) {
  std::set<std::string> expected;
  for (int i = 0; i < 23; ++i) {
    const std::string k = key("list/" + std::to_string(100 + i));
    put(k, std::to_string(i));
    expected.insert(k);
  }
  put(key("lister"), "not under list/");
  std::vector<std::string> seen;
  std::uint64_t bytes = 0;
  ASSERT_TRUE(store_
                  ->list(key("list/"),
                         [&](const BlobInfo& info) {
                           seen.push_back(info.key);
                           bytes += info.size;
                         })
                  .value());
  EXPECT_EQ(seen.size(), 23u);  // across 4 pages of 7
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  EXPECT_EQ(bytes, 10u * 1 + 13u * 2);

  std::vector<std::string> all;
  ASSERT_TRUE(store_->list(key("list"), [&](const BlobInfo& i) { all.push_back(i.key); }).value());
  EXPECT_EQ(all.size(), 24u);
  std::vector<std::string> none;
  ASSERT_TRUE(
      store_->list(key("nothing/"), [&](const BlobInfo& i) { none.push_back(i.key); }).value());
  EXPECT_TRUE(none.empty());
}

TEST_F(S3BlobStoreTest, RemoveDeletesAndAbsentIsFine) {
  put(key("gone"), "x");
  EXPECT_TRUE(store_->remove(key("gone")).value());
  EXPECT_FALSE(store_->stat(key("gone")).value());
  EXPECT_EQ(store_->open(key("gone")).error().kind(), ErrorKind::not_found);
  EXPECT_TRUE(store_->remove(key("gone")).value());
  EXPECT_TRUE(store_->remove(key("never-was")).value());
}

TEST_F(S3BlobStoreTest, ObjectsWrittenByUsAreReadByBoto3AndTheOtherWayRound) {
  const std::string ours = test::random_bytes(300'000, 11);
  put(key("ours"), ours);
  const fs::path out = temp_file("ours.bin");
  const auto got = boto({"get", key("ours"), out.string()});
  ASSERT_EQ(got.exit_code, 0) << got.output;
  EXPECT_TRUE(slurp(out) == ours);
  const auto size = boto({"size", key("ours")});
  EXPECT_EQ(size.output, "300000\n");

  const std::string theirs = test::random_bytes(2 * kMiB + 5, 12);
  const fs::path in = temp_file("theirs.bin");
  std::ofstream(in, std::ios::binary) << theirs;
  const auto stored = boto({"put", key("theirs"), in.string()});
  ASSERT_EQ(stored.exit_code, 0) << stored.output;
  EXPECT_EQ(store_->stat(key("theirs")).value()->size, theirs.size());
  EXPECT_TRUE(get(key("theirs")) == theirs);
  EXPECT_TRUE(get(key("theirs"), {kMiB, 10}) == theirs.substr(kMiB, 10));

  EXPECT_TRUE(store_->remove(key("theirs")).value());
  EXPECT_EQ(boto({"size", key("theirs")}).output, "missing\n");
}

// A source that hands out `good_bytes` and then fails, like a client that disconnects.
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

TEST_F(S3BlobStoreTest, NoObjectWhenTheSourceFailsDuringAMultipartUpload) {
  FailingSource failing(kMinPartSize + kMiB);  // one part uploaded, then the failure
  EXPECT_THROW((void)store_->put(key("half"), failing), Error);
  EXPECT_FALSE(store_->stat(key("half")).value());

  put(key("kept"), "version 1");
  FailingSource again(kMinPartSize * 2 + 1);
  EXPECT_THROW((void)store_->put(key("kept"), again), Error);
  EXPECT_EQ(get(key("kept")), "version 1");

  FailingSource small(1000);  // fails before the single PUT is sent
  EXPECT_THROW((void)store_->put(key("small"), small), Error);
  EXPECT_FALSE(store_->stat(key("small")).value());
}

TEST_F(S3BlobStoreTest, ManyThreadsShareOneStore) {
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::string k = key(std::to_string(t) + "/" + std::to_string(i));
        const std::string content = test::random_bytes(50'000 + i, t * 100 + i);
        StringSource source(content);
        if (!store_->put(k, source).ok()) ++mismatches;
        auto opened = store_->open(k);
        if (!opened.ok() || read_all(**opened) != content) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(S3BlobStoreTest, TransientFailuresAreRetried) {
  // The server answers 503 SlowDown twice to each request under flaky-2/ (tests/s3/server.js).
  EXPECT_EQ(put(key("flaky-2/doc"), "eventually"), 10u);
  EXPECT_EQ(get(key("flaky-2/doc")), "eventually");

  S3Options impatient = options_for(test::shared_s3_server());
  impatient.max_attempts = 2;
  S3BlobStore store(impatient);
  StringSource source("x");
  auto result = store.put(key("flaky-3/doc"), source);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::unavailable);
  EXPECT_NE(result.error().detail().find("HTTP 503 (SlowDown"), std::string::npos)
      << result.error().detail();
}

TEST_F(S3BlobStoreTest, WrongSecretIsAClearCredentialsError) {
  S3Options wrong = options_for(test::shared_s3_server());
  wrong.credentials.secret_access_key = "not-the-secret";
  S3BlobStore store(wrong);
  StringSource source("x");
  auto result = store.put(key("denied"), source);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::unavailable);
  const std::string& detail = result.error().detail();
  EXPECT_NE(detail.find("S3 denied PUT of \"" + key("denied") + "\" in bucket \"cm-test\""),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("SignatureDoesNotMatch"), std::string::npos) << detail;
  EXPECT_NE(detail.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("not-the-secret"), std::string::npos) << "secret in message";
  EXPECT_FALSE(store.check().ok());
  EXPECT_EQ(store.open(key("denied")).error().kind(), ErrorKind::unavailable);
}

TEST_F(S3BlobStoreTest, UnknownAccessKeyIsAClearCredentialsError) {
  S3Options wrong = options_for(test::shared_s3_server());
  wrong.credentials.access_key_id = "AKIAUNKNOWN";
  S3BlobStore store(wrong);
  auto result = store.stat(key("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::unavailable);
  EXPECT_NE(result.error().detail().find("AWS_ACCESS_KEY_ID"), std::string::npos)
      << result.error().detail();
  auto opened = store.open(key("x"));
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().detail().find("InvalidAccessKeyId"), std::string::npos)
      << opened.error().detail();
}

TEST_F(S3BlobStoreTest, MissingBucketIsAConfigurationError) {
  S3Options missing = options_for(test::shared_s3_server());
  missing.bucket = "no-such-bucket";
  S3BlobStore store(missing);
  const std::string expected = "S3 bucket \"no-such-bucket\" at " +
                               test::shared_s3_server().endpoint() +
                               " does not exist (check S3_BUCKET, S3_ENDPOINT and S3_REGION)";
  StringSource source("x");
  auto put_result = store.put("k", source);
  ASSERT_FALSE(put_result.ok());
  EXPECT_EQ(put_result.error().kind(), ErrorKind::unavailable);
  EXPECT_EQ(put_result.error().detail(), expected);
  EXPECT_EQ(store.open("k").error().detail(), expected);
  EXPECT_EQ(store.stat("k").error().detail(), expected);
  EXPECT_EQ(store.check().error().detail(), expected);
  EXPECT_EQ(store.remove("k").error().detail(), expected);
  EXPECT_EQ(store.list("", [](const BlobInfo&) {}).error().detail(), expected);
}

TEST_F(S3BlobStoreTest, UnreachableEndpointIsUnavailableAfterBoundedRetries) {
  S3Options nowhere = options_for(test::shared_s3_server());
  nowhere.endpoint = "http://127.0.0.1:9";  // discard port: nothing listens
  nowhere.max_attempts = 3;
  S3BlobStore store(nowhere);
  const auto started = std::chrono::steady_clock::now();
  auto result = store.stat("k");
  ASSERT_FALSE(result.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(result.error().kind(), ErrorKind::unavailable);
  EXPECT_NE(result.error().detail().find("http://127.0.0.1:9"), std::string::npos)
      << result.error().detail();
  EXPECT_NE(result.error().detail().find("S3_ENDPOINT"), std::string::npos);
}

TEST_F(S3BlobStoreTest, FactoryBuildsTheS3Store) {
  BlobConfig config;
  config.backend = BlobBackend::s3;
  config.s3 = options_for(test::shared_s3_server());
  auto store = make_blob_store(config);
  ASSERT_TRUE(store.ok()) << store.error().detail();
  EXPECT_EQ((*store)->backend(), "s3");
  EXPECT_TRUE((*store)->check().value());

  config.s3.part_size = kMiB;
  auto refused = make_blob_store(config);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().detail().find("part size"), std::string::npos);
  config.s3.part_size = kMinPartSize;
  config.s3.endpoint = "ftp://example.com";
  EXPECT_FALSE(make_blob_store(config).ok());
}

}  // namespace
}  // namespace cm::blob
