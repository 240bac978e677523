// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Plain files as byte streams: a region of a file as a ByteSource (a spooled upload or one
// multipart part of it), and a ByteSource copied into a file (for tools that need a path).

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/result.hpp"
#include "core/stream.hpp"

namespace cm::blob {

class FileRegionSource final : public ByteSource {
 public:
  // Throws cm::Error(unavailable) when the file cannot be opened.
  FileRegionSource(const std::string& path, std::uint64_t offset, std::uint64_t length);
  ~FileRegionSource() override;
  FileRegionSource(const FileRegionSource&) = delete;
  FileRegionSource& operator=(const FileRegionSource&) = delete;
  std::size_t read(char* out, std::size_t capacity) override;

 private:
  int fd_ = -1;
  std::uint64_t position_;
  std::uint64_t remaining_;
};

// Copies `source` into a new file at `path` (created 0600); returns the byte count. Stops with
// payload_too_large past `max_bytes`.
Result<std::uint64_t> copy_to_file(ByteSource& source, const std::string& path,
                                   std::uint64_t max_bytes);

}  // namespace cm::blob
