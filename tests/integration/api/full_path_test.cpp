// SPDX-License-Identifier: AGPL-3.0-or-later
// The whole contract lifecycle on the real binary, on both databases, with two workers (the
// server's embedded one and a separate `contractmgmt worker`): draft → review → approval →
// signature by an external link → active; an amendment signed the same way updates its master;
// the renewal job, run several times at once, sends the notice reminder once to each follower;
// and after the expiration date the contract expires.

#include "api_fixture.hpp"
#include "core/crypto.hpp"
#include "support/sample_files.hpp"

namespace cm::test::api {
namespace {

constexpr const char* kFullPathKey = "ZnVsbC1wYXRoLXRlc3RzLW9ubHktMzItYnl0ZXMtayE=";  // 32 bytes
const HeaderList kJson = {{"Accept", "application/json"}};

class FullPath {
 public:
  FullPath()
      : server_(start_server("full-path",
                             {{"ENCRYPTION_KEY", kFullPathKey}, {"WORKER_CONCURRENCY", "2"}})),
        worker_(std::make_unique<ServerProcess>(
            EnvMap{{"DATABASE_URL", server_->env().at("DATABASE_URL")},
                   {"DATA_DIR", server_->env().at("DATA_DIR")},
                   {"ENCRYPTION_KEY", kFullPathKey},
                   {"WORKER_CONCURRENCY", "2"}},
            kWorkerCommand)),
        org_(make_org(*server_, {"admin", "manager", "member"})) {}

  ServerProcess& server() { return *server_; }
  HttpClient as(const std::string& role) { return client_for(*server_, org_[role].access_token); }
  const std::string& user_id(const std::string& role) { return org_[role].id; }

