// SPDX-License-Identifier: AGPL-3.0-or-later
// `contractmgmt seed --demo` on a fresh database of each backend, next to a running server, as a
// newcomer would use it: the printed people sign in, every status is there, the audit chain
// verifies, the manager has approvals waiting, renewals are due soon, a document has two versions
// that compare, a signature request waits for its second signer, obligations are overdue and
// due; and a second run on the same organization is refused without changing anything.

#include <regex>
#include <sstream>
#include <thread>

#include "api_fixture.hpp"
#include "core/lifecycle.hpp"

namespace cm::test::api {
namespace {

constexpr const char* kPassword = "demo-password-for-tests";

class DemoSeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = start_server("demo").release();
    org_name_ = new std::string(unique_name("Demo Org"));
    auto* result = new CliResult(run_cli({"seed", "--demo", "--org", *org_name_}, env()));
    first_run_ = result;
  }
  static void TearDownTestSuite() {
    delete first_run_;
    delete org_name_;
    delete server_;
    first_run_ = nullptr;
    org_name_ = nullptr;
    server_ = nullptr;
  }

  static EnvMap env() {
    auto e = server_->env();
    e["CM_PASSWORD"] = kPassword;
    return e;
  }
  static const CliResult& first_run() { return *first_run_; }

  // The sign-in e-mails the seed printed, by role.
  static std::map<std::string, std::string> printed_emails() {
    std::map<std::string, std::string> out;
    const std::regex line(R"(^\s+(\S+@\S+)\s+\((admin|manager|member|viewer), )");
    std::istringstream in(first_run().out);
    for (std::string l; std::getline(in, l);)
      if (std::smatch m; std::regex_search(l, m, line)) out[m[2]] = m[1];
    return out;
  }

  static HttpClient as(const std::string& role) {
    Account a;
    a.email = printed_emails().at(role);
    a.password = kPassword;
    login(*server_, a);
    return client_for(*server_, a.access_token);
  }

  static std::vector<bj::object> all_contracts(HttpClient& client) {
    std::vector<bj::object> out;
    for (const auto& item : items_of(body_of(client.get("/api/v1/contracts?limit=200"))))
      out.push_back(item.as_object());
    return out;
  }

  static ServerProcess& server() { return *server_; }

 private:
  static inline ServerProcess* server_ = nullptr;
  static inline std::string* org_name_ = nullptr;
  static inline CliResult* first_run_ = nullptr;
};

TEST_F(DemoSeedTest, PrintsPeopleForEveryRoleWhoCanSignIn) {
  ASSERT_EQ(first_run().exit_code, 0) << first_run().err << first_run().out;
  const auto emails = printed_emails();
  for (const auto* role : kRoles) {
    ASSERT_TRUE(emails.contains(role)) << role << " missing from:\n" << first_run().out;
    Account a;
    a.email = emails.at(role);
    a.password = kPassword;
    EXPECT_NO_THROW(login(server(), a)) << role;
    const auto me = body_of(client_for(server(), a.access_token).get("/api/v1/me"));
    EXPECT_EQ(str(me, "role"), role);
  }
  // The password came from CM_PASSWORD, so it is not printed.
  EXPECT_EQ(first_run().out.find(kPassword), std::string::npos);
}

TEST_F(DemoSeedTest, EveryStatusIsPresentAndTheAuditChainVerifies) {
  ASSERT_EQ(first_run().exit_code, 0) << first_run().err;
  auto admin = as("admin");
  const auto report = body_of(admin.get("/api/v1/reports/summary"));
  const auto& by_status = report.at("contracts").at("byStatus").as_object();
  std::int64_t total = report.at("contracts").at("archived").as_int64();
  for (const auto state : kAllContractStates) {
    const auto n = by_status.at(to_string(state)).as_int64();
    EXPECT_GE(n, 1) << to_string(state);
    total += n;
  }
  EXPECT_GE(report.at("contracts").at("archived").as_int64(), 1);
  EXPECT_GE(total, 35);
  EXPECT_LE(total, 50);
  // Several currencies in force.
  EXPECT_GE(report.at("activeValue").as_array().size(), 3u);

  const auto me = body_of(admin.get("/api/v1/me"));
  const auto org_id = str(me.at("organization").as_object(), "id");
  const auto verify = run_cli({"audit", "verify", "--org", org_id}, server().env());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("intact"), std::string::npos) << verify.out;

  // The history of a signed contract is the lifecycle the API walks, not inserted rows.
  std::string active_id;
  for (const auto& c : all_contracts(admin))
    if (str(c, "status") == "active" && c.at("parentId").is_null()) active_id = str(c, "id");
  ASSERT_FALSE(active_id.empty());
  std::vector<std::string> path;
  for (const auto& h : items_of(body_of(admin.get(contract_url(active_id, "/history")))))
    path.push_back(str(h.as_object(), "to"));
  const std::vector<std::string> expected = {"in_review", "approved", "out_for_signature",
                                             "active"};
  EXPECT_EQ(path, expected);
}

