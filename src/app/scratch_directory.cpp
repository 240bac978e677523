// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/scratch_directory.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "http/server.hpp"
#include "jobs/document_jobs.hpp"

namespace cm::app {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 2> kScratchPrefixes{http::kSpoolFilePrefix,
                                                         jobs::kExtractScratchPrefix};

bool is_scratch_name(std::string_view name) {
  for (const auto prefix : kScratchPrefixes)
    if (name.starts_with(prefix)) return true;
  return false;
}

}  // namespace

std::string scratch_directory(const Config& config) {
  return config.data_dir + "/tmp";
}

std::size_t sweep_scratch_directory(const fs::path& dir, std::chrono::minutes max_age) {
  fs::create_directories(dir);
  const auto cutoff = fs::file_time_type::clock::now() - max_age;
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!is_scratch_name(it->path().filename().string())) continue;
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;
    const auto written = it->last_write_time(file_ec);
    if (file_ec || written >= cutoff) continue;
    // Another process may remove it first (its own file, finished just now): not an error.
    if (fs::remove(it->path(), file_ec)) ++removed;
  }
  return removed;
}

void sweep_scratch(const Config& config, const obs::Logger& log) {
  const auto dir = scratch_directory(config);
  if (const auto removed = sweep_scratch_directory(dir); removed > 0)
    log.info("removed files an earlier process left behind",
             {{"directory", dir}, {"files", static_cast<std::int64_t>(removed)}});
}

}  // namespace cm::app