  // A member's draft with a main document; returns its id and the document's bytes.
  std::pair<std::string, std::string> draft_with_document(const std::string& title,
                                                          bj::object extra) {
    auto member = as("member");
    const auto id = str(create_contract(member, contract_input(title, std::move(extra))), "id");
    const auto pdf = make_pdf({title, "Signature page."});
    const std::string boundary = "----cmFullPath";
    const auto body =
        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nmain\r\n--" +
        boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + title +
        ".pdf\"\r\nContent-Type: application/pdf\r\n\r\n" + pdf + "\r\n--" + boundary + "--\r\n";
    const auto r = member.post(contract_url(id, "/documents"), body,
                               {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
    if (r.status != 201) throw std::runtime_error("upload: " + r.body);
    return {id, pdf};
  }

  // Review and approval: the member submits, a manager approves.
  void approve(const std::string& id) {
    auto member = as("member");
    auto r = member.post_json(contract_url(id, "/transitions"), bj::object{{"to", "in_review"}});
    ASSERT_STATUS(r, 200);
    r = as("manager").post_json(contract_url(id, "/approval/decisions"),
                                bj::object{{"decision", "approve"}});
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(status_of(id), "approved");
  }

  // Sends the contract to one external signer, who opens the link without logging in, checks the
  // document and signs it.
  void sign_externally(const std::string& id, const std::string& document) {
    auto r = as("member").post_json(
        contract_url(id, "/signature-requests"),
        bj::object{{"signers", bj::array{bj::object{{"name", "Dana Counterparty"},
                                                    {"email", "dana@counterparty.example"}}}},
                   {"order", "sequential"}});
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(status_of(id), "out_for_signature");
    const auto link = str(body_of(r).at("signers").as_array().at(0).as_object(), "signUrl");
    auto signer = client_for(*server_);
    const auto page = body_of(signer.get(link, kJson));
    const auto& shown = page.at("document").as_object();
    const auto bytes = signer.get(str(shown, "url"));
    ASSERT_STATUS(bytes, 200);
    ASSERT_EQ(bytes.body, document);
    r = signer.post_json(link, bj::object{{"action", "sign"},
                                          {"fullName", "Dana Counterparty"},
                                          {"consent", true},
                                          {"documentSha256", crypto::sha256_hex(bytes.body)}});
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(str(body_of(r), "contractStatus"), "active");
    r = signer.post_json(link, bj::object{{"action", "sign"},
                                          {"fullName", "Dana Counterparty"},
                                          {"consent", true},
                                          {"documentSha256", crypto::sha256_hex(bytes.body)}});
    EXPECT_EQ(r.status, 410) << "a link is single-use: " << r.body;
  }

  bj::object contract(const std::string& id) { return body_of(as("admin").get(contract_url(id))); }
  std::string status_of(const std::string& id) { return str(contract(id), "status"); }

  std::vector<bj::object> renewal_notices(const std::string& role, const std::string& id) {
    std::vector<bj::object> out;
    for (const auto& n : items_of(body_of(as(role).get("/api/v1/notifications?limit=200"))))
      if (str(n.as_object(), "kind") == "renewal" && str(n.as_object(), "entityId") == id)
        out.push_back(n.as_object());
    return out;
  }

 private:
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<ServerProcess> worker_;
  Org org_;
};

TEST(FullPath, DraftToSignedToRemindedToExpiredWithTwoWorkers) {
  FullPath path;
  auto [master, master_pdf] = path.draft_with_document(
      "Master services", {{"expirationDate", day(37)},
                          {"noticePeriodDays", 7},
                          {"value", bj::object{{"amount", "1000.00"}, {"currency", "EUR"}}}});
  path.approve(master);
  path.sign_externally(master, master_pdf);
  auto signed_master = path.contract(master);
  EXPECT_EQ(str(signed_master, "status"), "active");
  EXPECT_FALSE(signed_master.at("signedAt").is_null());
  EXPECT_EQ(str(signed_master, "noticeDeadline"), day(30));
  int certificates = 0;
  for (const auto& d : items_of(body_of(path.as("member").get(contract_url(master, "/documents")))))
    certificates += str(d.as_object(), "kind") == "signed_copy";
  EXPECT_EQ(certificates, 2);  // the certificate as JSON and as PDF

  // An amendment raising the value, through the same review and signature, updates the master.
  auto [amendment, amendment_pdf] = path.draft_with_document(
      "Amendment 1", {{"parentId", master},
                      {"relation", "amendment"},
                      {"value", bj::object{{"amount", "1500.00"}, {"currency", "EUR"}}},
                      {"appliesToParent", bj::array{"value"}}});
  path.approve(amendment);
  path.sign_externally(amendment, amendment_pdf);
  EXPECT_EQ(str(path.contract(master).at("value").as_object(), "amount"), "1500.00");
  const auto amended = body_of(
      path.as("admin").get("/api/v1/audit?entityId=" + master + "&action=contract.amended"));
  ASSERT_EQ(items_of(amended).size(), 1u);
  EXPECT_EQ(str(items_of(amended)[0].as_object().at("changes").as_object(), "amendmentId"),
            amendment);
  const auto tree = body_of(path.as("member").get(contract_url(amendment, "/related")));
  EXPECT_EQ(str(tree, "rootId"), master);
  EXPECT_EQ(tree.at("contracts").as_array().size(), 2u);

  // 30 days before the notice deadline: one reminder each for the owner and for the approver
  // (approvers follow what they approve), however many runs race on the two workers.
  run_job_and_wait(path.server(), "renewals.daily", 3);
  run_job_and_wait(path.server(), "renewals.daily", 1);
  for (const auto& role : {"member", "manager"}) {
    const auto notices = path.renewal_notices(role, master);
    ASSERT_EQ(notices.size(), 1u) << role;
    const auto& data = notices[0].at("data").as_object();
    EXPECT_EQ(data.at("daysBefore").as_int64(), 30) << role;
    EXPECT_EQ(str(data, "noticeDeadline"), day(30)) << role;
  }
  EXPECT_TRUE(path.renewal_notices("admin", master).empty());

  // The expiration date passes (the clock moved on): the next run expires the contract, once.
  const auto moved = run_sql(path.server(), "UPDATE contracts SET expiration_date = '" + day(-1) +
                                                "', notice_deadline = '" + day(-8) +
                                                "' WHERE id = '" + master + "';");
  ASSERT_EQ(moved.exit_code, 0) << moved.output;
  run_job_and_wait(path.server(), "renewals.daily", 2);
  const auto expired = path.contract(master);
  EXPECT_EQ(str(expired, "status"), "expired");
  EXPECT_TRUE(expired.at("daysToExpiry").is_null());
  const auto history = items_of(body_of(path.as("member").get(contract_url(master, "/history"))));
  std::vector<std::string> states;
  for (const auto& h : history) states.push_back(str(h.as_object(), "to"));
  EXPECT_EQ(states, (std::vector<std::string>{"in_review", "approved", "out_for_signature",
                                              "active", "expired"}));
  EXPECT_EQ(path.renewal_notices("member", master).size(), 2u);  // the reminder and the expiry
}

}  // namespace
}  // namespace cm::test::api
