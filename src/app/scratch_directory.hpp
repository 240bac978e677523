// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// DATA_DIR/tmp: upload bodies while they arrive (`cm-upload-*`, serve) and decrypted copies
// being extracted (`extract-*`, worker). Each process removes its own files, but a process
// killed with SIGKILL cannot; the next start sweeps what such a crash left behind.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

#include "app/config.hpp"
#include "obs/logger.hpp"

namespace cm::app {

std::string scratch_directory(const Config& config);

// Older than any request or extraction that could still be using a file: an upload is bounded
// by REQUEST_TIMEOUT, an extraction by its helper's limits, both far below this.
inline constexpr std::chrono::minutes kScratchMaxAge{60};

// Creates `dir` and removes the regular files in it that carry our prefixes and were last
// written more than `max_age` ago; returns how many it removed. Other files are left alone.
std::size_t sweep_scratch_directory(const std::filesystem::path& dir,
                                    std::chrono::minutes max_age = kScratchMaxAge);

// At start-up of serve and worker: sweeps scratch_directory(config), logging what it removed.
void sweep_scratch(const Config& config, const obs::Logger& log);

}  // namespace cm::app
