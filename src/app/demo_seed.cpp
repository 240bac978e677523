// SPDX-License-Identifier: AGPL-3.0-or-later
// `contractmgmt seed --demo`: a small organization that looks lived in, for a first look at the
// web UI. Unlike the benchmark seed (seed_command.cpp), nothing here writes rows itself: every
// change is a request handed to the API's own route table in-process (LocalApi), made by the
// demo person who would make it (the member drafts and submits, the manager approves, the
// counterparty's contact signs by link), and the contracts past their dates are then handled by
// the daily renewal job's own code. So the history, the audit hash chain, the approvals, the
// signature certificates, the notifications and the queued jobs are exactly what real use
// leaves, and the demo cannot drift from what the API does.
//
// Dates are days from the organization's today (its time zone). What happens over weeks in real
// life happens in seconds here: the history of every contract is dated today.

#include <atomic>
#include <boost/json.hpp>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <stdexcept>

#include "api/auth_cache.hpp"
#include "api/handlers.hpp"
#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "app/document_setup.hpp"
#include "app/local_api.hpp"
#include "app/scratch_directory.hpp"
#include "auth/password.hpp"
#include "core/calendar.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/layout.hpp"
#include "core/lifecycle.hpp"
#include "core/time.hpp"
#include "jobs/database_job_queue.hpp"
#include "jobs/document_jobs.hpp"
#include "jobs/renewal_jobs.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"
#include "store/contract_repository.hpp"
#include "store/organization_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::app {

