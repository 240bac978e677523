// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A fresh, fully migrated SQLite database for unit tests of the layers above the store: the
// migrations run once per process into a template file, and each call copies it (a file copy
// instead of ten migrations' worth of fsyncs per test). Header-only: only binaries that link
// cm_store include it.

#include <filesystem>
#include <mutex>
#include <string>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/sqlite_url.hpp"

namespace cm::test {

inline std::string fresh_migrated_sqlite_url(const std::string& prefix) {
  static std::once_flag once;
  static std::filesystem::path template_file;
  std::call_once(once, [] {
    const auto url = fresh_sqlite_url("migrated-template");
    {
      store::DatabaseOptions options;
      options.url = url;
      options.pool_min = 1;
      options.pool_max = 1;
      auto db = store::open_database(options);
      store::Migrator(*db).apply_pending();
    }  // closed: the WAL is checkpointed into the file
    template_file = url.substr(std::string("sqlite://").size());
  });
  const auto url = fresh_sqlite_url(prefix);
  const std::filesystem::path file = url.substr(std::string("sqlite://").size());
  std::filesystem::copy_file(template_file, file);
  // In case the pool left a WAL behind: its pages are part of the database.
  const auto wal = template_file.string() + "-wal";
  if (std::filesystem::exists(wal)) std::filesystem::copy_file(wal, file.string() + "-wal");
  return url;
}

}  // namespace cm::test
