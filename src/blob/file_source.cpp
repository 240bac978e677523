// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/file_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

namespace cm::blob {

FileRegionSource::FileRegionSource(const std::string& path, std::uint64_t offset,
                                   std::uint64_t length)
    : position_(offset), remaining_(length) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(ErrorKind::unavailable, "cannot read the uploaded file");
}

FileRegionSource::~FileRegionSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileRegionSource::read(char* out, std::size_t capacity) {
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining_));
  if (want == 0) return 0;
  ssize_t n;
  do {
    n = ::pread(fd_, out, want, static_cast<off_t>(position_));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) throw Error(ErrorKind::unavailable, "the uploaded file ended early");
  position_ += static_cast<std::uint64_t>(n);
  remaining_ -= static_cast<std::uint64_t>(n);
  return static_cast<std::size_t>(n);
}

namespace {
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

Result<std::uint64_t> copy_to_file(ByteSource& source, const std::string& path,
                                   std::uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const FdCloser closer{fd};
  if (fd < 0)
    return Error(ErrorKind::unavailable,
                 "cannot create " + path + ": " + std::system_category().message(errno));
  std::vector<char> buffer(std::size_t{64} * 1024);
  std::uint64_t total = 0;
  for (;;) {
    const std::size_t n = source.read(buffer.data(), buffer.size());
    if (n == 0) break;
    total += n;
    if (total > max_bytes) {
      return Error(ErrorKind::payload_too_large, "the file is larger than the limit");
    }
    for (std::size_t done = 0; done < n;) {
      const auto w = ::write(fd, buffer.data() + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        return Error(ErrorKind::unavailable,
                     "cannot write " + path + ": " + std::system_category().message(errno));
      }
      done += static_cast<std::size_t>(w);
    }
  }
  return total;
}

}  // namespace cm::blob
