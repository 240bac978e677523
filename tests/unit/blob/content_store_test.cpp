// SPDX-License-Identifier: AGPL-3.0-or-later
// The content store over a real local blob store: hashes, encryption at rest, ranges through
// encrypted chunks, tamper detection and key rotation.

#include "blob/content_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "blob/local_blob_store.hpp"
#include "core/crypto.hpp"
#include "core/envelope.hpp"
#include "support/blob_streams.hpp"

namespace cm::blob {
namespace {

namespace fs = std::filesystem;
using test::read_all;
using test::StringSource;

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7919) % 251);
  return s;
}

class ContentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/cm-content-XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir_ = templ;
    blobs_ = std::make_unique<LocalBlobStore>(dir_ / "blobs");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  DocumentVersion version_of(const StoredContent& s) {
    DocumentVersion v;
    v.blob_key = s.blob_key;
    v.size = s.size;
    v.key_id = s.key_id;
    v.wrapped_key = s.wrapped_key;
    return v;
  }
  std::string stored_bytes(const std::string& key) {
    std::ifstream in(dir_ / "blobs" / key, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  fs::path dir_;
  std::unique_ptr<LocalBlobStore> blobs_;
  envelope::SecretKey old_key_ = envelope::SecretKey::random();
  envelope::KeyRing keys_{old_key_};
};

TEST_F(ContentStoreTest, EncryptedRoundTripWithHashOfThePlaintext) {
  ContentStore content(*blobs_, &keys_);
  const auto plain = pattern(200'000);
  StringSource source(plain);
  const auto stored = content.store("documents/o/a", source);
  ASSERT_TRUE(stored.ok()) << stored.error().detail();
  EXPECT_EQ(stored->size, plain.size());
  EXPECT_EQ(stored->sha256, crypto::sha256_hex(plain));
  EXPECT_EQ(stored->stored_size, envelope::ciphertext_size(plain.size()));
  EXPECT_EQ(stored->key_id, keys_.primary_id());
  EXPECT_EQ(stored_bytes("documents/o/a").find(plain.substr(0, 64)), std::string::npos);
  auto opened = content.open(version_of(*stored));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(read_all(**opened), plain);
}

TEST_F(ContentStoreTest, RangesAcrossEncryptedChunkBoundaries) {
  ContentStore content(*blobs_, &keys_);
  const auto plain = pattern(300'000);
  StringSource source(plain);
  const auto v = version_of(content.store("documents/o/r", source).value());
  for (const auto& [offset, length] : {std::pair<std::uint64_t, std::uint64_t>{0, 10},
                                       {65'530, 20},
                                       {131'072, 65'536},
                                       {299'990, 10}}) {
    auto opened = content.open(v, ByteRange{offset, length});
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(read_all(**opened), plain.substr(offset, length)) << offset;
  }
  auto tail = content.open(v, ByteRange{250'000, std::nullopt});
  EXPECT_EQ(read_all(**tail), plain.substr(250'000));
}

TEST_F(ContentStoreTest, UnencryptedStoreKeepsPlainBytesAndRanges) {
  ContentStore content(*blobs_, nullptr);
  const auto plain = pattern(1000);
  StringSource source(plain);
  const auto stored = content.store("documents/o/p", source).value();
  EXPECT_FALSE(stored.key_id.has_value());
  EXPECT_EQ(stored_bytes("documents/o/p"), plain);
  auto opened = content.open(version_of(stored), ByteRange{100, 50});
  EXPECT_EQ(read_all(**opened), plain.substr(100, 50));
}

TEST_F(ContentStoreTest, TamperedContentFailsInsteadOfReturningGarbage) {
  ContentStore content(*blobs_, &keys_);
  StringSource source(pattern(100'000));
  const auto v = version_of(content.store("documents/o/t", source).value());
  auto bytes = stored_bytes("documents/o/t");
  bytes[bytes.size() / 2] ^= 0x01;
  std::ofstream(dir_ / "blobs" / "documents/o/t", std::ios::binary | std::ios::trunc) << bytes;
  auto opened = content.open(v);
  ASSERT_TRUE(opened.ok());
  try {
    read_all(**opened);
    FAIL() << "tampered content was returned";
  } catch (const Error& e) {
    EXPECT_EQ(e.detail(), envelope::kContentAuthFailed);
  }
}

TEST_F(ContentStoreTest, AfterRotationOnlyTheNewKeyIsNeeded) {
  ContentStore old_content(*blobs_, &keys_);
  const auto plain = pattern(5000);
  StringSource source(plain);
  auto v = version_of(old_content.store("documents/o/k", source).value());

  const auto new_key = envelope::SecretKey::random();
  const envelope::KeyRing only_new(new_key);
  ContentStore new_content(*blobs_, &only_new);
  // Before rotation the new key alone cannot read it: a configuration error, not garbage.
  auto refused = new_content.open(v);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::unavailable);
  EXPECT_NE(refused.error().detail().find("ENCRYPTION_KEYS_OLD"), std::string::npos);

  const envelope::KeyRing during(new_key, {old_key_});
  const auto rewrapped = envelope::rewrap(during, {*v.key_id, *v.wrapped_key}).value();
  EXPECT_EQ(rewrapped.key_id, only_new.primary_id());
  v.key_id = rewrapped.key_id;
  v.wrapped_key = rewrapped.wrapped;
  auto opened = new_content.open(v);
  ASSERT_TRUE(opened.ok()) << opened.error().detail();
  EXPECT_EQ(read_all(**opened), plain);
}

}  // namespace
}  // namespace cm::blob
