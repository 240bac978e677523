// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/local_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "blob/blob_key.hpp"
#include "core/crypto.hpp"

namespace cm::blob {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kCopyBufferBytes = std::size_t{256} * 1024;
constexpr std::string_view kTempPrefix = ".tmp-";
constexpr int kPutAttempts = 10;  // a concurrent remove() may prune a directory we just made

// An operator-facing error for a failed system call on `path`.
Error io_error(std::string_view action, const fs::path& path, int err) {
  std::string detail = "local blob store: cannot " + std::string(action) + " " + path.string() +
                       ": " + std::error_code(err, std::generic_category()).message();
  if (err == ENOSPC || err == EDQUOT) {
    detail += " (free disk space on the volume of DATA_DIR)";
  } else if (err == EACCES || err == EPERM || err == EROFS) {
    detail += " (the server's user needs read and write access to the blob directory)";
  }
  return {ErrorKind::unavailable, std::move(detail)};
}

class Fd {
 public:
  explicit Fd(int fd = -1) noexcept : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }
  // Closes now; returns the errno of close() or 0.
  int reset() noexcept {
    int err = 0;
    if (fd_ >= 0 && ::close(fd_) != 0) err = errno;
    fd_ = -1;
    return err;
  }

 private:
  int fd_;
};

Result<bool> fsync_directory(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("fsync directory", dir, errno);
  return true;
}

std::chrono::system_clock::time_point modified_time(const struct stat& st) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
}

// Creates `dir` and its missing parents below `root` (which must exist), fsyncing each parent
// whose entries changed so a new directory survives a crash. False when a directory vanished on
// the way (a concurrent remove() pruned it): the caller tries again.
Result<bool> ensure_directories(const fs::path& root, const fs::path& dir, const std::string& key) {
  fs::path current = root;
  for (const auto& part : dir.lexically_relative(root)) {
    if (part == ".") continue;
    const fs::path next = current / part;
    if (::mkdir(next.c_str(), 0750) == 0) {
      Fd parent(::open(current.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (parent.get() < 0 && errno == ENOENT) return false;
      if (parent.get() < 0) return io_error("open directory", current, errno);
      if (::fsync(parent.get()) != 0) return io_error("fsync directory", current, errno);
    } else if (errno == ENOENT) {
      return false;
    } else if (errno == EEXIST) {
      struct stat st {};
      if (::lstat(next.c_str(), &st) != 0) {
        if (errno == ENOENT) return false;
        return io_error("inspect", next, errno);
      }
      if (!S_ISDIR(st.st_mode)) {
        return Error(ErrorKind::conflict, "blob key \"" + key + "\" needs " + next.string() +
                                              " to be a directory, but an object is stored there");
      }
    } else {
      return io_error("create directory", next, errno);
    }
    current = next;
  }
  return true;
}

Result<bool> ensure_root(const fs::path& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return io_error("create directory", root, ec.value());
  if (!fs::is_directory(root, ec)) {
    return Error(ErrorKind::unavailable,
                 "local blob store: " + root.string() + " exists but is not a directory");
  }
  return true;
}

Result<bool> write_all(int fd, const char* data, std::size_t size, const fs::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path, errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Reads a byte range of an open file; owns the descriptor.
class FileSource final : public ByteSource {
 public:
  FileSource(int fd, fs::path path, std::uint64_t remaining)
      : fd_(fd), path_(std::move(path)), remaining_(remaining) {}

  std::size_t read(char* out, std::size_t capacity) override {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining_));
    if (want == 0) return 0;
    while (true) {
      const ssize_t n = ::read(fd_.get(), out, want);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw io_error("read", path_, errno);
      remaining_ -= static_cast<std::uint64_t>(n);
      if (n == 0) remaining_ = 0;  // truncated underneath us (never by this store)
      return static_cast<std::size_t>(n);
    }
  }

 private:
  Fd fd_;
  fs::path path_;
  std::uint64_t remaining_;
};

// Segments of `prefix` before its last '/', when each is a valid key segment: the directory to
// start listing from. Anything else starts from the root (strings are compared, never opened).
fs::path list_start(std::string_view prefix) {
  const auto slash = prefix.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  const std::string_view dir = prefix.substr(0, slash);
  if (key_problem(dir)) return {};
  return fs::path(std::string(dir));
}

struct DirEntry {
  std::string name;
  struct stat st;
};

// Entries of `dir` sorted by name, symlinks and others skipped; a directory that vanished is empty.
Result<std::vector<DirEntry>> sorted_entries(const fs::path& dir) {
  std::vector<DirEntry> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return out;
    return io_error("list", dir, ec.value());
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return io_error("list", dir, ec.value());
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;  // removed meanwhile
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) continue;
    out.push_back({it->path().filename().string(), st});
  }
  if (ec) return io_error("list", dir, ec.value());
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

}  // namespace

