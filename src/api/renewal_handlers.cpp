// SPDX-License-Identifier: AGPL-3.0-or-later
// Renewals and related contracts over HTTP: the upcoming notice deadlines and expirations, manual
// renewal with new terms, termination with notice, and the tree of related contracts. The rules
// live in src/core (renewal, lifecycle); src/workflow applies them with history, audit events and
// notifications in one transaction.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/contract_json.hpp"
#include "api/etags.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/paging.hpp"
#include "api/transactions.hpp"
#include "core/calendar.hpp"
#include "core/lifecycle.hpp"
#include "core/permissions.hpp"
#include "core/renewal.hpp"
#include "core/time.hpp"
#include "store/contract_repository.hpp"
#include "workflow/org_calendar.hpp"
#include "workflow/related.hpp"
#include "workflow/renewals.hpp"

namespace cm::api {

namespace {

constexpr std::string_view kRenewalSort = "nextDate";
constexpr std::int64_t kMaxWithinDays = 730;

bj::object upcoming_json(const Contract& c, const std::string& next_date, const CivilDate& today) {
  const auto derived = derived_dates(c, today);
  const auto notice = derived.notice_deadline;
  bj::object out{
      {"contractId", c.id},
      {"title", c.title},
      {"type", c.type},
      {"status", c.status},
      {"ownerId", c.owner_id},
      {"value", money_to_json(c.value)},
      {"autoRenew", c.auto_renew},
      {"expirationDate", c.expiration_date.value_or("")},
      {"noticeDeadline", notice ? bj::value(bj::string(format_date(*notice))) : bj::value(nullptr)},
      {"daysToExpiry",
       derived.days_to_expiry ? bj::value(*derived.days_to_expiry) : bj::value(nullptr)},
      {"daysToNoticeDeadline",
       notice ? bj::value(days_between(today, *notice)) : bj::value(nullptr)},
      {"nextDate", next_date},
      {"nextEvent",
       notice && format_date(*notice) == next_date && next_date != c.expiration_date.value_or("")
           ? "notice_deadline"
           : "expiration"},
      {"terminationEffectiveDate", c.termination_effective_date
                                       ? bj::value(bj::string(*c.termination_effective_date))
                                       : bj::value(nullptr)}};
  return out;
}

class RenewalHandlers {
 public:
  explicit RenewalHandlers(const ApiDependencies& deps) : db_(deps.db), calendar_(deps.calendar) {}

  // GET /api/v1/renewals?within=90: contracts in force whose notice deadline or expiration is
  // within the next `within` days, soonest first.
  http::Response upcoming(http::Request& req) {
    const auto& p = principal_of(req);
    const auto page = read_page_params(req, kRenewalSort, {"within"});
    std::int64_t within = 90;
    if (const auto text = req.query_param("within")) {
      const auto parsed = parse_int(*text);
      if (!parsed || *parsed < 0 || *parsed > kMaxWithinDays)
        throw validation_failed({{"within", "must be a whole number of days from 0 to " +
                                                std::to_string(kMaxWithinDays)}});
      within = *parsed;
    }
    std::optional<std::pair<std::string, std::string>> after;
    if (page.after) {
      const auto* date = std::get_if<std::string>(&page.after->key);
      if (!date) throw bad_request("The cursor does not belong to this listing.");
      after = std::make_pair(*date, page.after->id);
    }
    std::vector<store::ContractRepository::Upcoming> rows;
    CivilDate today;
    {
      auto lease = db_.acquire();
      today = calendar_.today(*lease, p.org_id, now_unix_ms());
      rows = store::ContractRepository(*lease).upcoming_renewals(
          p.org_id, today, add_days(today, within), after, page.limit + 1);
    }
    bj::value next = nullptr;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.pop_back();
      next = bj::string(encode_cursor(
          {std::string(kRenewalSort), rows.back().next_date, rows.back().contract.id}));
    }
    bj::array items;
    for (const auto& row : rows) items.push_back(upcoming_json(row.contract, row.next_date, today));
    return json_response(200, bj::object{{"items", std::move(items)},
                                         {"nextCursor", next},
                                         {"today", format_date(today)},
                                         {"within", within}});
  }