TEST_F(DemoSeedTest, TheManagerHasApprovalsWaitingAndRenewalsAreDueSoon) {
  ASSERT_EQ(first_run().exit_code, 0) << first_run().err;
  auto manager = as("manager");
  const auto approvals = items_of(body_of(manager.get("/api/v1/approvals?assignee=me")));
  EXPECT_GE(approvals.size(), 2u);

  const auto renewals = body_of(manager.get("/api/v1/renewals?within=90"));
  bool within_30 = false;
  bool notice_ahead = false;
  for (const auto& item : items_of(renewals)) {
    const auto& o = item.as_object();
    const auto next = parse_date(str(o, "nextDate"));
    const auto today = parse_date(str(renewals, "today"));
    ASSERT_TRUE(next && today);
    if (days_between(*today, *next) <= 30) within_30 = true;
    if (str(o, "nextEvent") == "notice_deadline") notice_ahead = true;
  }
  EXPECT_GE(items_of(renewals).size(), 3u);
  EXPECT_TRUE(within_30);
  EXPECT_TRUE(notice_ahead);

  // Obligations: some overdue, some due in the next two weeks, one recurring.
  auto member = as("member");
  EXPECT_GE(items_of(body_of(member.get("/api/v1/obligations?status=overdue"))).size(), 1u);
  const auto open = items_of(body_of(member.get("/api/v1/obligations?status=open&limit=100")));
  bool recurring = false;
  for (const auto& o : open)
    if (!o.as_object().at("recurrence").is_null()) recurring = true;
  EXPECT_TRUE(recurring);
  // The manager's in-app notifications: approvals requested, mentions.
  EXPECT_GE(body_of(manager.get("/api/v1/notifications/unread-count")).at("count").as_int64(), 1);
}

TEST_F(DemoSeedTest, ADocumentHasTwoVersionsThatCompareAndASignerIsPending) {
  ASSERT_EQ(first_run().exit_code, 0) << first_run().err;
  auto member = as("member");
  std::string contract_id, document_id;
  bool one_signer_pending = false;
  for (const auto& c : all_contracts(member)) {
    const auto id = str(c, "id");
    for (const auto& d : items_of(body_of(member.get(contract_url(id, "/documents"))))) {
      if (d.as_object().at("latestVersion").as_int64() == 2) {
        contract_id = id;
        document_id = str(d.as_object(), "id");
      }
    }
    if (str(c, "status") != "out_for_signature") continue;
    for (const auto& r : items_of(body_of(member.get(contract_url(id, "/signature-requests"))))) {
      int signed_ = 0, pending = 0;
      for (const auto& s : r.as_object().at("signers").as_array()) {
        const auto status = str(s.as_object(), "status");
        signed_ += status == "signed";
        pending += status == "pending";
      }
      if (str(r.as_object(), "status") == "pending" && signed_ >= 1 && pending == 1)
        one_signer_pending = true;
    }
  }
  EXPECT_TRUE(one_signer_pending);
  ASSERT_FALSE(document_id.empty()) << "no document with a second version";
  const auto first =
      member.get(contract_url(contract_id, "/documents/" + document_id + "/versions/1/content"));
  ASSERT_STATUS(first, 200);
  EXPECT_TRUE(first.body.starts_with("%PDF-"));
  // The server's embedded worker extracts both texts; then the redline compares.
  const auto compare_path =
      contract_url(contract_id, "/documents/" + document_id + "/versions/1/compare/2");
  HttpResponse compared;
  for (int i = 0; i < 300; ++i) {
    compared = member.get(compare_path);
    if (compared.status != 409) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_STATUS(compared, 200);
  const auto summary = body_of(compared).at("summary").as_object();
  EXPECT_GT(summary.at("insertedWords").as_int64(), 0);
  EXPECT_GT(summary.at("deletedWords").as_int64(), 0);
}

TEST_F(DemoSeedTest, ASecondRunOnTheSameOrganizationIsRefusedAndChangesNothing) {
  ASSERT_EQ(first_run().exit_code, 0) << first_run().err;
  auto admin = as("admin");
  const auto before = all_contracts(admin).size();
  const auto again =
      run_cli({"seed", "--demo", "--org",
               str(body_of(admin.get("/api/v1/me")).at("organization").as_object(), "name")},
              env());
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("has contracts already"), std::string::npos) << again.err;
  EXPECT_EQ(all_contracts(admin).size(), before);
  // The benchmark options do not mix with the demo.
  const auto mixed = run_cli({"seed", "--demo", "--contracts", "10"}, env());
  EXPECT_EQ(mixed.exit_code, 2) << mixed.err;
}

}  // namespace
}  // namespace cm::test::api