namespace {

namespace bj = boost::json;

constexpr int kNoDate = INT_MIN;

// --- The people ---------------------------------------------------------------------------------

enum class Who { admin, manager, member, viewer };

struct DemoPerson {
  Who who;
  Role role;
  const char* local_part;  // of the e-mail address
  const char* name;
};

constexpr DemoPerson kPeople[] = {
    {Who::admin, Role::admin, "admin", "Alex Morgan"},
    {Who::manager, Role::manager, "manager", "Maria Chen"},
    {Who::member, Role::member, "member", "Sam Patel"},
    {Who::viewer, Role::viewer, "viewer", "Vic Ortiz"},
};

// --- Counterparties -----------------------------------------------------------------------------

struct DemoCounterparty {
  const char* key;
  const char* name;
  const char* kind;
  const char* country;
  const char* registration;
  const char* address;
  const char* contact;
  const char* email;
  const char* law;  // governing law in its documents
};

const DemoCounterparty kCounterparties[] = {
    {"northwind", "Northwind Analytics GmbH", "company", "DE", "HRB 184213 B",
     "Friedrichstraße 68, 10117 Berlin", "Lena Hoffmann", "lena.hoffmann@northwind.example",
     "Germany"},
    {"bluefin", "Bluefin Logistics B.V.", "company", "NL", "KvK 71829344",
     "Wilhelminakade 91, 3072 AP Rotterdam", "Daan de Vries", "daan.devries@bluefin.example",
     "the Netherlands"},
    {"nimbus", "Nimbus Cloud Hosting Ltd", "company", "GB", "09876543",
     "1 Finsbury Avenue, London EC2M 2PF", "Oliver Grant", "oliver.grant@nimbus.example",
     "England and Wales"},
    {"helios", "Helios Energía S.A.", "company", "ES", "A-28015865",
     "Paseo de la Castellana 259, 28046 Madrid", "Lucía Romero", "lucia.romero@helios.example",
     "Spain"},
    {"kestrel", "Kestrel Security Inc.", "company", "US", "DE 7712045",
     "500 Howard Street, San Francisco, CA 94105", "Jordan Blake", "jordan.blake@kestrel.example",
     "the State of California"},
    {"lumen", "Lumen Legal LLP", "company", "GB", "OC428811", "22 Bishopsgate, London EC2N 4BQ",
     "Priya Shah", "priya.shah@lumenlegal.example", "England and Wales"},
    {"maple", "Maple Leaf Staffing Inc.", "company", "CA", "1000234-5",
     "100 King Street West, Toronto, ON M5X 1A9", "Émilie Tremblay",
     "emilie.tremblay@mapleleaf.example", "the Province of Ontario"},
    {"sakura", "Sakura Components K.K.", "company", "JP", "0100-01-123456",
     "2-7-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005", "Haruto Sato", "haruto.sato@sakura.example",
     "Japan"},
    {"atlas", "Atlas Facilities SAS", "company", "FR", "RCS Paris 812 345 678",
     "12 rue de la Paix, 75002 Paris", "Camille Laurent", "camille.laurent@atlas.example",
     "France"},
    {"polar", "Polar Data AB", "company", "SE", "559123-4567", "Kungsgatan 49, 111 22 Stockholm",
     "Erik Lindqvist", "erik.lindqvist@polardata.example", "Sweden"},
    {"verde", "Verde Packaging S.p.A.", "company", "IT", "MI-2098765",
     "Via Tortona 33, 20144 Milano", "Giulia Bianchi", "giulia.bianchi@verde.example", "Italy"},
    {"schulz", "Dr. Emma Schulz", "person", "DE", nullptr, "Maximilianstraße 12, 80539 München",
     "Emma Schulz", "emma@schulz-consulting.example", "Germany"},
};

// --- Contracts ----------------------------------------------------------------------------------

// How far along its lifecycle a contract is taken, in this order.
enum class Stage {
  draft,
  in_review,             // submitted; the first approval stage waits
  first_stage_approved,  // a two-stage approval waits for its second stage
  approved,
  sent,             // out for signature, nobody has signed
  first_signature,  // out for signature, the counterparty signed, our signatory has not
  active,
};

// What happens once it got there. Contracts in force whose expiration has passed are expired or
// auto-renewed by the renewal job at the end, as every night.
enum class Then {
  nothing,
  reject,               // in review: the approver rejects it back to draft
  cancel,               // before activation
  renew,                // in force: renewed by hand for two years
  terminate_now,        // in force, no notice period: terminated today by its owner
  terminate_for_cause,  // in force: a manager terminates it today for cause
  terminate_later,      // in force: terminated with notice (takes effect in the future)
};

struct DemoContract {
  const char* key;
  const char* title;
  const char* type;
  Who owner;
  const char* counterparty;
  const char* role;
  const char* amount = nullptr;  // decimal string in `currency`; null: no value
  const char* currency = nullptr;
  int effective = kNoDate;   // days from today
  int expiration = kNoDate;  // days from today
  bool auto_renew = false;
  int renewal_months = 0;
  int notice_days = -1;  // -1: none
  std::vector<const char*> tags = {};
  const char* custom_fields = nullptr;  // JSON object
  const char* description = "";
  Stage stage = Stage::draft;
  Then then = Then::nothing;
  const char* reason = nullptr;  // of a cancellation, rejection or termination
  bool archive = false;
  int document_versions = 1;  // of its main document (PDF); 0: none
  const char* parent = nullptr;
  const char* relation = nullptr;
  const char* applies_to_parent = nullptr;  // an amendment's term that replaces the parent's
  Who signatory = Who::admin;               // who signs for us (after the counterparty)
  bool parallel = false;                    // both signers at once
};

// Parents come before their children. High-value contracts (the policy's two-stage rule) are
// owned by the member, since owners never approve their own; the manager owns only NDAs (which
// need no approval) and drafts.
const std::vector<DemoContract>& demo_contracts() {
  static const std::vector<DemoContract> kContracts = {
      // In force.
      {.key = "northwind-msa",
       .title = "Master Services Agreement – Northwind Analytics",
       .type = "msa",
       .owner = Who::member,
       .counterparty = "northwind",
       .role = "vendor",
       .amount = "240000.00",
       .currency = "EUR",
       .effective = -420,
       .expiration = 75,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 60,
       .tags = {"strategic", "it", "emea"},
       .custom_fields = R"({"costCenter": "CC-4100", "region": "EMEA", "dataProcessing": true})",
       .description = "Framework for data engineering and analytics services; orders are placed "
                      "as statements of work.",
       .stage = Stage::active},
      {.key = "northwind-sow1",
       .title = "SOW 1 – Data platform migration",
       .type = "sow",
       .owner = Who::member,
       .counterparty = "northwind",
       .role = "vendor",
       .amount = "85000.00",
       .currency = "EUR",
       .effective = -300,
       .expiration = 60,
       .tags = {"it", "project"},
       .custom_fields = R"({"costCenter": "CC-4100", "projectCode": "DP-2024-07"})",
       .stage = Stage::active,
       .parent = "northwind-msa",
       .relation = "sow"},
      {.key = "northwind-amendment",
       .title = "Amendment No. 1 – Northwind MSA rate card",
       .type = "other",
       .owner = Who::member,
       .counterparty = "northwind",
       .role = "vendor",
       .amount = "265000.00",
       .currency = "EUR",
       .effective = -30,
       .expiration = 75,
       .tags = {"it", "amendment"},
       .description = "Updates the rate card for senior engineers; raises the MSA's value.",
       .stage = Stage::active,
       .parent = "northwind-msa",
       .relation = "amendment",
       .applies_to_parent = "value"},
      {.key = "polar-saas",
       .title = "SaaS Subscription – Polar Data",
       .type = "service",
       .owner = Who::member,
       .counterparty = "polar",
       .role = "vendor",
       .amount = "1150000.00",
       .currency = "SEK",
       .effective = -335,
       .expiration = 30,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 14,
       .tags = {"saas", "it", "renewal-risk"},
       .custom_fields = R"({"costCenter": "CC-4200", "seats": 120})",
       .stage = Stage::active},
      {.key = "bluefin-freight",
       .title = "Freight Services Agreement – Bluefin Logistics",
       .type = "service",
       .owner = Who::member,
       .counterparty = "bluefin",
       .role = "supplier",
       .amount = "96000.00",
       .currency = "EUR",
       .effective = -700,
       .expiration = 50,
       .notice_days = 30,
       .tags = {"logistics", "emea"},
       .stage = Stage::active},
      {.key = "kestrel-mss",
       .title = "Managed Security Services – Kestrel Security",
       .type = "service",
       .owner = Who::member,
       .counterparty = "kestrel",
       .role = "vendor",
       .amount = "180000.00",
       .currency = "USD",
       .effective = -200,
       .expiration = 165,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 90,
       .tags = {"security", "it", "us"},
       .custom_fields = R"({"costCenter": "CC-4100", "region": "US", "soc2": true})",
       .stage = Stage::active},
      {.key = "lumen-counsel",
       .title = "Outside Counsel Engagement – Lumen Legal",
       .type = "service",
       .owner = Who::admin,
       .counterparty = "lumen",
       .role = "law firm",
       .amount = "60000.00",
       .currency = "GBP",
       .effective = -150,
       .expiration = 215,
       .notice_days = 30,
       .tags = {"legal"},
       .stage = Stage::active,
       .signatory = Who::manager},
      {.key = "atlas-lease",
       .title = "Office Lease – 12 rue de la Paix",
       .type = "lease",
       .owner = Who::member,
       .counterparty = "atlas",
       .role = "landlord",
       .amount = "1440000.00",
       .currency = "EUR",
       .effective = -900,
       .expiration = 925,
       .notice_days = 180,
       .tags = {"facilities", "emea"},
       .custom_fields = R"({"costCenter": "CC-1000", "floorAreaSqm": 840})",
       .stage = Stage::active},
      {.key = "sakura-supply",
       .title = "Component Supply Agreement – Sakura Components",
       .type = "purchase",
       .owner = Who::member,
       .counterparty = "sakura",
       .role = "supplier",
       .amount = "48000000",
       .currency = "JPY",
       .effective = -250,
       .expiration = 115,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 60,
       .tags = {"manufacturing", "apac"},
       .custom_fields = R"({"costCenter": "CC-3100", "incoterms": "DAP"})",
       .stage = Stage::active},
      {.key = "maple-staffing",
       .title = "Staffing Services Agreement – Maple Leaf Staffing",
       .type = "service",
       .owner = Who::member,
       .counterparty = "maple",
       .role = "staffing agency",
       .amount = "210000.00",
       .currency = "CAD",
       .effective = -100,
       .expiration = 265,
       .notice_days = 30,
       .tags = {"hr"},
       .stage = Stage::active,
       .then = Then::terminate_later,
       .reason = "Moving the contractors to permanent roles; ending the agreement with notice."},
      {.key = "helios-energy",
       .title = "Energy Supply Contract – Helios Energía",
       .type = "purchase",
       .owner = Who::member,
       .counterparty = "helios",
       .role = "supplier",
       .amount = "310000.00",
       .currency = "EUR",
       .effective = -365,
       .expiration = 85,
       .notice_days = 90,
       .tags = {"energy", "emea", "renewal-risk"},
       .custom_fields = R"({"costCenter": "CC-1000", "annualMWh": 2400})",
       .stage = Stage::active},
      {.key = "verde-packaging",
       .title = "Packaging Supply Agreement – Verde Packaging",
       .type = "purchase",
       .owner = Who::member,
       .counterparty = "verde",
       .role = "supplier",
       .amount = "75000.00",
       .currency = "EUR",
       .effective = -180,
       .expiration = 185,
       .notice_days = 30,
       .tags = {"manufacturing", "emea"},
       .stage = Stage::active},
      {.key = "schulz-consulting",
       .title = "Consulting Agreement – Dr. Emma Schulz",
       .type = "service",
       .owner = Who::admin,
       .counterparty = "schulz",
       .role = "consultant",
       .amount = "18000.00",
       .currency = "EUR",
       .effective = -60,
       .expiration = 120,
       .notice_days = 14,
       .tags = {"consulting"},
       .stage = Stage::active,
       .signatory = Who::manager},
      {.key = "sakura-nda",
       .title = "Mutual NDA – Sakura Components",
       .type = "nda",
       .owner = Who::manager,
       .counterparty = "sakura",
       .role = "other party",
       .effective = -250,
       .expiration = 480,
       .tags = {"nda", "apac"},
       .stage = Stage::active},
      {.key = "northwind-license",
       .title = "Software License – Northwind Insights Suite",
       .type = "license",
       .owner = Who::member,
       .counterparty = "northwind",
       .role = "licensor",
       .amount = "54000.00",
       .currency = "EUR",
       .effective = -366,
       .expiration = -1,  // auto-renewed by the renewal job
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 30,
       .tags = {"saas", "it"},
       .stage = Stage::active},
      {.key = "bluefin-warehouse",
       .title = "Warehouse Services – Bluefin Logistics",
       .type = "service",
       .owner = Who::member,
       .counterparty = "bluefin",
       .role = "supplier",
       .amount = "130000.00",
       .currency = "EUR",
       .effective = -330,
       .expiration = 35,
       .renewal_months = 12,
       .notice_days = 30,
       .tags = {"logistics", "emea"},
       .stage = Stage::active,
       .then = Then::renew,
       .reason = "Renewed for two years at the current rates after the annual review."},
      // Closed: expired by the renewal job (their expiration has passed), terminated, cancelled.
      {.key = "atlas-venue",
       .title = "Event Venue Agreement – Atlas Facilities",
       .type = "service",
       .owner = Who::member,
       .counterparty = "atlas",
       .role = "venue",
       .amount = "12500.00",
       .currency = "EUR",
       .effective = -120,
       .expiration = -30,
       .tags = {"events"},
       .stage = Stage::active,
       .archive = true},
      {.key = "polar-pilot",
       .title = "Pilot Agreement – Polar Data",
       .type = "service",
       .owner = Who::member,
       .counterparty = "polar",
       .role = "vendor",
       .amount = "95000.00",
       .currency = "SEK",
       .effective = -200,
       .expiration = -20,
       .tags = {"saas", "pilot"},
       .stage = Stage::active},
      {.key = "kestrel-nda",
       .title = "Mutual NDA – Kestrel Security",
       .type = "nda",
       .owner = Who::manager,
       .counterparty = "kestrel",
       .role = "other party",
       .effective = -800,
       .expiration = -70,
       .tags = {"nda"},
       .stage = Stage::active,
       .archive = true},
      {.key = "northwind-research",
       .title = "Market Research Study – Northwind Analytics",
       .type = "service",
       .owner = Who::member,
       .counterparty = "northwind",
       .role = "vendor",
       .amount = "28000.00",
       .currency = "EUR",
       .effective = -240,
       .expiration = -10,
       .tags = {"research"},
       .stage = Stage::active},
      {.key = "bluefin-courier",
       .title = "Courier Services – Bluefin Logistics",
       .type = "service",
       .owner = Who::admin,
       .counterparty = "bluefin",
       .role = "supplier",
       .amount = "22000.00",
       .currency = "EUR",
       .effective = -300,
       .expiration = 65,
       .notice_days = 30,
       .tags = {"logistics"},
       .stage = Stage::active,
       .then = Then::terminate_for_cause,
       .reason = "Material breach: delivery windows missed repeatedly despite written notice.",
       .archive = true,
       .signatory = Who::manager},
      {.key = "helios-solar",
       .title = "Solar Panel Maintenance – Helios Energía",
       .type = "service",
       .owner = Who::member,
       .counterparty = "helios",
       .role = "contractor",
       .amount = "36000.00",
       .currency = "EUR",
       .effective = -400,
       .expiration = 330,
       .notice_days = 60,
       .tags = {"facilities", "energy"},
       .stage = Stage::active,
       .then = Then::terminate_for_cause,
       .reason = "The site was sold; both parties agreed to end the maintenance early."},
      {.key = "maple-recruitment",
       .title = "Recruitment Services – Maple Leaf Staffing",
       .type = "service",
       .owner = Who::member,
       .counterparty = "maple",
       .role = "staffing agency",
       .amount = "45000.00",
       .currency = "CAD",
       .effective = -200,
       .expiration = 160,
       .tags = {"hr"},
       .stage = Stage::active,
       .then = Then::terminate_now,
       .reason = "Hiring freeze: no further placements needed."},
      {.key = "polar-marketing",
       .title = "Joint Marketing Agreement – Polar Data",
       .type = "partnership",
       .owner = Who::manager,
       .counterparty = "polar",
       .role = "partner",
       .effective = 10,
       .expiration = 375,
       .tags = {"marketing"},
       .then = Then::cancel,
       .reason = "Polar Data withdrew from the joint campaign.",
       .document_versions = 0},
      {.key = "nimbus-dpa",
       .title = "Data Processing Addendum – Nimbus (superseded)",
       .type = "other",
       .owner = Who::member,
       .counterparty = "nimbus",
       .role = "processor",
       .effective = 5,
       .expiration = 1100,
       .tags = {"gdpr"},
       .stage = Stage::in_review,
       .then = Then::cancel,
       .reason = "Superseded by the data protection schedule of the new hosting agreement.",
       .archive = true},
      {.key = "atlas-equipment",
       .title = "Equipment Lease – Atlas Facilities",
       .type = "lease",
       .owner = Who::member,
       .counterparty = "atlas",
       .role = "lessor",
       .amount = "48000.00",
       .currency = "EUR",
       .effective = 20,
       .expiration = 750,
       .tags = {"facilities"},
       .stage = Stage::approved,
       .then = Then::cancel,
       .reason = "Budget frozen for this financial year."},
      {.key = "helios-sponsorship",
       .title = "Sponsorship Agreement – Helios Energía",
       .type = "sales",
       .owner = Who::admin,
       .counterparty = "helios",
       .role = "sponsor",
       .amount = "15000.00",
       .currency = "EUR",
       .effective = 30,
       .expiration = 210,
       .tags = {"marketing"},
       .then = Then::cancel,
       .reason = "The event was called off.",
       .document_versions = 0},
      // Out for signature.
      {.key = "kestrel-reseller",
       .title = "Reseller Agreement – Kestrel Security",
       .type = "sales",
       .owner = Who::admin,
       .counterparty = "kestrel",
       .role = "reseller",
       .amount = "95000.00",
       .currency = "USD",
       .effective = 7,
       .expiration = 372,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 60,
       .tags = {"sales", "us"},
       .stage = Stage::sent,
       .signatory = Who::manager},
      {.key = "polar-dpa",
       .title = "Data Processing Agreement – Polar Data",
       .type = "other",
       .owner = Who::member,
       .counterparty = "polar",
       .role = "processor",
       .effective = 0,
       .expiration = 730,
       .tags = {"gdpr", "saas"},
       .custom_fields = R"({"dataCategories": "employee and customer contact data"})",
       .stage = Stage::first_signature},
      {.key = "verde-nda",
       .title = "Mutual NDA – Verde Packaging",
       .type = "nda",
       .owner = Who::manager,
       .counterparty = "verde",
       .role = "other party",
       .effective = 0,
       .expiration = 730,
       .tags = {"nda"},
       .stage = Stage::sent,
       .signatory = Who::manager,
       .parallel = true},
      // Approved, ready to send.
      {.key = "bluefin-framework",
       .title = "Logistics Framework Agreement – Bluefin Logistics",
       .type = "msa",
       .owner = Who::member,
       .counterparty = "bluefin",
       .role = "supplier",
       .amount = "450000.00",
       .currency = "EUR",
       .effective = 14,
       .expiration = 1110,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 90,
       .tags = {"logistics", "strategic", "emea"},
       .custom_fields = R"({"costCenter": "CC-3000", "region": "EMEA"})",
       .stage = Stage::approved},
      {.key = "atlas-catering",
       .title = "Catering Services – Atlas Facilities",
       .type = "service",
       .owner = Who::admin,
       .counterparty = "atlas",
       .role = "supplier",
       .amount = "24000.00",
       .currency = "EUR",
       .effective = 15,
       .expiration = 380,
       .notice_days = 30,
       .tags = {"facilities"},
       .stage = Stage::approved},
      {.key = "lumen-nda",
       .title = "Mutual NDA – Lumen Legal",
       .type = "nda",
       .owner = Who::manager,
       .counterparty = "lumen",
       .role = "other party",
       .effective = 0,
       .expiration = 1095,
       .tags = {"nda", "legal"},
       .stage = Stage::approved},
      // Under review.
      {.key = "nimbus-hosting",
       .title = "Cloud Hosting Agreement – Nimbus Cloud Hosting",
       .type = "msa",
       .owner = Who::member,
       .counterparty = "nimbus",
       .role = "provider",
       .amount = "84000.00",
       .currency = "GBP",
       .effective = 14,
       .expiration = 1109,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 90,
       .tags = {"it", "cloud", "gdpr"},
       .custom_fields = R"({"costCenter": "CC-4100", "region": "UK", "dataProcessing": true})",
       .description = "Hosting of the customer portal; replaces the on-premises cluster.",
       .stage = Stage::in_review,
       .document_versions = 2},
      {.key = "sakura-equipment",
       .title = "IT Equipment Purchase – Sakura Components",
       .type = "purchase",
       .owner = Who::member,
       .counterparty = "sakura",
       .role = "supplier",
       .amount = "6200000",
       .currency = "JPY",
       .effective = 7,
       .expiration = 372,
       .tags = {"it", "apac"},
       .stage = Stage::in_review},
      {.key = "schulz-extension",
       .title = "Consulting Extension – Dr. Emma Schulz",
       .type = "service",
       .owner = Who::member,
       .counterparty = "schulz",
       .role = "consultant",
       .amount = "9500.00",
       .currency = "EUR",
       .effective = 30,
       .expiration = 120,
       .tags = {"consulting"},
       .stage = Stage::in_review,
       .parent = "schulz-consulting",
       .relation = "addendum"},
      {.key = "northwind-enterprise",
       .title = "Enterprise Software Agreement – Northwind Analytics",
       .type = "license",
       .owner = Who::member,
       .counterparty = "northwind",
       .role = "licensor",
       .amount = "520000.00",
       .currency = "EUR",
       .effective = 30,
       .expiration = 1125,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 90,
       .tags = {"it", "strategic"},
       .custom_fields = R"({"costCenter": "CC-4100", "budgetLine": "IT-CAPEX-2025"})",
       .stage = Stage::first_stage_approved},
      // Drafts.
      {.key = "northwind-sow2",
       .title = "SOW 2 – Analytics dashboards",
       .type = "sow",
       .owner = Who::member,
       .counterparty = "northwind",
       .role = "vendor",
       .amount = "42000.00",
       .currency = "EUR",
       .effective = 21,
       .expiration = 75,
       .tags = {"it", "project"},
       .document_versions = 0,
       .parent = "northwind-msa",
       .relation = "sow"},
      {.key = "atlas-facility",
       .title = "Facility Management Services – Atlas Facilities",
       .type = "service",
       .owner = Who::member,
       .counterparty = "atlas",
       .role = "supplier",
       .amount = "150000.00",
       .currency = "EUR",
       .effective = 45,
       .expiration = 1140,
       .auto_renew = true,
       .renewal_months = 12,
       .notice_days = 90,
       .tags = {"facilities", "emea"}},
      {.key = "bluefin-robotics",
       .title = "Warehouse Robotics Pilot – Bluefin Logistics",
       .type = "partnership",
       .owner = Who::manager,
       .counterparty = "bluefin",
       .role = "partner",
       .amount = "60000.00",
       .currency = "EUR",
       .effective = 60,
       .expiration = 240,
       .tags = {"logistics", "pilot"},
       .document_versions = 0},
      {.key = "schulz-design",
       .title = "Freelance Design Agreement – Dr. Emma Schulz",
       .type = "service",
       .owner = Who::member,
       .counterparty = "schulz",
       .role = "contractor",
       .amount = "7200.00",
       .currency = "EUR",
       .effective = 20,
       .expiration = 140,
       .tags = {"marketing"},
       .stage = Stage::in_review,
       .then = Then::reject,
       .reason = "Please add the IP assignment clause from our template before resubmitting."},
      {.key = "helios-nda",
       .title = "Mutual NDA – Helios Energía",
       .type = "nda",
       .owner = Who::manager,
       .counterparty = "helios",
       .role = "other party",
       .effective = 0,
       .expiration = 730,
       .tags = {"nda"},
       .document_versions = 0},
  };
  return kContracts;
}

// --- Obligations, comments, watchers -----------------------------------------------------------

enum class Close { no, complete, waive };

struct DemoObligation {
  const char* contract;
  const char* title;
  const char* kind;
  const char* responsible;
  Who assignee;
  int due;                           // days from today
  const char* recurrence = nullptr;  // monthly, quarterly, yearly
  const char* amount = nullptr;
  const char* currency = nullptr;
  Close close = Close::no;
};

const DemoObligation kObligations[] = {
    // Completing the first quarter's rent creates the next occurrence, due in about ten days.
    {"atlas-lease", "Quarterly rent payment", "payment", "us", Who::member, -80, "quarterly",
     "72000.00", "EUR", Close::complete},
    {"bluefin-freight", "Monthly freight invoice", "payment", "us", Who::member, 9, "monthly",
     "8000.00", "EUR"},
    {"kestrel-mss", "Quarterly SOC 2 bridge letter", "reporting", "counterparty", Who::member, 5},
    {"lumen-counsel", "Review the Q3 outside-counsel invoices", "other", "us", Who::admin, -6},
    {"sakura-supply", "Delivery of batch 4 (12,000 units)", "delivery", "counterparty", Who::member,
     20},
    {"sakura-supply", "Supplier quality audit report", "reporting", "counterparty", Who::member,
     -12},
    {"verde-packaging", "Annual sustainability certificate", "compliance", "counterparty",
     Who::member, -30, nullptr, nullptr, nullptr, Close::waive},
    {"northwind-msa", "Decide on renewal and notify Northwind", "notice", "us", Who::manager, 15},
    {"polar-saas", "Annual data protection audit", "compliance", "us", Who::admin, 45},
    {"helios-energy", "Annual price review meeting", "other", "us", Who::manager, 40},
    {"schulz-consulting", "Approve monthly timesheet", "other", "us", Who::admin, -2, "monthly"},
};

struct DemoComment {
  const char* contract;
  Who author;
  // "{admin}", "{manager}", ... become @-mentions of those people.
  const char* body;
  bool reply = false;  // to the previous comment
};

const DemoComment kComments[] = {
    {"nimbus-hosting", Who::member,
     "{manager} Nimbus sent back their redline as version 2: the liability cap is now twelve "
     "months of fees and there is a new service-credit clause. Could you compare it with version "
     "1 before you approve?"},
    {"nimbus-hosting", Who::manager,
     "The new cap is acceptable. I'll check the service credits against our SLA template and "
     "decide today.",
     true},
    {"northwind-enterprise", Who::manager,
     "Commercial terms approved on my side. {admin} over to you for the executive approval: the "
     "three-year commitment is within the IT budget."},
    {"helios-energy", Who::admin,
     "The price-review clause applies at renewal. Let's decide before the notice deadline "
     "whether we re-tender the energy supply."},
    {"helios-energy", Who::member, "Agreed. I have asked two other suppliers for quotes.", true},
    {"bluefin-robotics", Who::manager,
     "First draft from the pilot template. {admin} do we need a DPIA before we share it with "
     "Bluefin?"},
    {"kestrel-reseller", Who::admin,
     "Sent to Jordan Blake at Kestrel. {manager} please countersign once they have signed."},
};

// Contracts the viewer follows (their notifications show up for them).
constexpr const char* kViewerWatches[] = {"helios-energy", "atlas-lease"};

// --- The documents ------------------------------------------------------------------------------

std::string with_thousands(std::string_view amount) {
  const auto dot = amount.find('.');
  const auto whole = amount.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (dot != std::string_view::npos) out += amount.substr(dot);
  return out;
}

std::string file_name_of(std::string_view title) {
  std::string out;
  for (const char c : title) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out + ".pdf";
}

// The contract's text as a generated PDF document. Version 2 (a counterparty's redline) changes
// the payment terms and the liability cap and adds a service-credit clause, so comparing the
// two versions shows real differences.
layout::Document contract_document(const DemoContract& c, const DemoCounterparty& cp,
                                   const std::string& org_name, const CivilDate& today,
                                   int version) {
  const auto date = [&](int offset) { return format_date(add_days(today, offset)); };
  const std::string& us = org_name;
  const std::string them = cp.name;
  layout::Document d;
  d.title = c.title;
  d.subtitle = "Between " + us + " and " + them + (version > 1 ? " — revised draft" : "");
  d.footer = std::string(c.title) + " · version " + std::to_string(version) +
             " · demo document generated by contractmgmt";
  d.created_at = now_unix_ms();

  layout::Block parties{"Parties", {}};
  parties.fields.push_back({"Customer", us, false});
  std::string role = c.role;
  role[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(role[0])));
  parties.fields.push_back({role, them + ", " + cp.address, false});
  if (cp.registration) parties.fields.push_back({"Registration", cp.registration, true});
  layout::Block terms{"Key terms", {}};
  if (c.effective != kNoDate) terms.fields.push_back({"Effective date", date(c.effective), false});
  if (c.expiration != kNoDate)
    terms.fields.push_back({"Expiration date", date(c.expiration), false});
  if (c.amount)
    terms.fields.push_back(
        {"Contract value", std::string(c.currency) + " " + with_thousands(c.amount), false});
  std::string renewal = c.auto_renew
                            ? "Renews automatically for " + std::to_string(c.renewal_months) +
                                  " months at a time unless either party gives notice"
                            : "No automatic renewal";
  if (c.notice_days > 0)
    renewal += "; notice period " + std::to_string(c.notice_days) + " days before expiry";
  terms.fields.push_back({"Renewal", renewal + ".", false});
  d.sections.push_back({"Agreement", {parties, terms}});

