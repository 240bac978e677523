// SPDX-License-Identifier: AGPL-3.0-or-later
// Put + get of a 5 MiB document through the blob store: the local store (temp file, fsync,
// rename, directory fsync, then a full read) always; an S3-compatible service only when
// CM_BENCH_S3_ENDPOINT is set (with CM_BENCH_S3_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// optional AWS_REGION and CM_BENCH_S3_PATH_STYLE=1), e.g. against the s3rver of the tests.
// Short runs only on shared machines:
//   build/bench/micro_bench --benchmark_filter=Blob --benchmark_min_time=1s

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "blob/local_blob_store.hpp"
#include "blob/s3_blob_store.hpp"

namespace cm::blob {
namespace {

constexpr std::size_t kDocumentBytes = 5 * kMiB;

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

const std::string& document() {
  static const std::string data = [] {
    std::string out(kDocumentBytes, '\0');
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (std::size_t i = 0; i < out.size(); ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      out[i] = static_cast<char>(x);
    }
    return out;
  }();
  return data;
}

void put_and_get(benchmark::State& state, BlobStore& store) {
  std::vector<char> buffer(std::size_t{256} * 1024);
  for (auto _ : state) {
    MemorySource source(document());
    auto put = store.put("bench/doc", source);
    if (!put) {
      state.SkipWithError(put.error().detail().c_str());
      return;
    }
    auto opened = store.open("bench/doc");
    if (!opened) {
      state.SkipWithError(opened.error().detail().c_str());
      return;
    }
    std::size_t total = 0;
    while (const std::size_t n = (*opened)->read(buffer.data(), buffer.size())) total += n;
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(state.iterations() * 2 * static_cast<std::int64_t>(kDocumentBytes));
}

void BM_BlobLocalPutGet5MiB(benchmark::State& state) {
  char templ[] = "/tmp/cm-blob-bench-XXXXXX";
  if (::mkdtemp(templ) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  {
    LocalBlobStore store(templ);
    put_and_get(state, store);
  }
  std::error_code ec;
  std::filesystem::remove_all(templ, ec);
}
BENCHMARK(BM_BlobLocalPutGet5MiB)->Unit(benchmark::kMillisecond);

std::string env(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): before any thread
  return value != nullptr ? value : "";
}

void BM_BlobS3PutGet5MiB(benchmark::State& state) {
  S3Options options;
  options.endpoint = env("CM_BENCH_S3_ENDPOINT");
  options.bucket = env("CM_BENCH_S3_BUCKET");
  options.force_path_style = env("CM_BENCH_S3_PATH_STYLE") == "1";
  if (!env("AWS_REGION").empty()) options.region = env("AWS_REGION");
  options.credentials = {env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"),
                         env("AWS_SESSION_TOKEN")};
  S3BlobStore store(options);
  put_and_get(state, store);
}

// Registered only when an endpoint is configured, so a plain run never touches the network.
[[maybe_unused]] const bool kS3Registered = [] {
  if (env("CM_BENCH_S3_ENDPOINT").empty()) return false;
  benchmark::RegisterBenchmark("BM_BlobS3PutGet5MiB", BM_BlobS3PutGet5MiB)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace cm::blob
