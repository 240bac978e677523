// SPDX-License-Identifier: AGPL-3.0-or-later
// `contractmgmt seed`: synthetic data for benchmarks, written through the same repositories as
// the API (with audit events), in batches of one transaction each.

#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <random>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "auth/password.hpp"
#include "core/approval.hpp"
#include "core/audit.hpp"
#include "core/calendar.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/obligation.hpp"
#include "core/time.hpp"
#include "store/audit_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/counterparty_repository.hpp"
#include "store/obligation_repository.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"
#include "store/workflow_repository.hpp"

namespace cm::app {

namespace {

constexpr int kBatch = 1000;
constexpr int kApprovers = 20;
constexpr std::int64_t kDayMs = 86'400'000;

// With --workflow: the share of contracts in each status (percent, lifecycle order) and whether
// they ever became active. Final ones are archived half of the time.
struct StatusShare {
  const char* status;
  int percent;
  bool activated;
};
constexpr StatusShare kStatusShares[] = {
    {"draft", 10, false},    {"in_review", 5, false},
    {"approved", 3, false},  {"out_for_signature", 2, false},
    {"active", 45, true},    {"renewed", 10, true},
    {"expired", 10, true},   {"terminated", 7, true},
    {"cancelled", 8, false},
};

const StatusShare& status_for(int percentile) {
  for (const auto& share : kStatusShares) {
    if (percentile < share.percent) return share;
    percentile -= share.percent;
  }
  return kStatusShares[0];
}

bool is_final(std::string_view status) {
  return status == "expired" || status == "terminated" || status == "cancelled";
}

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
      const auto first_admin = store::UserRepository(*lease).first_admin_id(org_id);
      if (!first_admin) {
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
        owner_id = *first_admin;
      }
      tx.commit();
    }
    // Managers who approve, for the pending approvals of --workflow.
    std::vector<OrgUser> approvers;
    if (options.workflow) {
      auto lease = db->acquire();
      store::Transaction tx(*lease, store::Transaction::Mode::write);
      for (int i = 0; i < kApprovers; ++i) {
        User u;
        u.id = new_id();
        u.org_id = org_id;
        u.email = "seed-manager-" + u.id.substr(u.id.size() - 12) + "@example.com";
        u.name = "Seed manager " + std::to_string(i + 1);
        u.role = Role::manager;
        u.password_hash = "!";  // no password: cannot log in
        u.created_at = u.updated_at = now_unix_ms();
        store::UserRepository(*lease).insert(u);
        approvers.push_back({u.id, Role::manager, true});
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
    const auto now = now_unix_ms();
    const auto today = days_from_civil(date_of(now));
    const auto day = [&](std::int64_t days) { return civil_from_days(today + days); };
    std::int64_t obligations = 0, approvals = 0;
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
        const auto& share = status_for(options.workflow ? pick(100) : 0);
        if (options.workflow) {
          c.status = share.status;
          // Created over the last three years; activated 1 to 60 days later (not in the future).
          c.created_at = now - static_cast<std::int64_t>(rng() % (1095 * kDayMs));
          c.updated_at = c.created_at;
          if (share.activated)
            c.activated_at = std::min(now - 1, c.created_at + kDayMs + pick(59) * kDayMs +
                                                   static_cast<std::int64_t>(rng() % kDayMs));
          if (pick(10) == 0) c.value.reset();  // some contracts have no value
          if (c.status == "active" || c.status == "renewed")
            c.expiration_date = format_date(day(pick(730)));  // ~1 in 8 within 90 days
          else if (share.activated)
            c.expiration_date = format_date(day(-1 - pick(700)));
          c.archived = is_final(c.status) && pick(2) == 0;
        }
        repo.insert(c);
        if (c.activated_at || c.archived) repo.set_seeded_history(c.id, c.activated_at, c.archived);
        audit_created(*lease, org_id, owner_id, "contract", c.id);
        if (options.workflow && (c.status == "active" || c.status == "renewed")) {
          // One obligation per contract in force: due from 60 days ago to 300 days ahead, a
          // third of them done (so some open ones are overdue).
          Obligation o;
          o.id = new_id();
          o.org_id = org_id;
          o.contract_id = c.id;
          o.title = "Quarterly report";
          o.kind = ObligationKind::reporting;
          o.due_date = o.anchor_date = day(pick(360) - 60);
          o.status = pick(3) == 0 ? ObligationStatus::done : ObligationStatus::open;
          o.created_at = o.updated_at = c.created_at;
          o.created_by = owner_id;
          store::ObligationRepository(*lease).insert(o);
          ++obligations;
        }
        // A pending approval for contracts under review (two managers, any, for up to 10 days,
        // then a third); an approved one for those past review (all of them before signature,
        // one in four of the others), so pending approvals are a minority, as in real life.
        const bool reviewing = c.status == "in_review";
        const bool reviewed = c.status == "approved" || c.status == "out_for_signature" ||
                              (share.activated && pick(4) == 0);
        if (options.workflow && (reviewing || reviewed)) {
          const auto manager = [&] {
            return approvers[static_cast<std::size_t>(pick(kApprovers))].id;
          };
          ApprovalRule rule{"Seeded",
                            {},
                            {{"Managers", {manager(), manager()}, {}, ApprovalMode::any, 5},
                             {"Director", {manager()}, {}, ApprovalMode::any, 3}}};
          const auto started = reviewing ? day(-pick(10)) : date_of(c.created_at);
          auto approval = start_approval(
              rule, {c.id, owner_id, "Seeded policy", c.created_at, started}, approvers);
          if (!approval) throw approval.error();
          if (reviewed) {
            for (auto& stage : approval->stages) {
              stage.status = StageStatus::approved;
              stage.started_on = stage.completed_on = started;
            }
            approval->status = ApprovalStatus::approved;
            approval->completed_at = c.created_at;
          }
          store::ApprovalRepository(*lease).insert(
              {new_id(), org_id, std::move(*approval), c.created_at, c.created_at});
          if (reviewing) ++approvals;
        }
      }
      tx.commit();
      if (done % 10'000 == 0) std::cerr << "seeded " << done << " contracts\n";
    }
    std::cout << "organization " << org_id << ": " << options.counterparties << " counterparties, "
              << options.contracts << " contracts";
    if (options.workflow)
      std::cout << ", " << obligations << " obligations, " << approvals << " pending approvals";
    std::cout << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: seeding failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace cm::app