  layout::Block clauses{"", {}};
  const auto clause = [&](std::string label, std::string text) {
    clauses.fields.push_back({std::move(label), std::move(text), false});
  };
  clause("1. Scope", them + " provides the services or goods described in the schedules to " + us +
                         ". " + (c.description[0] ? std::string(c.description) + " " : "") +
                         "Each order refers to this agreement and is governed by it.");
  clause("2. Fees and payment",
         version > 1 ? us + " pays each correct invoice within 30 days. Fees may rise once a year "
                            "by at most the consumer price index."
                     : us + " pays each correct invoice within 45 days. Fees are fixed for the "
                            "initial term.");
  clause("3. Term",
         "This agreement starts on the effective date and ends on the expiration date "
         "above unless it is renewed or terminated earlier.");
  clause("4. Termination",
         "Either party may terminate this agreement for a material breach that "
         "is not remedied within 30 days of written notice.");
  clause("5. Confidentiality",
         "Each party keeps the other's confidential information secret "
         "during the term and for five years after it ends.");
  clause("6. Limitation of liability",
         version > 1 ? "Each party's total liability is limited to the fees paid in the twelve "
                       "months before the claim, except for breaches of confidentiality or data "
                       "protection."
                     : "Each party's total liability is limited to the fees paid in the six "
                       "months before the claim.");
  clause("7. Data protection", "Where " + them + " processes personal data for " + us +
                                   ", it does so only on documented instructions and under the "
                                   "data processing terms attached as a schedule.");
  if (version > 1)
    clause("8. Service credits", "If monthly availability falls below 99.9%, " + us +
                                     " receives a credit of up to 10% of that month's fees.");
  clause(version > 1 ? "9. Governing law" : "8. Governing law",
         "This agreement is governed by the laws of " + std::string(cp.law) + ".");
  layout::Block signatures{"Signatures", {}};
  signatures.fields.push_back({"For " + us, "Signed electronically with contractmgmt", false});
  signatures.fields.push_back({"For " + them, "Signed electronically with contractmgmt", false});
  d.sections.push_back({"Terms and conditions", {clauses, signatures}});
  return d;
}

