// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The subcommands of the `contractmgmt` binary. Each returns the process exit code:
// 0 success, 1 runtime failure, 2 usage or configuration error.

#include <cstdint>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "core/user.hpp"

namespace cm::store {
class Database;
}  // namespace cm::store

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
// What `user create` does, for commands that make people (`seed --demo`): in one transaction,
// the organization named `org_name` is created when missing (audited `organization.created`)
// and `user` (id, email, name, role and password hash set) joins it (audited `user.created`,
// actor the command line). Returns the organization's id. Throws store::DbError
// (unique_violation when the email is taken).
std::string add_user_to_org(store::Database& db, const std::string& org_name, User user);
// Prints the first-run setup URL (auth/setup_token.hpp) while the database has no user; exits 1
// with a message once someone has set it up.
int setup_url_command(const Config& config);
// What `serve` prints at start while the database has no user (nothing otherwise).
void announce_first_run(store::Database& db, const Config& config, std::uint16_t port);
int audit_verify_command(const Config& config, const std::optional<std::string>& org_id);

struct SeedOptions {
  std::string org;  // required without `demo`; the demo's default is kDemoOrganization
  int contracts = 100'000;
  int counterparties = 500;
  // Spread the contracts over the lifecycle (statuses, creation and activation times, archived
  // final ones), with obligations and pending approvals: data for the summary report. Without
  // it every contract is a fresh draft (what the list benchmarks were measured on).
  bool workflow = false;
  // A small, realistic organization for a first look at the web UI instead of bulk rows
  // (seed_demo_command).
  bool demo = false;
};
int seed_command(const Config& config, const SeedOptions& options);

inline constexpr const char* kDemoOrganization = "Demo Company";
// `seed --demo`: fills one organization (created when missing) with people for every role,
// counterparties and about forty contracts in every status, with their documents, approvals,
// signatures, obligations, comments and renewals, all made through the API's own handlers and
// the daily renewal job, so history, audit chain, notifications and jobs are what real use
// leaves. Refuses (exit 1) an organization that has contracts already. The password of the
// demo's people is CM_PASSWORD, else a random one that it prints.
int seed_demo_command(const Config& config, const SeedOptions& options);

int keys_generate_command();
// Prints the OpenAPI description (the document of /api/openapi.json) to stdout.
int openapi_command();
int keys_rotate_command(const Config& config);
int blobs_gc_command(const Config& config, int grace_minutes);

// Runs the job handlers and the scheduler until SIGTERM (worker pods).
int worker_command(const Config& config);

struct JobListOptions {
  std::optional<std::string> status;
  std::optional<std::string> kind;
  int limit = 50;
};
int jobs_list_command(const Config& config, const JobListOptions& options);
int jobs_retry_command(const Config& config, const std::string& id);
int jobs_cancel_command(const Config& config, const std::string& id);

struct JobEnqueueOptions {
  std::string kind;
  std::string payload = "{}";
  int max_attempts = 5;
  int delay_seconds = 0;
};
int jobs_enqueue_command(const Config& config, const JobEnqueueOptions& options);

}  // namespace cm::app
