// SPDX-License-Identifier: AGPL-3.0-or-later
// contractmgmt: contract lifecycle management. The command line is the composition root:
// it reads the configuration once and hands it to the subcommand.

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/local_secrets.hpp"
#include "extract/isolated.hpp"

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
  auto loaded = std::move(config).value();
  // Outside production, secrets left unset are generated once into DATA_DIR/secrets.
  const auto secrets = cm::app::provide_local_secrets(loaded);
  if (!secrets) {
    std::cerr << "contractmgmt: " << secrets.error().detail() << "\n";
    std::exit(1);  // NOLINT(concurrency-mt-unsafe): no other thread exists yet
  }
  // On stderr: stdout of commands such as `jobs enqueue` and `user create` is read by scripts.
  for (const auto& what : secrets->generated)
    std::cerr << "contractmgmt: generated " << what
              << " (kept for later starts; set the variable to manage it)\n";
  return loaded;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "contractmgmt: contract lifecycle management (API server, background worker, migrations,\n"
      "administration).\n"
      "Configuration comes from environment variables; see docs/CONFIGURATION.md."};
  app.require_subcommand(1);
  app.set_version_flag("--version", CM_VERSION);

  auto* serve = app.add_subcommand(
      "serve",
      "Run the HTTP server: the API and the web UI from WEB_ROOT (port from PORT, default 8000)");

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

  auto* setup_url = app.add_subcommand(
      "setup-url",
      "Print the first-run setup link (while there is no user; PUBLIC_URL names the host)");

  auto* audit = app.add_subcommand("audit", "Audit trail tools");
  audit->require_subcommand(1);
  std::optional<std::string> audit_org;
  auto* audit_verify = audit->add_subcommand(
      "verify",
      "Recompute the audit hash chains; exit 0 if intact, 1 and the first broken event if not");
  audit_verify->add_option("--org", audit_org, "Only this organization id");

  auto* seed = app.add_subcommand(
      "seed",
      "Load data (development and staging only): --demo for a realistic organization to try the "
      "web UI with, otherwise synthetic contracts for benchmarks");
  cm::app::SeedOptions seed_options;
  seed->add_option("--org", seed_options.org,
                   std::string("Organization name, created if missing (required without --demo; "
                               "default with it: ") +
                       cm::app::kDemoOrganization + ")");
  auto* seed_demo = seed->add_flag(
      "--demo", seed_options.demo,
      "Fill the organization with demo data through the API: people for every role (sign-in "
      "e-mails and password printed; the password is CM_PASSWORD if set), counterparties, about "
      "forty contracts in every status with documents, approvals, signatures, obligations, "
      "comments and renewals due soon. Refused when the organization has contracts");
  seed->add_option("--contracts", seed_options.contracts, "How many contracts")
      ->check(CLI::Range(1, 10'000'000))
      ->excludes(seed_demo);
  seed->add_option("--counterparties", seed_options.counterparties, "How many counterparties")
      ->check(CLI::Range(1, 100'000))
      ->excludes(seed_demo);
  seed->add_flag("--workflow", seed_options.workflow,
                 "Spread contracts over the lifecycle, with obligations and pending approvals")
      ->excludes(seed_demo);

  auto* keys = app.add_subcommand("keys", "Encryption keys for documents at rest");
  keys->require_subcommand(1);
  auto* keys_generate = keys->add_subcommand(
      "generate", "Print a new random key (base64, 32 bytes) for ENCRYPTION_KEY");
  auto* keys_rotate = keys->add_subcommand(
      "rotate",
      "Re-wrap every document's data key under ENCRYPTION_KEY; the keys being replaced must be "
      "listed in ENCRYPTION_KEYS_OLD. Contents are not rewritten.");

  auto* blobs = app.add_subcommand("blobs", "Object storage maintenance");
  blobs->require_subcommand(1);
  int gc_grace_minutes = 60;
  auto* blobs_gc = blobs->add_subcommand(
      "gc", "Remove stored document contents that no document version references");
  blobs_gc
      ->add_option("--grace-minutes", gc_grace_minutes,
                   "Keep unreferenced blobs younger than this (uploads in flight); default 60")
      ->check(CLI::Range(0, 100'000));

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
  auto* openapi = app.add_subcommand(
      "openapi", "Print the OpenAPI description of the API (as served at /api/openapi.json)");

  // Hidden: the child process of cm::extract::extract_text_isolated(), which passes exactly
  // these options (extract/isolated.cpp). Prints one length-prefixed frame to stdout.
  auto* extract_text = app.add_subcommand("extract-text", "Extract a document's text (internal)");
  extract_text->group("");
  cm::extract::HelperOptions extract_options;
  auto& limits = extract_options.limits;
  extract_text->add_option("--type", extract_options.type, "pdf, docx, odt, rtf, txt or md")
      ->required();
  extract_text->add_option("--file", extract_options.file, "The document")->required();
  extract_text->add_option("--max-chars", limits.max_output_chars);
  extract_text->add_option("--max-pages", limits.max_pages);
  extract_text->add_option("--max-file-bytes", limits.max_file_bytes);
  extract_text->add_option("--max-entry-bytes", limits.max_entry_bytes);
  extract_text->add_option("--max-total-bytes", limits.max_total_bytes);
  extract_text->add_option("--max-depth", limits.max_nesting_depth);
  extract_text->add_option("--memory-limit", limits.max_memory_bytes, "RLIMIT_AS in bytes");
  extract_text->add_option("--cpu-seconds", limits.max_cpu_seconds, "RLIMIT_CPU in seconds");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (seed->parsed() && !seed_options.demo && seed_options.org.empty()) {
    std::cerr << "contractmgmt seed: --org is required (or use --demo)\n"
              << "Run with --help for more information.\n";
    return 2;
  }
  if (version->parsed()) {
    std::cout << "contractmgmt " << CM_VERSION << "\n";
    return 0;
  }
  // Before the configuration: the helper needs none and must not fail on the server's.
  if (extract_text->parsed()) return cm::extract::run_extract_text_helper(extract_options);
  if (keys_generate->parsed()) return cm::app::keys_generate_command();
  if (openapi->parsed()) return cm::app::openapi_command();
  const auto config = config_or_exit();
  if (serve->parsed()) return cm::app::serve_command(config);
  if (migrate->parsed()) return cm::app::migrate_command(config, migrate_status->parsed());
  if (user_create->parsed()) return cm::app::user_create_command(config, user_options);
  if (setup_url->parsed()) return cm::app::setup_url_command(config);
  if (audit_verify->parsed()) return cm::app::audit_verify_command(config, audit_org);
  if (seed->parsed())
    return seed_options.demo ? cm::app::seed_demo_command(config, seed_options)
                             : cm::app::seed_command(config, seed_options);
  if (keys_rotate->parsed()) return cm::app::keys_rotate_command(config);
  if (blobs_gc->parsed()) return cm::app::blobs_gc_command(config, gc_grace_minutes);
  if (worker->parsed()) return cm::app::worker_command(config);
  if (jobs_list->parsed()) return cm::app::jobs_list_command(config, job_list_options);
  if (jobs_retry->parsed()) return cm::app::jobs_retry_command(config, job_id);
  if (jobs_cancel->parsed()) return cm::app::jobs_cancel_command(config, job_id);
  if (jobs_enqueue->parsed()) return cm::app::jobs_enqueue_command(config, job_enqueue_options);
  return 2;
}