// --- The script ---------------------------------------------------------------------------------

struct DemoCounts {
  int obligations = 0;
  int comments = 0;
  int document_versions = 0;
};

class DemoScript {
 public:
  DemoScript(LocalApi& api, const render::PdfRenderer& pdf, std::string org_name,
             const CivilDate& today, std::map<Who, Principal> people,
             std::map<Who, std::string> emails)
      : api_(api),
        pdf_(pdf),
        org_name_(std::move(org_name)),
        today_(today),
        people_(std::move(people)),
        emails_(std::move(emails)) {
    for (const auto& [who, p] : people_) by_user_id_[p.user_id] = who;
  }

  void counterparties() {
    for (const auto& cp : kCounterparties) {
      bj::object body{{"name", cp.name},           {"kind", cp.kind},
                      {"country", cp.country},     {"address", cp.address},
                      {"contactName", cp.contact}, {"contactEmail", cp.email}};
      if (cp.registration) body["registrationNumber"] = cp.registration;
      const auto created = api_.post(as(Who::manager), "/api/v1/counterparties", body);
      counterparty_ids_[cp.key] = id_of(created);
    }
  }

  // High-value contracts need the manager and then an administrator; NDAs need nobody; the rest
  // one manager.
  void approval_policy() {
    const auto stage = [](const char* name, const char* role, int sla) {
      return bj::object{{"name", name},
                        {"approvers", bj::object{{"roles", bj::array{role}}}},
                        {"mode", "any"},
                        {"slaDays", sla}};
    };
    const bj::object policy{
        {"name", "Demo approval policy"},
        {"rules",
         bj::array{
             bj::object{{"name", "NDAs"},
                        {"when", bj::object{{"types", bj::array{"nda"}}}},
                        {"stages", bj::array{}}},
             bj::object{
                 {"name", "High-value deals"},
                 {"when",
                  bj::object{
                      {"values", bj::array{bj::object{{"currency", "EUR"}, {"min", "100000.00"}},
                                           bj::object{{"currency", "USD"}, {"min", "120000.00"}},
                                           bj::object{{"currency", "GBP"}, {"min", "90000.00"}}}}}},
                 {"stages", bj::array{stage("Commercial review", "manager", 3),
                                      stage("Executive approval", "admin", 5)}}}}},
        {"default", bj::object{{"name", "Standard review"},
                               {"stages", bj::array{stage("Commercial review", "manager", 3)}}}}};
    api_.call(&as(Who::admin), "PUT", "/api/v1/approval-policies", policy);
  }

