// SPDX-License-Identifier: AGPL-3.0-or-later
// The audit trail: every change is recorded with before/after, chained by hashes so that
// `contractmgmt audit verify` notices when someone edits or removes history in the database.

#include <thread>

#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  ServerProcess& server() { return shared_server(); }
};

std::vector<bj::object> events_of(const HttpResponse& r) {
  std::vector<bj::object> out;
  for (const auto& item : items_of(body_of(r))) out.push_back(item.as_object());
  return out;
}

std::vector<std::string> actions_of(const std::vector<bj::object>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(str(e, "action"));
  return out;
}

TEST_F(AuditTest, ContractChangesAreRecordedWithBeforeAndAfterInAHashChain) {
  Org org = make_org(server(), {"admin", "member"});
  auto member = client_for(server(), org["member"].access_token);
  const auto id =
      str(create_contract(member, contract_input("Audited", {{"noticePeriodDays", 10}})), "id");
  ASSERT_STATUS(member.patch_json("/api/v1/contracts/" + id, bj::object{{"title", "Audited v2"}},
                                  {{"If-Match", "\"1\""}}),
                200);

  const auto r = member.get("/api/v1/audit?entityId=" + id);
  ASSERT_STATUS(r, 200);
  const auto events = events_of(r);
  ASSERT_EQ(actions_of(events), (std::vector<std::string>{"contract.updated", "contract.created"}))
      << r.body;
  const auto& updated = events[0];
  EXPECT_EQ(str(updated, "actorId"), org["member"].id);
  EXPECT_EQ(str(updated, "entityType"), "contract");
  const auto& title_change = updated.at("changes").as_object().at("title").as_object();
  EXPECT_EQ(str(title_change, "from"), "Audited");
  EXPECT_EQ(str(title_change, "to"), "Audited v2");
  EXPECT_FALSE(updated.at("changes").as_object().contains("noticePeriodDays"))
      << "unchanged fields are not listed";
  const auto& created_title = events[1].at("changes").as_object().at("title").as_object();
  EXPECT_TRUE(created_title.at("from").is_null());
  EXPECT_EQ(str(created_title, "to"), "Audited");

  // The administrator's full view: a gap-free chain, each event pointing at its predecessor.
  auto admin = client_for(server(), org["admin"].access_token);
  const auto all = admin.get("/api/v1/audit?limit=200");
  ASSERT_STATUS(all, 200);
  auto chain = events_of(all);
  std::reverse(chain.begin(), chain.end());  // oldest first
  ASSERT_GE(chain.size(), 6u);  // org + 2 users created, 2 logins, contract created/updated
  for (std::size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(chain[i].at("seq").as_int64(), static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(str(chain[i], "hash").size(), 64u);
    if (i > 0) {
      EXPECT_EQ(str(chain[i], "prevHash"), str(chain[i - 1], "hash")) << "seq " << i + 1;
    }
  }

  const auto verify = run_cli({"audit", "verify", "--org", org.id}, server().env());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("intact"), std::string::npos) << verify.out;
}

