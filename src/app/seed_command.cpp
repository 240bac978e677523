// `contractmgmt seed`: synthetic data for benchmarks, written through the same repositories as
// the API (with audit events), in batches of one transaction each.

#include <boost/json.hpp>
#include <iostream>
#include <random>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "auth/password.hpp"
#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "store/audit_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/counterparty_repository.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"

namespace cm::app {

namespace {

constexpr int kBatch = 1000;

void audit_created(store::Connection& conn, const std::string& org, const std::string& actor,
                   std::string_view entity_type, const std::string& id) {
  AuditEvent e;
  e.id = new_id();
  e.org_id = org;
  e.actor_id = actor;
  e.actor_type = "system";
  e.action = std::string(entity_type) + ".created";
  e.entity_type = entity_type;
  e.entity_id = id;
  e.at = now_unix_ms();
  e.changes = nullptr;
  e.request_id = "seed";
  e.ip = "local";
  store::AuditRepository(conn).append(e);
}

}  // namespace

int seed_command(const Config& config, const SeedOptions& options) {
  if (config.app_env == AppEnv::production) {
    std::cerr << "contractmgmt: seed refuses to run with APP_ENV=production\n";
    return 2;
  }
  auto db = open_configured_database(config);
  if (!db) return 1;
  std::mt19937_64 rng(42);
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  try {
    std::string org_id, owner_id;
    {
      auto lease = db->acquire();
      store::Transaction tx(*lease, store::Transaction::Mode::write);
      store::OrganizationRepository orgs(*lease);
      auto org = orgs.find_by_name(options.org);
      if (!org) {
        org = Organization{new_id(), options.org, default_contract_types(), now_unix_ms()};
        orgs.insert(*org);
      }
      org_id = org->id;
      auto r = lease->query(
          "SELECT id FROM users WHERE org_id = $1 AND role = 'admin' ORDER BY created_at LIMIT 1",
          {org_id});
      if (r.empty()) {
        User admin;
        admin.id = new_id();
        admin.org_id = org_id;
        admin.email = "seed-admin-" + admin.id.substr(0, 8) + "@example.com";
        admin.name = "Seed admin";
        admin.role = Role::admin;
        admin.password_hash = auth::hash_password(crypto::random_token(24));
        admin.created_at = admin.updated_at = now_unix_ms();
        store::UserRepository(*lease).insert(admin);
        owner_id = admin.id;
      } else {
        owner_id = r.rows.front().text(0);
      }
      tx.commit();
    }
    static const char* kCountries[] = {"DE", "FR", "US", "GB", "NL", "ES", "IT", "SE", "JP", "CA"};
    static const char* kCurrencies[] = {"EUR", "USD", "GBP"};
    static const char* kTags[] = {"it",      "legal",    "sales",  "hr",
                                  "finance", "priority", "vendor", "emea"};
    std::vector<std::string> counterparty_ids;
    for (int done = 0; done < options.counterparties;) {
      auto lease = db->acquire();
      store::Transaction tx(*lease, store::Transaction::Mode::write);
      store::CounterpartyRepository repo(*lease);
      for (int i = 0; i < kBatch && done < options.counterparties; ++i, ++done) {
        Counterparty c;
        c.id = new_id();
        c.org_id = org_id;
        c.name = "Counterparty " + std::to_string(done + 1);
        c.country = std::string(kCountries[pick(10)]);
        c.created_at = c.updated_at = now_unix_ms();
        repo.insert(c);
        audit_created(*lease, org_id, "seed", "counterparty", c.id);
        counterparty_ids.push_back(c.id);
      }
      tx.commit();
    }
    const auto& types = default_contract_types();
    const auto today = days_from_civil(date_of(now_unix_ms()));
    for (int done = 0; done < options.contracts;) {
      auto lease = db->acquire();
      store::Transaction tx(*lease, store::Transaction::Mode::write);
      store::ContractRepository repo(*lease);
      for (int i = 0; i < kBatch && done < options.contracts; ++i, ++done) {
        Contract c;
        c.id = new_id();
        c.org_id = org_id;
        c.title =
            std::string(types[static_cast<std::size_t>(pick(static_cast<int>(types.size())))]) +
            " agreement #" + std::to_string(done + 1);
        c.type = types[static_cast<std::size_t>(pick(static_cast<int>(types.size())))];
        c.owner_id = owner_id;
        c.created_by = owner_id;
        c.value = Money{static_cast<std::int64_t>(pick(10'000'000)) * 100, kCurrencies[pick(3)]};
        const auto start = today - pick(1000);
        c.effective_date = format_date(civil_from_days(start));
        c.expiration_date = format_date(civil_from_days(start + 180 + pick(1500)));
        c.notice_period_days = 30 + pick(60);
        c.parties.push_back({counterparty_ids[static_cast<std::size_t>(
                                 pick(static_cast<int>(counterparty_ids.size())))],
                             "counterparty"});
        c.tags.emplace_back(kTags[pick(8)]);
        c.created_at = c.updated_at = now_unix_ms();
        repo.insert(c);
        audit_created(*lease, org_id, owner_id, "contract", c.id);
      }
      tx.commit();
      if (done % 10'000 == 0) std::cerr << "seeded " << done << " contracts\n";
    }
    std::cout << "organization " << org_id << ": " << options.counterparties << " counterparties, "
              << options.contracts << " contracts\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: seeding failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace cm::app