  void contracts() {
    for (const auto& c : demo_contracts()) {
      const auto id = create(c);
      contract_ids_[c.key] = id;
      if (c.document_versions > 0) upload_documents(c, id);
      advance(c, id);
      finish(c, id);
    }
  }

  void obligations() {
    for (const auto& o : kObligations) {
      const auto& id = contract_ids_.at(o.contract);
      bj::object body{{"title", o.title},
                      {"kind", o.kind},
                      {"responsible", o.responsible},
                      {"assigneeId", as(o.assignee).user_id},
                      {"dueDate", date(o.due)}};
      if (o.recurrence) body["recurrence"] = bj::object{{"frequency", o.recurrence}};
      if (o.amount) body["amount"] = bj::object{{"amount", o.amount}, {"currency", o.currency}};
      const auto& owner = as(owner_of(o.contract));
      const auto created = api_.post(owner, contract_path(id, "/obligations"), body);
      ++counts_.obligations;
      if (o.close == Close::no) continue;
      const auto verb = o.close == Close::complete ? "/complete" : "/waive";
      const auto closed =
          api_.post(owner, contract_path(id, "/obligations/" + id_of(created) + verb), nullptr);
      if (!closed.at("next").is_null()) ++counts_.obligations;
    }
  }

  void conversations() {
    std::string previous;
    for (const auto& c : kComments) {
      std::string body = c.body;
      for (const auto& person : kPeople) {
        const std::string placeholder = "{" + std::string(person.local_part) + "}";
        for (auto at = body.find(placeholder); at != std::string::npos; at = body.find(placeholder))
          body.replace(at, placeholder.size(), "@" + emails_.at(person.who));
      }
      bj::object request{{"body", body}};
      if (c.reply) request["parentId"] = previous;
      const auto created = api_.post(
          as(c.author), contract_path(contract_ids_.at(c.contract), "/comments"), request);
      previous = id_of(created);
      ++counts_.comments;
    }
    for (const auto* key : kViewerWatches)
      api_.call(&as(Who::viewer), "PUT", contract_path(contract_ids_.at(key), "/watchers/me"));
  }

