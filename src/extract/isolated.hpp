// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Text extraction in a child process: a hostile document can crash poppler, exhaust memory or
// loop forever, and none of that may reach the server or the worker.
//
// extract_text_isolated() posix_spawn()s `<executable> extract-text --type T --file F ...`
// (the hidden subcommand of contractmgmt, which calls run_extract_text_helper()). The helper
// sets RLIMIT_AS / RLIMIT_CPU / RLIMIT_FSIZE (the frame's size) / RLIMIT_CORE=0, extracts,
// and writes one length-prefixed frame to stdout. The parent reads at most the frame's
// worst-case size, SIGKILLs the helper's process group when the wall-clock timeout passes, and
// turns every way the helper can die into a failed Extraction with a reason:
//   "timed out after 30 s", "exceeded memory limit", "exceeded CPU time limit",
//   "crashed (signal 11)", "output exceeded the limit", "helper exited with status 3".

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "extract/document_type.hpp"
#include "extract/extract.hpp"

namespace cm::extract {

// The same contract as extract_text(), run in a helper process. DOC/PNG/JPEG are answered as
// unsupported without starting one. Error kind unavailable when the helper cannot be started.
// Safe to call from many threads at once.
Result<Extraction> extract_text_isolated(const std::string& executable, const std::string& path,
                                         const DocumentType& type,
                                         const ExtractLimits& limits = {});

// The running binary (/proc/self/exe), to pass as `executable`.
std::string self_executable();

// The helper side: what `contractmgmt extract-text` runs. The option names are those that
// extract_text_isolated() passes (see isolated.cpp); main.cpp registers them.
struct HelperOptions {
  std::string type;
  std::string file;
  ExtractLimits limits;
};
// Applies the rlimits, extracts and writes the frame to stdout. Returns the exit code: 0 when a
// frame was written (whatever the extraction's status), 2 for a bad --type.
int run_extract_text_helper(const HelperOptions& options);

}  // namespace cm::extract