  http::Response renew(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    const auto expected = if_match_version(req, false);
    auto terms = parse_renewal_terms(read_json_body(req));
    if (!terms) throw terms.error();
    return change_contract(
        req, id, expected,
        [&](store::Connection& conn, Contract& contract, const CivilDate& today) {
          workflow::renew_contract(conn, audit_actor(req), contract, *terms, today, p.user_id);
        });
  }

  http::Response terminate(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    const auto expected = if_match_version(req, false);
    auto request = parse_termination_request(read_json_body(req));
    if (!request) throw request.error();
    if (request->for_cause && !permissions::can_set_legal_hold(p))
      throw forbidden("Only managers and administrators terminate for cause.");
    return change_contract(
        req, id, expected,
        [&](store::Connection& conn, Contract& contract, const CivilDate& today) {
          workflow::terminate_contract(conn, audit_actor(req), contract, *request, today,
                                       p.user_id);
        });
  }

  // GET /api/v1/contracts/{id}/related: the whole tree the contract belongs to.
  http::Response related(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    workflow::RelatedTree tree;
    {
      auto lease = db_.acquire();
      const auto contract = store::ContractRepository(*lease).find(p.org_id, id);
      if (!contract) throw not_found("contract");
      tree = workflow::related_tree(*lease, *contract);
    }
    bj::array nodes;
    for (const auto& node : tree.nodes) {
      const auto& c = node.contract;
      nodes.push_back(bj::object{
          {"id", c.id},
          {"title", c.title},
          {"type", c.type},
          {"status", c.status},
          {"parentId", c.parent_id ? bj::value(bj::string(*c.parent_id)) : bj::value(nullptr)},
          {"relation", c.relation ? bj::value(bj::string(*c.relation)) : bj::value(nullptr)},
          {"depth", node.depth},
          {"value", money_to_json(c.value)},
          {"expirationDate",
           c.expiration_date ? bj::value(bj::string(*c.expiration_date)) : bj::value(nullptr)},
          {"isCurrent", c.id == id}});
    }
    return json_response(200, bj::object{{"rootId", tree.nodes.front().contract.id},
                                         {"contracts", std::move(nodes)},
                                         {"truncated", tree.truncated}});
  }

 private:
  template <class Change>
  http::Response change_contract(http::Request& req, const std::string& id,
                                 std::optional<std::int64_t> expected, Change change) {
    const auto& p = principal_of(req);
    Contract result;
    CivilDate today;
    in_write_transaction(db_, [&](store::Connection& conn) {
      auto contract = store::ContractRepository(conn).find(p.org_id, id);
      if (!contract) throw not_found("contract");
      if (!permissions::can_write(p) || !permissions::can_edit_contract(p, contract->owner_id))
        throw forbidden("You may not change this contract.");
      if (expected && *expected != contract->version)
        throw Error{ErrorKind::precondition_failed,
                    "The contract was changed by someone else; reload and retry."};
      today = calendar_.today(conn, p.org_id, now_unix_ms());
      change(conn, *contract, today);
      result = std::move(*contract);
    });
    return versioned_json(200, contract_json(result, today, p), result.version);
  }

  static std::optional<std::int64_t> parse_int(std::string_view text) {
    if (text.empty() || text.size() > 6) return std::nullopt;
    std::int64_t v = 0;
    for (const char ch : text) {
      if (ch < '0' || ch > '9') return std::nullopt;
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  store::Database& db_;
  workflow::OrgCalendar& calendar_;
};

}  // namespace

void add_renewal_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<RenewalHandlers>(deps);
  router.add("GET", "/api/v1/renewals", [h](http::Request& r) { return h->upcoming(r); });
  router.add("POST", "/api/v1/contracts/{id}/renew", [h](http::Request& r) { return h->renew(r); });
  router.add("POST", "/api/v1/contracts/{id}/terminate",
             [h](http::Request& r) { return h->terminate(r); });
  router.add("GET", "/api/v1/contracts/{id}/related",
             [h](http::Request& r) { return h->related(r); });
}

}  // namespace cm::api