  // After the renewal job: closed contracts leave the day-to-day views. Returns how many.
  int archive() {
    int archived = 0;
    for (const auto& c : demo_contracts()) {
      if (!c.archive) continue;
      api_.post(as(c.owner), contract_path(contract_ids_.at(c.key), "/archive"), nullptr);
      ++archived;
    }
    return archived;
  }

  const DemoCounts& counts() const noexcept { return counts_; }
  const Principal& as(Who who) const { return people_.at(who); }

 private:
  static std::string text(const bj::value& v, std::string_view key) {
    return std::string(v.at(key).as_string());
  }
  static std::string id_of(const bj::value& v) { return text(v, "id"); }
  static std::string contract_path(const std::string& id, const std::string& rest = "") {
    return "/api/v1/contracts/" + id + rest;
  }
  std::string date(int offset) const { return format_date(add_days(today_, offset)); }

  static const DemoCounterparty& counterparty(std::string_view key) {
    for (const auto& cp : kCounterparties)
      if (key == cp.key) return cp;
    throw std::logic_error("no demo counterparty " + std::string(key));
  }
  static Who owner_of(std::string_view key) {
    for (const auto& c : demo_contracts())
      if (key == c.key) return c.owner;
    throw std::logic_error("no demo contract " + std::string(key));
  }

