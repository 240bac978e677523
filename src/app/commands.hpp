#pragma once
// The subcommands of the `contractmgmt` binary. Each returns the process exit code:
// 0 success, 1 runtime failure, 2 usage or configuration error.

#include <optional>
#include <string>

#include "app/config.hpp"

namespace cm::app {

int serve_command(const Config& config);
int migrate_command(const Config& config, bool status_only);

struct UserCreateOptions {
  std::string org;
  std::string email;
  std::string role;
  std::string name;
};
int user_create_command(const Config& config, const UserCreateOptions& options);
int audit_verify_command(const Config& config, const std::optional<std::string>& org_id);

struct SeedOptions {
  std::string org;
  int contracts = 100'000;
  int counterparties = 500;
};
int seed_command(const Config& config, const SeedOptions& options);

int keys_generate_command();
int keys_rotate_command(const Config& config);
int blobs_gc_command(const Config& config, int grace_minutes);

}  // namespace cm::app
