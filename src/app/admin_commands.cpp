// SPDX-License-Identifier: AGPL-3.0-or-later
// Operator commands: migrate, user create, setup-url, audit verify.

#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "auth/password.hpp"
#include "auth/setup_token.hpp"
#include "core/audit.hpp"
#include "core/contract.hpp"
#include "core/counterparty.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "store/audit_repository.hpp"
#include "store/migrations.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"

namespace cm::app {

namespace {

// An audit event for a change made from the command line (no HTTP request).
void audit_system(store::Connection& conn, const std::string& org_id, std::string_view action,
                  std::string_view entity_type, const std::string& entity_id,
                  boost::json::value changes) {
  AuditEvent e;
  e.id = new_id();
  e.org_id = org_id;
  e.actor_id = "cli";
  e.actor_type = "system";
  e.action = action;
  e.entity_type = entity_type;
  e.entity_id = entity_id;
  e.at = now_unix_ms();
  e.changes = std::move(changes);
  e.request_id = "cli";
  e.ip = "local";
  store::AuditRepository(conn).append(e);
}

std::optional<std::string> read_password() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the CLI reads its environment before any thread starts.
  if (const char* env = std::getenv("CM_PASSWORD"); env && *env) return std::string(env);
  if (isatty(STDIN_FILENO))
    std::cerr << "Password (at least " << auth::kMinPasswordLength << " characters): ";
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int migrate_command(const Config& config, bool status_only) {
  auto db = open_configured_database(config);
  if (!db) return 1;
  try {
    store::Migrator migrator(*db);
    if (status_only) {
      for (const auto& m : migrator.status())
        std::cout << m.version << "  "
                  << (m.applied ? "applied " + m.applied_at : std::string("pending")) << "  "
                  << m.name << "\n";
      return 0;
    }
    const int applied = migrator.apply_pending();
    std::cout << "migrations: applied " << applied << ", schema at version "
              << migrator.current_version() << "\n";
    auto lease = db->acquire();
    if (store::UserRepository(*lease).count_all() == 0) {
      std::error_code ec;
      const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
      std::cout << "No users yet. Create the first administrator (with the same DATABASE_URL):\n  "
                << (ec ? std::string("contractmgmt") : self.string())
                << " user create --org 'Your Company' --email you@example.com --role admin\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: migration failed: " << e.what() << "\n";
    return 1;
  }
}

namespace {

bool has_users(store::Database& db) {
  auto lease = db.acquire();
  return store::UserRepository(*lease).count_all() > 0;
}

}  // namespace

int setup_url_command(const Config& config) {
  auto db = open_configured_database(config);
  if (!db) return 1;
  bool set_up = false;
  try {
    set_up = has_users(*db);
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: " << e.what() << " (has `contractmgmt migrate` run?)\n";
    return 1;
  }
  if (set_up) {
    std::cerr << "contractmgmt: already set up (the database has users); sign in, or add users "
                 "with `contractmgmt user create`\n";
    return 1;
  }
  std::cout << auth::setup_url(public_base_url(config), config.jwt_secret) << "\n";
  return 0;
}

void announce_first_run(store::Database& db, const Config& config, std::uint16_t port) {
  if (has_users(db)) return;
  Config listening = config;
  listening.port = port;
  // On the terminal, not in the structured log: the token is a credential until it is used.
  std::cout << "\nNo users yet. Open this link to create your organization and its first "
               "administrator:\n  "
            << auth::setup_url(public_base_url(listening), config.jwt_secret)
            << "\n(or load a demo: contractmgmt seed --demo; `contractmgmt setup-url` prints the "
               "link again)\n\n"
            << std::flush;
}

std::string add_user_to_org(store::Database& db, const std::string& org_name, User user) {
  auto lease = db.acquire();
  store::Transaction tx(*lease, store::Transaction::Mode::write);
  store::OrganizationRepository orgs(*lease);
  auto org = orgs.find_by_name(org_name);
  if (!org) {
    org = Organization{new_id(), org_name, default_contract_types(), now_unix_ms()};
    orgs.insert(*org);
    audit_system(*lease, org->id, "organization.created", "organization", org->id,
                 boost::json::object{{"name", org->name}});
  }
  user.org_id = org->id;
  store::UserRepository(*lease).insert(user);
  audit_system(*lease, org->id, "user.created", "user", user.id,
               boost::json::object{
                   {"email", user.email}, {"name", user.name}, {"role", to_string(user.role)}});
  tx.commit();
  return org->id;
}

int user_create_command(const Config& config, const UserCreateOptions& options) {
  const auto email = normalize_email(options.email);
  if (!is_valid_email(email)) {
    std::cerr << "contractmgmt: --email: not an email address\n";
    return 2;
  }
  if (options.org.empty() || options.org.size() > 200) {
    std::cerr << "contractmgmt: --org: must be 1-200 characters\n";
    return 2;
  }
  const auto password = read_password();
  if (!password) {
    std::cerr << "contractmgmt: no password given (set CM_PASSWORD or write it on stdin)\n";
    return 2;
  }
  if (auto problem = auth::password_problem(*password); !problem.empty()) {
    std::cerr << "contractmgmt: password " << problem << "\n";
    return 2;
  }
  auto db = open_configured_database(config);
  if (!db) return 1;
  User user;
  user.id = new_id();
  user.email = email;
  user.name = options.name.empty() ? email.substr(0, email.find('@')) : options.name;
  user.role = parse_role(options.role).value_or(Role::viewer);
  user.password_hash = auth::hash_password(*password);
  user.created_at = user.updated_at = now_unix_ms();
  try {
    add_user_to_org(*db, options.org, user);
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::unique_violation) {
      std::cerr << "contractmgmt: a user with email " << email << " already exists\n";
      return 1;
    }
    std::cerr << "contractmgmt: " << e.what() << "\n";
    return 1;
  }
  std::cout << user.id << "\n";
  return 0;
}

int audit_verify_command(const Config& config, const std::optional<std::string>& org_id) {
  auto db = open_configured_database(config);
  if (!db) return 1;
  try {
    auto lease = db->acquire();
    store::AuditRepository audit(*lease);
    const auto orgs = org_id ? std::vector<std::string>{*org_id} : audit.org_ids_with_events();
    bool intact = true;
    for (const auto& org : orgs) {
      const auto result = audit.verify(org);
      if (result.first_break) {
        intact = false;
        std::cout << "organization " << org << ": BROKEN at event seq " << result.first_break->seq
                  << (result.first_break->event_id.empty()
                          ? ""
                          : " (id " + result.first_break->event_id + ")")
                  << ": " << result.first_break->reason << "\n";
      } else {
        std::cout << "organization " << org << ": intact, " << result.events_checked << " events\n";
      }
    }
    return intact ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: audit verification failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace cm::app