  std::string create(const DemoContract& c) {
    bj::object body{
        {"title", c.title},
        {"type", c.type},
        {"description", c.description},
        {"parties", bj::array{bj::object{{"counterpartyId", counterparty_ids_.at(c.counterparty)},
                                         {"role", c.role}}}}};
    if (c.amount) body["value"] = bj::object{{"amount", c.amount}, {"currency", c.currency}};
    if (c.effective != kNoDate) body["effectiveDate"] = date(c.effective);
    if (c.expiration != kNoDate) body["expirationDate"] = date(c.expiration);
    if (c.auto_renew) body["autoRenew"] = true;
    if (c.renewal_months > 0) body["renewalTermMonths"] = c.renewal_months;
    if (c.notice_days >= 0) body["noticePeriodDays"] = c.notice_days;
    bj::array tags;
    for (const auto* tag : c.tags) tags.emplace_back(tag);
    body["tags"] = std::move(tags);
    if (c.custom_fields) body["customFields"] = bj::parse(c.custom_fields);
    if (c.parent) {
      body["parentId"] = contract_ids_.at(c.parent);
      body["relation"] = c.relation;
    }
    if (c.applies_to_parent) body["appliesToParent"] = bj::array{c.applies_to_parent};
    return id_of(api_.post(as(c.owner), "/api/v1/contracts", body));
  }

  void upload_documents(const DemoContract& c, const std::string& id) {
    const auto& cp = counterparty(c.counterparty);
    const auto name = file_name_of(c.title);
    const auto created =
        api_.upload(as(c.owner), contract_path(id, "/documents?kind=main"), name, "application/pdf",
                    pdf_.render(contract_document(c, cp, org_name_, today_, 1)));
    ++counts_.document_versions;
    for (int v = 2; v <= c.document_versions; ++v) {
      api_.upload(as(c.owner), contract_path(id, "/documents/" + id_of(created) + "/versions"),
                  name, "application/pdf",
                  pdf_.render(contract_document(c, cp, org_name_, today_, v)));
      ++counts_.document_versions;
    }
  }

  // Takes the contract from draft to its stage: submitted by its owner, approved by whoever each
  // stage waits for, sent for signature, signed by the counterparty's contact (by link) and by
  // our signatory (in their session).
  void advance(const DemoContract& c, const std::string& id) {
    if (c.stage == Stage::draft) return;
    const auto& owner = as(c.owner);
    auto submitted =
        api_.post(owner, contract_path(id, "/transitions"), bj::object{{"to", "in_review"}});
    if (c.stage == Stage::in_review) return;
    if (text(submitted, "status") != "approved") {
      for (;;) {
        const auto approval = api_.get(owner, contract_path(id, "/approval"));
        if (text(approval, "status") != "pending") break;
        const auto stage = approval.at("currentStage").to_number<std::int64_t>();
        if (c.stage == Stage::first_stage_approved && stage >= 1) return;
        const auto& awaiting = approval.at("stages")
                                   .as_array()
                                   .at(static_cast<std::size_t>(stage))
                                   .at("awaiting")
                                   .as_array();
        if (awaiting.empty()) throw std::runtime_error(std::string(c.title) + ": no approver");
        const auto approver = by_user_id_.at(std::string(awaiting.at(0).as_string()));
        api_.post(as(approver), contract_path(id, "/approval/decisions"),
                  bj::object{{"decision", "approve"},
                             {"comment", stage == 0 ? "Commercial terms checked; within budget."
                                                    : "Approved for signature."}});
      }
    }
    if (c.stage <= Stage::approved) return;
    const auto& cp = counterparty(c.counterparty);
    const auto& signatory = as(c.signatory);
    const auto request = api_.post(
        owner, contract_path(id, "/signature-requests"),
        bj::object{{"signers", bj::array{bj::object{{"name", cp.contact}, {"email", cp.email}},
                                         bj::object{{"userId", signatory.user_id}}}},
                   {"order", c.parallel ? "parallel" : "sequential"},
                   {"message", "Please review and sign the attached agreement. Thank you!"}});
    if (c.stage == Stage::sent) return;
    const std::string sha(request.at("document").at("sha256").as_string());
    const std::string link(request.at("signers").at(0).at("signUrl").as_string());
    api_.call(nullptr, "POST", link,
              bj::object{{"action", "sign"},
                         {"fullName", cp.contact},
                         {"consent", true},
                         {"documentSha256", sha}});
    if (c.stage == Stage::first_signature) return;
    api_.post(signatory, contract_path(id, "/signature-requests/" + id_of(request) + "/sign"),
              bj::object{{"action", "sign"},
                         {"fullName", name_of(c.signatory)},
                         {"consent", true},
                         {"documentSha256", sha}});
  }

  void finish(const DemoContract& c, const std::string& id) {
    const std::string reason = c.reason ? c.reason : "";
    switch (c.then) {
      case Then::nothing:
        return;
      case Then::reject:
        api_.post(as(Who::manager), contract_path(id, "/approval/decisions"),
                  bj::object{{"decision", "reject"}, {"comment", reason}});
        return;
      case Then::cancel:
        api_.post(as(c.owner), contract_path(id, "/transitions"),
                  bj::object{{"to", "cancelled"}, {"comment", reason}});
        return;
      case Then::renew:
        api_.post(as(c.owner), contract_path(id, "/renew"),
                  bj::object{{"termMonths", 24}, {"comment", reason}});
        return;
      case Then::terminate_now:
        api_.post(as(c.owner), contract_path(id, "/transitions"),
                  bj::object{{"to", "terminated"}, {"comment", reason}});
        return;
      case Then::terminate_for_cause:
        api_.post(as(Who::manager), contract_path(id, "/terminate"),
                  bj::object{{"reason", reason}, {"forCause", true}});
        return;
      case Then::terminate_later:
        api_.post(as(c.owner), contract_path(id, "/terminate"),
                  bj::object{{"reason", reason}, {"effectiveDate", date(c.notice_days + 10)}});
        return;
    }
  }

  static const char* name_of(Who who) {
    for (const auto& p : kPeople)
      if (p.who == who) return p.name;
    return "";
  }

  LocalApi& api_;
  const render::PdfRenderer& pdf_;
  std::string org_name_;
  CivilDate today_;
  std::map<Who, Principal> people_;
  std::map<Who, std::string> emails_;
  std::map<std::string, Who> by_user_id_;
  std::map<std::string, std::string> counterparty_ids_;
  std::map<std::string, std::string> contract_ids_;
  DemoCounts counts_;
};

// "Demo Company" → "demo-company.example": the demo's people's e-mail domain.
std::string email_domain(std::string_view org_name) {
  std::string out;
  for (const char c : org_name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 50) out.resize(50);
  return (out.empty() ? std::string("demo") : out) + ".example";
}

Principal principal_of(const std::string& org_id, const std::string& user_id, Role role) {
  return Principal{org_id, user_id, ActorType::user, role, user_id};
}

std::int64_t count_of(const bj::value& report, std::string_view status) {
  return report.at("contracts").at("byStatus").at(status).to_number<std::int64_t>();
}

}  // namespace