TEST_F(AuditTest, MembersSeeContractEventsOnlyAndFiltersNarrowTheTrail) {
  Org org = make_org(server(), {"admin", "member"});
  auto member = client_for(server(), org["member"].access_token);
  auto admin = client_for(server(), org["admin"].access_token);
  create_contract(member, contract_input("By the member"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  create_contract(admin, contract_input("By the admin"));

  const auto mine = events_of(member.get("/api/v1/audit?limit=200"));
  ASSERT_FALSE(mine.empty());
  for (const auto& e : mine) EXPECT_EQ(str(e, "entityType"), "contract") << str(e, "action");
  EXPECT_PROBLEM(member.get("/api/v1/audit?entityType=user"), 403, "/problems/forbidden");

  const auto logins = events_of(admin.get("/api/v1/audit?action=user.login&limit=200"));
  EXPECT_EQ(logins.size(), 2u);
  for (const auto& e : logins) EXPECT_EQ(str(e, "action"), "user.login");

  const auto by_member = events_of(
      admin.get("/api/v1/audit?actorId=" + org["member"].id + "&action=contract.created"));
  ASSERT_EQ(by_member.size(), 1u);
  EXPECT_EQ(str(by_member[0].at("changes").as_object().at("title").as_object(), "to"),
            "By the member");

  // Time window: everything after the first contract is the admin's contract.
  const auto all = events_of(admin.get("/api/v1/audit?action=contract.created"));
  ASSERT_EQ(all.size(), 2u);
  const auto newest_at = str(all[0], "at");
  const auto oldest_at = str(all[1], "at");
  ASSERT_LT(oldest_at, newest_at);
  const auto from =
      events_of(admin.get("/api/v1/audit?action=contract.created&from=" + url_encode(newest_at)));
  ASSERT_EQ(from.size(), 1u);
  EXPECT_EQ(str(from[0], "actorId"), org["admin"].id);
  // `to` is exclusive: [from, to).
  const auto to_response =
      admin.get("/api/v1/audit?action=contract.created&to=" + url_encode(newest_at));
  const auto to = events_of(to_response);
  ASSERT_EQ(to.size(), 1u) << to_response.body;
  EXPECT_EQ(str(to[0], "actorId"), org["member"].id);
  const auto future = events_of(admin.get("/api/v1/audit?from=2099-01-01T00:00:00Z"));
  EXPECT_TRUE(future.empty());

  EXPECT_PROBLEM(admin.get("/api/v1/audit?from=yesterday"), 400, "/problems/validation");
  EXPECT_PROBLEM(admin.get("/api/v1/audit?entityId=42"), 400, "/problems/validation");
  EXPECT_PROBLEM(admin.get("/api/v1/audit?verb=x"), 400, "/problems/validation");
}

TEST_F(AuditTest, VerifyDetectsEditedAndDeletedHistory) {
  const auto tamper_server = start_server("tamper");
  auto& s = *tamper_server;
  Org org = make_org(s, {"admin"});
  auto admin = client_for(s, org["admin"].access_token);
  const auto id = str(create_contract(admin, contract_input("Evidence")), "id");
  ASSERT_STATUS(admin.patch_json("/api/v1/contracts/" + id, bj::object{{"title", "Evidence v2"}},
                                 {{"If-Match", "\"1\""}}),
                200);
  const auto intact = run_cli({"audit", "verify"}, s.env());
  ASSERT_EQ(intact.exit_code, 0) << intact.out << intact.err;

  // The database itself refuses to rewrite history.
  const auto refused = run_sql(s, "UPDATE audit_events SET action = 'x' WHERE seq = 2;");
  EXPECT_NE(refused.exit_code, 0) << refused.output;
  const auto refused_delete = run_sql(s, "DELETE FROM audit_events WHERE seq = 2;");
  EXPECT_NE(refused_delete.exit_code, 0) << refused_delete.output;
  EXPECT_EQ(run_cli({"audit", "verify"}, s.env()).exit_code, 0);

  // Someone with database access disables the guard and edits an event.
  const bool sqlite = s.env().at("DATABASE_URL").starts_with("sqlite:");
  const std::string disable =
      sqlite ? "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
             : "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;";
  const auto original = run_sql(s, "SELECT action FROM audit_events WHERE seq = 2;");
  const auto tampered =
      run_sql(s, disable + " UPDATE audit_events SET action = 'x' WHERE seq = 2;");
  ASSERT_EQ(tampered.exit_code, 0) << tampered.output;
  const auto broken = run_cli({"audit", "verify"}, s.env());
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(broken.out.find("seq 2"), std::string::npos) << broken.out;

  // Put it back: intact again, so the hash really covers the action.
  ASSERT_EQ(run_sql(s, "UPDATE audit_events SET action = 'user.created' WHERE seq = 2;").exit_code,
            0);
  EXPECT_NE(original.output.find("user.created"), std::string::npos) << original.output;
  const auto restored = run_cli({"audit", "verify"}, s.env());
  EXPECT_EQ(restored.exit_code, 0) << restored.out;

  // Removing the newest event (the edit of the contract) is noticed too.
  const auto deleted =
      run_sql(s, "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events);");
  ASSERT_EQ(deleted.exit_code, 0) << deleted.output;
  const auto truncated = run_cli({"audit", "verify"}, s.env());
  EXPECT_EQ(truncated.exit_code, 1) << truncated.out << truncated.err;
  EXPECT_NE(truncated.out.find("BROKEN"), std::string::npos) << truncated.out;
  EXPECT_EQ(s.terminate(), 0);
}

}  // namespace
}  // namespace cm::test::api
