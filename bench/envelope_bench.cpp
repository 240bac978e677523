// SPDX-License-Identifier: AGPL-3.0-or-later
// Throughput of encryption at rest: a 5 MiB document through EncryptingSource / DecryptingSource
// compared with the same bytes moved through the same ByteSource plumbing without encryption,
// and the per-blob cost of making and unwrapping a data key.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/envelope.hpp"

namespace cm::envelope {
namespace {

constexpr std::size_t kDocumentBytes = std::size_t{5} * 1024 * 1024;
constexpr std::size_t kReadBytes = std::size_t{64} * 1024;  // what an HTTP body writer asks for

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(const std::string& data) : data_(data) {}
  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, data_.size() - pos_);
    std::memcpy(out, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  const std::string& data_;
  std::size_t pos_ = 0;
};

// Stands in for a socket or file: takes the bytes, keeps a checksum so nothing is optimised out.
class DiscardSink final : public ByteSink {
 public:
  void write(std::string_view bytes) override {
    total_ += bytes.size();
    if (!bytes.empty()) check_ ^= static_cast<unsigned char>(bytes.back());
  }
  void finish() override {}
  std::uint64_t total() const { return total_; }

 private:
  std::uint64_t total_ = 0;
  unsigned check_ = 0;
};

void pump(ByteSource& source, ByteSink& sink) {
  static thread_local std::vector<char> buffer(kReadBytes);
  while (const std::size_t n = source.read(buffer.data(), buffer.size()))
    sink.write({buffer.data(), n});
  sink.finish();
}

const std::string& document() {
  static const std::string doc = [] {
    std::string d(kDocumentBytes, '\0');
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<char>((i * 2654435761u) >> 13);
    return d;
  }();
  return doc;
}

void report(benchmark::State& state, std::uint64_t bytes_per_iteration) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes_per_iteration));
}

void BM_PlainCopy(benchmark::State& state) {
  for (auto _ : state) {
    MemorySource source(document());
    DiscardSink sink;
    pump(source, sink);
    benchmark::DoNotOptimize(sink.total());
  }
  report(state, kDocumentBytes);
}
BENCHMARK(BM_PlainCopy);

void BM_Encrypt(benchmark::State& state) {
  const SecretKey key = SecretKey::random();
  for (auto _ : state) {
    MemorySource source(document());
    EncryptingSource encrypting(source, key);
    DiscardSink sink;
    pump(encrypting, sink);
    benchmark::DoNotOptimize(sink.total());
  }
  report(state, kDocumentBytes);
}
BENCHMARK(BM_Encrypt);

void BM_Decrypt(benchmark::State& state) {
  const SecretKey key = SecretKey::random();
  std::string cipher;
  {
    MemorySource source(document());
    EncryptingSource encrypting(source, key);
    std::vector<char> buffer(kReadBytes);
    while (const std::size_t n = encrypting.read(buffer.data(), buffer.size()))
      cipher.append(buffer.data(), n);
  }
  for (auto _ : state) {
    MemorySource source(cipher);
    DecryptingSource decrypting(source, key);
    DiscardSink sink;
    pump(decrypting, sink);
    benchmark::DoNotOptimize(sink.total());
  }
  report(state, kDocumentBytes);
}
BENCHMARK(BM_Decrypt);

// Upload and download of the same document back to back: plaintext -> ciphertext -> plaintext.
void BM_EncryptThenDecrypt(benchmark::State& state) {
  const SecretKey key = SecretKey::random();
  for (auto _ : state) {
    MemorySource source(document());
    EncryptingSource encrypting(source, key);
    DecryptingSource decrypting(encrypting, key);
    DiscardSink sink;
    pump(decrypting, sink);
    if (sink.total() != kDocumentBytes) state.SkipWithError("round trip lost bytes");
  }
  report(state, kDocumentBytes);
}
BENCHMARK(BM_EncryptThenDecrypt);

void BM_EncryptingSink(benchmark::State& state) {
  const SecretKey key = SecretKey::random();
  for (auto _ : state) {
    MemorySource source(document());
    DiscardSink out;
    EncryptingSink encrypting(out, key);
    pump(source, encrypting);
    benchmark::DoNotOptimize(out.total());
  }
  report(state, kDocumentBytes);
}
BENCHMARK(BM_EncryptingSink);

// Per-document overhead outside the content: a fresh data key wrapped, then unwrapped.
void BM_NewDataKeyAndUnwrap(benchmark::State& state) {
  const KeyRing ring(SecretKey::random(), {SecretKey::random()});
  for (auto _ : state) {
    DataKey dk = new_data_key(ring);
    auto key = unwrap(ring, dk.wrapped);
    benchmark::DoNotOptimize(key.ok());
  }
}
BENCHMARK(BM_NewDataKeyAndUnwrap);

}  // namespace
}  // namespace cm::envelope