LocalBlobStore::LocalBlobStore(std::filesystem::path root) : root_(std::move(root)) {}

Result<bool> LocalBlobStore::check() {
  if (auto ok = ensure_root(root_); !ok) return ok;
  if (::access(root_.c_str(), R_OK | W_OK | X_OK) != 0) return io_error("write to", root_, errno);
  return true;
}

Result<std::uint64_t> LocalBlobStore::put(const std::string& key, ByteSource& source) {
  if (auto valid = check_key(key); !valid) return valid.error();
  if (auto ok = ensure_root(root_); !ok) return ok.error();
  const fs::path target = root_ / key;
  const fs::path dir = target.parent_path();

  fs::path temp;
  Fd fd;
  for (int attempt = 1; fd.get() < 0; ++attempt) {
    auto made = ensure_directories(root_, dir, key);
    if (!made) return made.error();
    if (*made) {
      temp = dir / (std::string(kTempPrefix) + crypto::hex_encode(crypto::random_bytes(8)));
      fd = Fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
      if (fd.get() < 0 && errno != ENOENT) return io_error("create", temp, errno);
    }
    if (fd.get() < 0 && attempt >= kPutAttempts) {
      return Error(ErrorKind::unavailable,
                   "local blob store: " + dir.string() +
                       " kept disappearing while writing (concurrent deletes); try again");
    }
  }

  // Until the rename, the temporary file is ours to delete on every way out (errors, exceptions
  // thrown by the source).
  struct TempGuard {
    const fs::path& path;
    bool armed = true;
    ~TempGuard() {
      if (armed) ::unlink(path.c_str());
    }
  } guard{temp};

  const auto buffer = std::make_unique<char[]>(kCopyBufferBytes);
  std::uint64_t total = 0;
  while (true) {
    const std::size_t n = source.read(buffer.get(), kCopyBufferBytes);
    if (n == 0) break;
    if (auto ok = write_all(fd.get(), buffer.get(), n, temp); !ok) return ok.error();
    total += n;
  }
  if (::fsync(fd.get()) != 0) return io_error("fsync", temp, errno);
  if (const int err = fd.reset(); err != 0) return io_error("close", temp, err);

  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    if (err == EISDIR || err == ENOTEMPTY || err == EEXIST) {
      return Error(ErrorKind::conflict, "blob key \"" + key +
                                            "\" is the directory of other objects in " +
                                            root_.string() + "; it cannot also be an object");
    }
    return io_error("rename into place", target, err);
  }
  guard.armed = false;
  if (auto synced = fsync_directory(dir); !synced) return synced.error();
  return total;
}

Result<std::unique_ptr<ByteSource>> LocalBlobStore::open(const std::string& key, ByteRange range) {
  if (auto valid = check_key(key); !valid) return valid.error();
  const fs::path path = root_ / key;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
      return not_found("blob \"" + key + "\"");
    return io_error("open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("inspect", path, errno);
  if (!S_ISREG(st.st_mode)) return not_found("blob \"" + key + "\"");

  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (range.offset >= size) return std::unique_ptr<ByteSource>(std::make_unique<EmptySource>());
  std::uint64_t remaining = size - range.offset;
  if (range.length) remaining = std::min(remaining, *range.length);
  if (range.offset > 0 && ::lseek(fd.get(), static_cast<off_t>(range.offset), SEEK_SET) < 0) {
    return io_error("seek in", path, errno);
  }
  return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(fd.release(), path, remaining));
}

