// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Blobs as files under one root directory (DATA_DIR/blobs by default): key "org/a/b" is the file
// <root>/org/a/b. A put writes a temporary file (".tmp-<random>") next to the target, fsyncs it,
// renames it over the target and fsyncs the directory, so the key holds either the old or the new
// complete object, also after a crash. Temporary files left by a crash are never listed (key
// segments cannot start with '.') and remove_stale_temp_files() deletes them.

#include <chrono>
#include <cstdint>
#include <filesystem>

#include "blob/blob_store.hpp"

namespace cm::blob {

class LocalBlobStore final : public BlobStore {
 public:
  // Does no I/O; the root is created by the first put (check() reports a root that cannot be).
  explicit LocalBlobStore(std::filesystem::path root);

  Result<std::uint64_t> put(const std::string& key, ByteSource& source) override;
  Result<std::unique_ptr<ByteSource>> open(const std::string& key, ByteRange range = {}) override;
  Result<std::optional<BlobInfo>> stat(const std::string& key) override;
  // Also removes directories the deletion left empty (never the root).
  Result<bool> remove(const std::string& key) override;
  // Keys in lexicographic order of their segments.
  Result<bool> list(std::string_view prefix,
                    const std::function<void(const BlobInfo&)>& each) override;
  std::string_view backend() const noexcept override { return "local"; }
  // Creates the root if needed and checks that it is a writable directory.
  Result<bool> check() override;

  // Deletes temporary files older than `older_than` (left by crashed or killed writers; a
  // running put's file is younger). Returns how many were removed.
  Result<std::uint64_t> remove_stale_temp_files(std::chrono::seconds older_than);

  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace cm::blob
