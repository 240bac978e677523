// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What the fuzz targets share: a property check that aborts (libFuzzer then keeps the input),
// a scratch file for parsers that read files, and the rule that the code under test may throw
// cm::Error (what it throws for bad input) and nothing else.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <string_view>

#include "core/error.hpp"

#define CM_FUZZ_CHECK(cond)                                   \
  do {                                                        \
    if (!(cond)) ::cm::fuzz::fail(__FILE__, __LINE__, #cond); \
  } while (0)

namespace cm::fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
  std::abort();
}

// Runs `f`; a cm::Error is an accepted outcome for hostile input, any other exception a bug.
template <class F>
void only_cm_errors(F&& f) {
  try {
    f();
  } catch (const cm::Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception (not cm::Error): %s\n", e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "unexpected exception of unknown type\n");
    std::abort();
  }
}

// One scratch file per process (libFuzzer's -jobs/-fork run several), rewritten per input.
inline const std::string& scratch_path() {
  static const std::string path = [] {
    // Memory-backed /dev/shm when there is one: a file per input on disk is slow.
    const char* dir = std::getenv("TMPDIR");
    const std::string base = dir && *dir                       ? dir
                             : ::access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                                                               : "/tmp";
    return base + "/cm-fuzz-" + std::to_string(::getpid());
  }();
  static const bool cleanup = [] {
    return std::atexit([] { std::remove(scratch_path().c_str()); }) == 0;
  }();
  (void)cleanup;
  return path;
}

inline const std::string& write_scratch(std::string_view bytes) {
  const auto& path = scratch_path();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) fail(__FILE__, __LINE__, "cannot write the scratch file");
  return path;
}

// Valid UTF-8 with no C0 controls but tab, LF and form feed, and no DEL: what extracted text
// promises (extract.hpp).
inline bool is_clean_text(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\f') || c == 0x7f) return false;
  }
  return true;
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace cm::fuzz
