// SPDX-License-Identifier: AGPL-3.0-or-later
// The contracts list as CSV: the same filters and order as GET /api/v1/contracts, every page of
// it up to kMaxExportRows, with counterparties and owners by name so that the file reads on its
// own in a spreadsheet.

#include <map>

#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "core/contract.hpp"
#include "core/contract_query.hpp"
#include "core/csv.hpp"
#include "core/lifecycle.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "store/contract_repository.hpp"
#include "store/counterparty_repository.hpp"
#include "store/user_repository.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::api {

namespace {

// About 10 MB of CSV; larger exports are cut here and say so in a header.
constexpr std::size_t kMaxExportRows = 50'000;

// Names by id, each looked up once per export.
class NameBook {
 public:
  explicit NameBook(store::Connection& conn, std::string org_id)
      : conn_(conn), org_id_(std::move(org_id)) {}

  const std::string& counterparty(const std::string& id) {
    return remember(counterparties_, id, [&] {
      auto c = store::CounterpartyRepository(conn_).find(org_id_, id);
      return c ? c->name : id;
    });
  }
  const std::string& user(const std::string& id) {
    return remember(users_, id, [&] {
      auto u = store::UserRepository(conn_).find(org_id_, id);
      return u ? u->email : id;
    });
  }

 private:
  template <class Lookup>
  static const std::string& remember(std::map<std::string, std::string>& book,
                                     const std::string& id, Lookup lookup) {
    auto it = book.find(id);
    if (it == book.end()) it = book.emplace(id, lookup()).first;
    return it->second;
  }

  store::Connection& conn_;
  std::string org_id_;
  std::map<std::string, std::string> counterparties_;
  std::map<std::string, std::string> users_;
};

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(separator)) + p;
  return out;
}

void append_header(std::string& out) {
  using csv::Field;
  csv::append_row(out, {Field{"id"}, Field{"title"}, Field{"type"}, Field{"status"},
                        Field{"counterparties"}, Field{"owner"}, Field{"value"}, Field{"currency"},
                        Field{"effectiveDate"}, Field{"expirationDate"}, Field{"noticeDeadline"},
                        Field{"autoRenew"}, Field{"renewalTermMonths"}, Field{"noticePeriodDays"},
                        Field{"tags"}, Field{"createdAt"}, Field{"updatedAt"}});
}

void append_contract(std::string& out, const Contract& c, const CivilDate& today, NameBook& names) {
  using csv::Cell;
  using csv::Field;
  std::vector<std::string> parties;
  for (const auto& party : c.parties)
    parties.push_back(names.counterparty(party.counterparty_id) + " (" + party.role + ")");
  const auto derived = derived_dates(c, today);
  const auto notice = derived.notice_deadline ? format_date(*derived.notice_deadline) : "";
  const auto amount = c.value ? format_amount(c.value->minor, c.value->currency) : "";
  const auto term = c.renewal_term_months ? std::to_string(*c.renewal_term_months) : "";
  const auto notice_days = c.notice_period_days ? std::to_string(*c.notice_period_days) : "";
  csv::append_row(
      out, {Field{c.id, Cell::value}, Field{c.title}, Field{c.type}, Field{c.status, Cell::value},
            Field{joined(parties, "; ")}, Field{names.user(c.owner_id)}, Field{amount, Cell::value},
            Field{c.value ? c.value->currency : "", Cell::value},
            Field{c.effective_date.value_or(""), Cell::value},
            Field{c.expiration_date.value_or(""), Cell::value}, Field{notice, Cell::value},
            Field{c.auto_renew ? "true" : "false", Cell::value}, Field{term, Cell::value},
            Field{notice_days, Cell::value}, Field{joined(c.tags, "; ")},
            Field{format_rfc3339(c.created_at), Cell::value},
            Field{format_rfc3339(c.updated_at), Cell::value}});
}

class ContractExportHandlers {
 public:
  explicit ContractExportHandlers(const ApiDependencies& deps)
      : db_(deps.db), calendar_(deps.calendar) {}

  http::Response export_csv(http::Request& req) {
    const auto& p = principal_of(req);
    for (const auto& [key, value] : req.query)
      if (key == "cursor" || key == "limit")
        throw validation_failed({{key, "does not apply to an export, which holds every page"}});
    auto query = parse_contract_query(req.query);
    if (!query) throw query.error();
    query->limit = kMaxLimit;
    std::string out;
    append_header(out);
    std::size_t rows = 0;
    bool truncated = false;
    CivilDate today;
    {
      auto lease = db_.acquire();
      today = calendar_.today(*lease, p.org_id, now_unix_ms());
      NameBook names(*lease, p.org_id);
      store::ContractRepository contracts(*lease);
      for (;;) {
        auto page = contracts.list(p.org_id, *query);
        for (const auto& c : page.items) {
          if (rows == kMaxExportRows) {
            truncated = true;
            break;
          }
          append_contract(out, c, today, names);
          ++rows;
        }
        if (truncated || !page.next) break;
        query->after = std::move(page.next);
      }
    }
    auto response = http::Response::text(200, std::move(out), "text/csv; charset=utf-8");
    response.headers.set("Content-Disposition",
                         "attachment; filename=\"contracts-" + format_date(today) + ".csv\"");
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("X-Export-Rows", std::to_string(rows));
    if (truncated) response.headers.set("X-Export-Truncated", "true");
    return response;
  }

 private:
  store::Database& db_;
  workflow::OrgCalendar& calendar_;
};

}  // namespace

void add_contract_export_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<ContractExportHandlers>(deps);
  router.add("GET", "/api/v1/contracts/export", [h](http::Request& r) { return h->export_csv(r); });
}

}  // namespace cm::api
