// contractmgmt: contract lifecycle management. The command line is the composition root:
// it reads the configuration once and hands it to the subcommand.

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.hpp"
#include "app/config.hpp"

#ifndef CM_VERSION
#define CM_VERSION "dev"
#endif

namespace {

// Loads and validates the environment; on error prints the variable's problem and exits 2.
cm::app::Config config_or_exit() {
  auto config = cm::app::load_config(cm::app::process_env());
  if (!config) {
    std::cerr << "contractmgmt: invalid configuration: " << config.error().detail() << "\n";
    std::exit(2);  // NOLINT(concurrency-mt-unsafe): no other thread exists yet
  }
  return std::move(config).value();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "contractmgmt: contract lifecycle management (API server, background worker, migrations,\n"
      "administration).\n"
      "Configuration comes from environment variables; see docs/CONFIGURATION.md."};
  app.require_subcommand(1);
  app.set_version_flag("--version", CM_VERSION);

  auto* serve =
      app.add_subcommand("serve", "Run the HTTP API server (port from PORT, default 8000)");

  auto* migrate =
      app.add_subcommand("migrate", "Apply pending database migrations (safe to run twice)");
  auto* migrate_status =
      migrate->add_subcommand("status", "List migrations and whether each is applied");

  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  cm::app::UserCreateOptions user_options;
  auto* user_create = user->add_subcommand(
      "create",
      "Create a user (and the organization if it does not exist). The password is read from "
      "CM_PASSWORD or one line on stdin. Prints the new user's id.");
  user_create->add_option("--org", user_options.org, "Organization name")->required();
  user_create->add_option("--email", user_options.email, "Email address (the login name)")
      ->required();
  user_create->add_option("--role", user_options.role, "admin, manager, member or viewer")
      ->required()
      ->check(CLI::IsMember({"admin", "manager", "member", "viewer"}));
  user_create->add_option("--name", user_options.name,
                          "Display name (default: the email's local part)");

  auto* audit = app.add_subcommand("audit", "Audit trail tools");
  audit->require_subcommand(1);
  std::optional<std::string> audit_org;
  auto* audit_verify = audit->add_subcommand(
      "verify",
      "Recompute the audit hash chains; exit 0 if intact, 1 and the first broken event if not");
  audit_verify->add_option("--org", audit_org, "Only this organization id");

  auto* seed =
      app.add_subcommand("seed", "Load synthetic contracts for benchmarks (development only)");
  cm::app::SeedOptions seed_options;
  seed->add_option("--org", seed_options.org,
                   "Organization name (created with an admin if missing)")
      ->required();
  seed->add_option("--contracts", seed_options.contracts, "How many contracts")
      ->check(CLI::Range(1, 10'000'000));
  seed->add_option("--counterparties", seed_options.counterparties, "How many counterparties")
      ->check(CLI::Range(1, 100'000));

  auto* worker = app.add_subcommand(
      "worker",
      "Run background jobs and the periodic-job scheduler (WORKER_CONCURRENCY threads; probes "
      "and metrics on WORKER_PORT, default 8001) until SIGTERM");

  auto* jobs = app.add_subcommand("jobs", "Inspect and manage the background job queue");
  jobs->require_subcommand(1);
  cm::app::JobListOptions job_list_options;
  auto* jobs_list = jobs->add_subcommand("list", "List jobs, newest first");
  jobs_list
      ->add_option("--status", job_list_options.status,
                   "Only jobs in this status: queued, running, succeeded, dead, cancelled")
      ->check(CLI::IsMember({"queued", "running", "succeeded", "dead", "cancelled"}));
  jobs_list->add_option("--kind", job_list_options.kind, "Only jobs of this kind");
  jobs_list->add_option("--limit", job_list_options.limit, "At most this many (default 50)")
      ->check(CLI::Range(1, 10'000));
  std::string job_id;
  auto* jobs_retry = jobs->add_subcommand(
      "retry", "Run a dead, cancelled or queued job again now, with its attempts reset");
  jobs_retry->add_option("id", job_id, "Job id")->required();
  auto* jobs_cancel = jobs->add_subcommand(
      "cancel",
      "Cancel a queued, running or dead job (a running handler stops at its next heartbeat)");
  jobs_cancel->add_option("id", job_id, "Job id")->required();
  cm::app::JobEnqueueOptions job_enqueue_options;
  auto* jobs_enqueue =
      jobs->add_subcommand("enqueue", "Enqueue a job by hand (e.g. jobs.prune); prints its id");
  jobs_enqueue->add_option("kind", job_enqueue_options.kind, "Job kind")->required();
  jobs_enqueue->add_option("--payload", job_enqueue_options.payload, "JSON payload (default {})");
  jobs_enqueue
      ->add_option("--max-attempts", job_enqueue_options.max_attempts, "Attempts before it is dead")
      ->check(CLI::Range(1, 100));
  jobs_enqueue
      ->add_option("--delay", job_enqueue_options.delay_seconds, "Seconds before it may run")
      ->check(CLI::Range(0, 366 * 86'400));

  auto* version = app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (version->parsed()) {
    std::cout << "contractmgmt " << CM_VERSION << "\n";
    return 0;
  }
  const auto config = config_or_exit();
  if (serve->parsed()) return cm::app::serve_command(config);
  if (migrate->parsed()) return cm::app::migrate_command(config, migrate_status->parsed());
  if (user_create->parsed()) return cm::app::user_create_command(config, user_options);
  if (audit_verify->parsed()) return cm::app::audit_verify_command(config, audit_org);
  if (seed->parsed()) return cm::app::seed_command(config, seed_options);
  if (worker->parsed()) return cm::app::worker_command(config);
  if (jobs_list->parsed()) return cm::app::jobs_list_command(config, job_list_options);
  if (jobs_retry->parsed()) return cm::app::jobs_retry_command(config, job_id);
  if (jobs_cancel->parsed()) return cm::app::jobs_cancel_command(config, job_id);
  if (jobs_enqueue->parsed()) return cm::app::jobs_enqueue_command(config, job_enqueue_options);
  return 2;
}