Result<std::optional<BlobInfo>> LocalBlobStore::stat(const std::string& key) {
  if (auto valid = check_key(key); !valid) return valid.error();
  const fs::path path = root_ / key;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<BlobInfo>();
    return io_error("inspect", path, errno);
  }
  if (!S_ISREG(st.st_mode)) return std::optional<BlobInfo>();
  return std::optional<BlobInfo>(
      BlobInfo{key, static_cast<std::uint64_t>(st.st_size), modified_time(st)});
}

Result<bool> LocalBlobStore::remove(const std::string& key) {
  if (auto valid = check_key(key); !valid) return valid.error();
  const fs::path path = root_ / key;
  if (::unlink(path.c_str()) != 0) {
    // Absent, or a directory of other objects (not an object itself): nothing to delete.
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return true;
    return io_error("delete", path, errno);
  }
  fs::path dir = path.parent_path();
  {
    // A concurrent remove() of a neighbour may already have pruned the directory: then its
    // parent's entry is what changed, and the deletion is as durable as theirs.
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 && errno != ENOENT) return io_error("open directory", dir, errno);
    if (fd.get() >= 0 && ::fsync(fd.get()) != 0) return io_error("fsync directory", dir, errno);
  }
  // Empty directories are pruned so millions of deleted documents leave no trail. rmdir fails
  // harmlessly on a directory that is not empty (or that a concurrent put is filling).
  while (dir != root_ && dir.native().size() > root_.native().size()) {
    if (::rmdir(dir.c_str()) != 0) break;
    dir = dir.parent_path();
  }
  return true;
}

Result<bool> LocalBlobStore::list(std::string_view prefix,
                                  const std::function<void(const BlobInfo&)>& each) {
  const fs::path start = list_start(prefix);
  const std::string start_key = start.empty() ? std::string() : start.string() + "/";

  // Depth-first over sorted entries; `key_prefix` is the key of `dir` plus '/'.
  std::function<Result<bool>(const fs::path&, const std::string&)> walk =
      [&](const fs::path& dir, const std::string& key_prefix) -> Result<bool> {
    auto entries = sorted_entries(dir);
    if (!entries) return entries.error();
    for (const auto& entry : *entries) {
      if (entry.name.starts_with('.')) continue;  // temporary files (never keys)
      const std::string key = key_prefix + entry.name;
      if (S_ISDIR(entry.st.st_mode)) {
        const std::string as_dir = key + "/";
        // Descend only where keys can still match the prefix.
        if (as_dir.starts_with(prefix) || prefix.starts_with(as_dir)) {
          if (auto ok = walk(dir / entry.name, as_dir); !ok) return ok;
        }
      } else if (key.starts_with(prefix)) {
        each(BlobInfo{key, static_cast<std::uint64_t>(entry.st.st_size), modified_time(entry.st)});
      }
    }
    return true;
  };
  return walk(root_ / start, start_key);
}

Result<std::uint64_t> LocalBlobStore::remove_stale_temp_files(std::chrono::seconds older_than) {
  const auto cutoff = std::chrono::system_clock::now() - older_than;
  std::uint64_t removed = 0;
  std::function<Result<bool>(const fs::path&)> walk = [&](const fs::path& dir) -> Result<bool> {
    auto entries = sorted_entries(dir);
    if (!entries) return entries.error();
    for (const auto& entry : *entries) {
      if (S_ISDIR(entry.st.st_mode)) {
        if (auto ok = walk(dir / entry.name); !ok) return ok;
      } else if (entry.name.starts_with(kTempPrefix) && modified_time(entry.st) < cutoff) {
        const fs::path path = dir / entry.name;
        if (::unlink(path.c_str()) == 0) {
          ++removed;
        } else if (errno != ENOENT) {
          return io_error("delete", path, errno);
        }
      }
    }
    return true;
  };
  if (auto ok = walk(root_); !ok) return ok.error();
  return removed;
}

}  // namespace cm::blob