int seed_demo_command(const Config& config, const SeedOptions& options) {
  if (config.app_env == AppEnv::production) {
    std::cerr << "contractmgmt: seed refuses to run with APP_ENV=production\n";
    return 2;
  }
  const std::string org_name = options.org.empty() ? kDemoOrganization : options.org;
  if (org_name.size() > 200) {
    std::cerr << "contractmgmt: --org: must be 1-200 characters\n";
    return 2;
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the CLI reads its environment before any thread starts.
  const char* given = std::getenv("CM_PASSWORD");
  const bool generated = given == nullptr || *given == '\0';
  const std::string password =
      generated ? "demo-" + crypto::hex_encode(crypto::random_bytes(8)) : given;
  if (auto problem = auth::password_problem(password); !problem.empty()) {
    std::cerr << "contractmgmt: CM_PASSWORD " << problem << "\n";
    return 2;
  }

  auto db = open_configured_database(config);
  if (!db) return 1;
  const auto schema = require_current_schema(*db);
  if (!schema) return 1;
  // Everything the demo needs, before anything is written.
  auto documents = open_document_storage(config);
  if (!documents) return 1;
  if (auto reachable = documents->blobs->check(); !reachable) {
    std::cerr << "contractmgmt: document storage: " << reachable.error().detail() << "\n";
    return 1;
  }
  const auto pdf = open_certificate_renderer();
  if (!pdf) return 1;

  try {
    {
      auto lease = db->acquire();
      const auto org = store::OrganizationRepository(*lease).find_by_name(org_name);
      if (org && store::ContractRepository(*lease).has_any(org->id)) {
        std::cerr << "contractmgmt: the organization \"" << org_name
                  << "\" has contracts already; the demo fills only an organization without "
                     "any (choose another with --org NAME)\n";
        return 1;
      }
    }
    const auto domain = email_domain(org_name);
    std::map<Who, std::string> emails;
    for (const auto& person : kPeople)
      emails[person.who] = std::string(person.local_part) + "@" + domain;

    // The administrator the way `user create` makes one (and the organization if it is new);
    // everyone else through the API, by that administrator.
    User admin;
    admin.id = new_id();
    admin.email = emails.at(Who::admin);
    admin.name = kPeople[0].name;
    admin.role = Role::admin;
    admin.password_hash = auth::hash_password(password);
    admin.created_at = admin.updated_at = now_unix_ms();
    std::string org_id;
    try {
      org_id = add_user_to_org(*db, org_name, admin);
    } catch (const store::DbError& e) {
      if (e.kind() != store::DbError::Kind::unique_violation) throw;
      std::cerr << "contractmgmt: a user with email " << admin.email
                << " exists already (a demo of another organization with a similar name?); "
                   "choose another --org NAME\n";
      return 1;
    }

    obs::Logger log(obs::LogLevel::error);
    obs::Metrics metrics;
    std::atomic<bool> draining{false};
    api::AuthCache auth_cache(config.auth_cache_ttl);
    workflow::OrgCalendar calendar;
    // Jobs the requests enqueue (text extraction) wait for `serve`'s embedded worker or
    // `contractmgmt worker`.
    jobs::DatabaseJobQueue queue(*db);
    const api::ApiDependencies deps{
        *db,
        log,
        metrics,
        config.jwt_secret,
        draining,
        *schema,
        auth_cache,
        calendar,
        nullptr,
        document_services(config, *documents, *pdf,
                          [&queue](store::Transaction& tx, const std::string& org,
                                   const std::string& document_id, int version) {
                            jobs::enqueue_text_extraction(queue, tx, org, document_id, version);
                          }),
        &queue,
        config.app_env != AppEnv::development};
    const auto spool = scratch_directory(config);
    std::filesystem::create_directories(spool);
    LocalApi api(api::build_router(deps), spool);

    std::map<Who, Principal> people;
    people[Who::admin] = principal_of(org_id, admin.id, Role::admin);
    for (const auto& person : kPeople) {
      if (person.who == Who::admin) continue;
      const auto created = api.post(people.at(Who::admin), "/api/v1/users",
                                    bj::object{{"email", emails.at(person.who)},
                                               {"name", person.name},
                                               {"role", to_string(person.role)},
                                               {"password", password}});
      people[person.who] =
          principal_of(org_id, std::string(created.at("id").as_string()), person.role);
    }

    const auto today = calendar.today(*db, org_id, now_unix_ms());
    DemoScript script(api, *pdf, org_name, today, people, emails);
    script.counterparties();
    script.approval_policy();
    script.contracts();
    script.obligations();
    script.conversations();
    // Tonight's renewal run, now: contracts past their expiration expire or renew, reminders of
    // the notice deadlines ahead go out.
    const auto renewals = jobs::run_renewals_for_org(*db, calendar, org_id, now_unix_ms());
    // What it made, as the API reports it (before archiving: the report leaves archived
    // contracts out of its counts by status).
    const auto report = api.get(people.at(Who::admin), "/api/v1/reports/summary");
    const auto archived = script.archive();

    const auto pending =
        api.get(people.at(Who::manager), "/api/v1/approvals?assignee=me").at("items").as_array();
    const auto upcoming =
        api.get(people.at(Who::admin), "/api/v1/renewals?within=90").at("items").as_array();
    std::int64_t total = 0;
    std::string by_status;
    for (const auto state : kAllContractStates) {
      const auto n = count_of(report, to_string(state));
      total += n;
      by_status +=
          (by_status.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(to_string(state));
    }
    const auto& counts = script.counts();
    std::cout << "Demo data loaded into \"" << org_name << "\" (organization " << org_id
              << "), dates relative to " << format_date(today) << ":\n"
              << "  " << total << " contracts: " << by_status << "; " << archived
              << " of the closed ones archived\n"
              << "  " << std::size(kCounterparties) << " counterparties, " << counts.obligations
              << " obligations (" << report.at("overdueObligations").to_number<std::int64_t>()
              << " overdue), " << counts.comments << " comments, " << counts.document_versions
              << " document versions\n"
              << "  " << pending.size() << " approvals waiting for the manager, " << upcoming.size()
              << " notice deadlines or expirations in the next 90 days; the renewal run expired "
              << renewals.expired << ", renewed " << renewals.renewed << " and sent "
              << renewals.reminders << (renewals.reminders == 1 ? " reminder\n" : " reminders\n")
              << "  Text extraction of the documents is queued: `serve` (in development) or "
                 "`contractmgmt worker` runs it.\n\n"
              << "Sign in with "
              << (generated ? "the password " + password
                            : std::string("the password in CM_PASSWORD"))
              << ":\n";
    for (const auto& person : kPeople)
      std::cout << "  " << emails.at(person.who) << "  (" << to_string(person.role) << ", "
                << person.name << ")\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: the demo failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace cm::app
