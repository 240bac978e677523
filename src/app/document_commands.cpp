// SPDX-License-Identifier: AGPL-3.0-or-later
// Operator commands for documents: encryption keys and blob garbage collection.

#include <iostream>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "app/document_setup.hpp"
#include "core/envelope.hpp"
#include "jobs/document_maintenance.hpp"

namespace cm::app {

int keys_generate_command() {
  std::cout << envelope::generate_key_base64() << "\n";
  return 0;
}

int keys_rotate_command(const Config& config) {
  if (config.encryption_key.empty()) {
    std::cerr << "contractmgmt: keys rotate needs ENCRYPTION_KEY (the new key) and "
                 "ENCRYPTION_KEYS_OLD (the keys it replaces)\n";
    return 2;
  }
  auto keys = envelope::parse_key_ring(config.encryption_key, config.encryption_keys_old);
  if (!keys) {
    std::cerr << "contractmgmt: " << keys.error().detail() << "\n";
    return 2;
  }
  auto db = open_configured_database(config);
  if (!db) return 1;
  const auto report = jobs::rotate_keys(*db, *keys);
  if (!report) {
    std::cerr << "contractmgmt: key rotation stopped: " << report.error().detail() << "\n";
    return 1;
  }
  std::cout << "re-wrapped " << report->rewrapped << " data keys under key " << keys->primary_id()
            << "\n";
  if (report->unencrypted > 0)
    std::cout << report->unencrypted
              << " document versions were stored before encryption was configured and stay "
                 "unencrypted\n";
  std::cout << "once this reports 0 re-wrapped keys, ENCRYPTION_KEYS_OLD can be removed\n";
  return 0;
}

int blobs_gc_command(const Config& config, int grace_minutes) {
  auto db = open_configured_database(config);
  if (!db) return 1;
  auto storage = open_document_storage(config);
  if (!storage) return 1;
  const auto report = jobs::gc_blobs(*db, *storage->blobs, std::chrono::minutes(grace_minutes));
  if (!report) {
    std::cerr << "contractmgmt: blob garbage collection stopped: " << report.error().detail()
              << "\n";
    return 1;
  }
  std::cout << "scanned " << report->scanned << " blobs, removed " << report->removed
            << " unreferenced, kept " << report->kept_young
            << " unreferenced within the grace period\n";
  return 0;
}

}  // namespace cm::app
