// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/approval_sla_repository.hpp"

#include <boost/json/parse.hpp>

namespace cm::store {

namespace {

std::string s(std::string_view v) {
  return std::string(v);
}

constexpr const char* kColumns = "id, org_id, approval, created_at, updated_at";

StoredApproval approval_row(const Row& r) {
  StoredApproval a;
  a.id = r.text(0);
  a.org_id = r.text(1);
  a.approval = approval_from_json(boost::json::parse(r.text(2)).as_object());
  a.created_at = r.int64(3);
  a.updated_at = r.int64(4);
  return a;
}

}  // namespace

std::vector<ApprovalSlaRepository::Pending> ApprovalSlaRepository::pending_after(
    const std::optional<std::pair<std::string, std::string>>& after, int limit) {
  // Index contract_approvals_pending_org_id (migration 9, partial); the notices by primary key.
  std::vector<Param> params{std::int64_t{limit}};
  std::string keyset;
  if (after) {
    params.emplace_back(after->first);
    params.emplace_back(after->second);
    keyset = " AND (a.org_id > $2 OR (a.org_id = $2 AND a.id > $3))";
  }
  std::vector<Pending> out;
  for (const auto& row :
       conn_
           .query("SELECT a.id, a.org_id, a.approval, a.created_at, a.updated_at, "
                  "(SELECT MAX(n.stage) FROM approval_sla_notices n WHERE n.approval_id = a.id) "
                  "FROM contract_approvals a WHERE a.status = 'pending'" +
                      keyset + " ORDER BY a.org_id, a.id LIMIT $1",
                  params)
           .rows) {
    const auto stage = row.opt_int64(5);
    out.push_back(
        {approval_row(row),
         stage ? std::optional<std::size_t>(static_cast<std::size_t>(*stage)) : std::nullopt});
  }
  return out;
}

std::optional<StoredApproval> ApprovalSlaRepository::pending_for_update(std::string_view org_id,
                                                                        std::string_view id) {
  const std::string lock = conn_.dialect() == Dialect::postgres ? " FOR UPDATE" : "";
  const auto r = conn_.query(std::string("SELECT ") + kColumns +
                                 " FROM contract_approvals WHERE org_id = $1 AND id = $2 AND "
                                 "status = 'pending'" +
                                 lock,
                             {s(org_id), s(id)});
  if (r.empty()) return std::nullopt;
  return approval_row(r.rows.front());
}

bool ApprovalSlaRepository::record_notice(std::string_view approval_id, std::size_t stage,
                                          const CivilDate& due_on, std::int64_t now) {
  return conn_
             .query(
                 "INSERT INTO approval_sla_notices (approval_id, stage, due_on, sent_at) VALUES "
                 "($1, $2, $3, $4) ON CONFLICT (approval_id, stage) DO NOTHING",
                 {s(approval_id), static_cast<std::int64_t>(stage), format_date(due_on), now})
             .affected == 1;
}

}  // namespace cm::store
