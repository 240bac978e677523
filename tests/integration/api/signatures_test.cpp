// SPDX-License-Identifier: AGPL-3.0-or-later
// Native e-signatures over HTTP on the real binary, on both databases: an approved contract is
// sent for signature, signers open their link without logging in (JSON or an HTML page), fetch
// the exact document, sign or decline; the last signature activates the contract and stores the
// signature certificate (JSON and PDF) as signed copies. Links are single-use, expire, wait for
// their turn in sequential order, and stop working when a material edit voids the request.

#include <map>
#include <regex>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "core/crypto.hpp"
#include "support/sample_files.hpp"

namespace cm::test::api {
namespace {

constexpr const char* kKey = "c2lnbmF0dXJlLXRlc3RzLW9ubHktMzItYnl0ZXMtay4=";  // 32 bytes
const HeaderList kJson = {{"Accept", "application/json"}};
const HeaderList kBrowser = {
    {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    {"User-Agent", "Mozilla/5.0 (signature test)"}};

ServerProcess& signatures_server() {
  static std::unique_ptr<ServerProcess> server =
      start_server("signatures", {{"ENCRYPTION_KEY", kKey}});
  return *server;
}

std::string multipart_body(const std::string& boundary, const std::string& filename,
                           const std::string& content, const std::string& kind) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind +
         "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
         filename + "\"\r\nContent-Type: application/pdf\r\n\r\n" + content + "\r\n--" + boundary +
         "--\r\n";
}

// The extraction status of a document's first version once the embedded worker is done with it.
std::string extraction_of(HttpClient& c, const std::string& doc_path) {
  for (int i = 0; i < 200; ++i) {
    const auto doc = body_of(c.get(doc_path));
    const auto& v1 = doc.at("versions").as_array().at(0).as_object();
    const auto status = str(v1.at("extraction").as_object(), "status");
    if (status != "pending") return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "pending after 20 s";
}

class SignaturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    org_ = new Org(make_org(signatures_server()));
    add_user(signatures_server(), *org_, "colleague", "member");
    other_ = new Org(make_org(signatures_server(), {"admin"}));
  }
  static void TearDownTestSuite() {
    delete org_;
    delete other_;
    org_ = other_ = nullptr;
  }
  static HttpClient as(const std::string& key) {
    return client_for(signatures_server(), (*org_)[key].access_token);
  }
  static HttpClient anonymous() { return client_for(signatures_server()); }
  static std::string path(const std::string& contract, const std::string& rest = "") {
    return "/api/v1/contracts/" + contract + rest;
  }
  static HttpResponse upload(const std::string& contract, const std::string& filename,
                             const std::string& content, const std::string& kind = "main") {
    const std::string boundary = "----cmSignatureBoundary";
    auto c = as("member");
    return c.post(path(contract, "/documents"), multipart_body(boundary, filename, content, kind),
                  {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
  }
  static std::string status_of(const std::string& contract) {
    auto c = as("admin");
    return str(body_of(c.get(path(contract))), "status");
  }
  static std::int64_t unread(const std::string& key) {
    auto c = as(key);
    return body_of(c.get("/api/v1/notifications/unread-count")).at("count").as_int64();
  }

  // A member's contract with a main document, approved by a manager. Returns its id.
  struct Approved {
    std::string id;
    std::string title;
    std::string document;  // the main document's bytes
  };
  static Approved approved_contract(bool with_main = true) {
    auto member = as("member");
    Approved a;
    a.title = unique_name("Supply agreement");
    a.id = str(create_contract(member, contract_input(a.title)), "id");
    if (with_main) {
      a.document = make_pdf({"Supply agreement " + a.id, "Signature page."});
      const auto r = upload(a.id, "supply.pdf", a.document);
      if (r.status != 201) throw std::runtime_error("upload: " + r.body);
    }
    auto r = member.post_json(path(a.id, "/transitions"), bj::object{{"to", "in_review"}});
    if (r.status != 200) throw std::runtime_error("submit: " + r.body);
    auto manager = as("manager");
    r = manager.post_json(path(a.id, "/approval/decisions"), bj::object{{"decision", "approve"}});
    if (r.status != 200) throw std::runtime_error("approve: " + r.body);
    return a;
  }
  static HttpResponse send(const std::string& contract, bj::array signers,
                           std::string order = "sequential", bj::object extra = {}) {
    auto member = as("member");
    bj::object body{{"signers", std::move(signers)}, {"order", std::move(order)}};
    for (auto& kv : extra) body[kv.key()] = kv.value();
    return member.post_json(path(contract, "/signature-requests"), body);
  }
  static bj::object external(const std::string& name, const std::string& email) {
    return bj::object{{"name", name}, {"email", email}};
  }
  // The signer links of a created request, in order.
  static std::vector<std::string> links_of(const bj::object& request) {
    std::vector<std::string> out;
    for (const auto& s : request.at("signers").as_array())
      out.push_back(str(s.as_object(), "signUrl"));
    return out;
  }
  static bj::object sign_body(const std::string& name, const std::string& sha256) {
    return bj::object{
        {"action", "sign"}, {"fullName", name}, {"consent", true}, {"documentSha256", sha256}};
  }
  static bj::object request_of(const std::string& contract, const std::string& request_id) {
    auto c = as("member");
    return body_of(c.get(path(contract, "/signature-requests/" + request_id)));
  }

  static Org* org_;
  static Org* other_;
};
Org* SignaturesTest::org_ = nullptr;
Org* SignaturesTest::other_ = nullptr;

TEST_F(SignaturesTest, ExternalSignerSignsByLinkAndTheContractBecomesActiveWithACertificate) {
  const auto a = approved_contract();
  const auto sha = crypto::sha256_hex(a.document);
  const auto owner_before = unread("member");
  auto r = send(a.id, bj::array{external("Bob Buyer", "bob@buyer.example")}, "sequential",
                bj::object{{"message", "Please sign by Friday."}});
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  EXPECT_EQ(str(created, "status"), "pending");
  EXPECT_EQ(str(created.at("document").as_object(), "sha256"), sha);
  EXPECT_EQ(r.header("Location"), path(a.id, "/signature-requests/" + str(created, "id")));
  const auto link = links_of(created).at(0);
  ASSERT_TRUE(std::regex_match(link, std::regex("/sign/[A-Za-z0-9_-]{43}"))) << link;
  EXPECT_EQ(status_of(a.id), "out_for_signature");

  // Only the hash of the token is stored.
  const auto token = link.substr(6);
  const auto count_where = [&](const std::string& value) {
    const auto q = run_sql(
        signatures_server(),
        "SELECT 'n=' || count(*) FROM signature_signers WHERE token_hash = '" + value + "';");
    EXPECT_EQ(q.exit_code, 0) << q.output;
    return q.output.find("n=1") != std::string::npos ? 1 : 0;
  };
  EXPECT_EQ(count_where(crypto::sha256_hex(token)), 1);
  EXPECT_EQ(count_where(token), 0);
  // Listing shows statuses, never links or tokens.
  auto member = as("member");
  r = member.get(path(a.id, "/signature-requests"));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body.find(token), std::string::npos);
  EXPECT_EQ(r.body.find("signUrl"), std::string::npos);
  EXPECT_EQ(items_of(body_of(r)).size(), 1u);

  // The signer sees what to sign, without logging in.
  auto signer = anonymous();
  r = signer.get(link, kJson);
  ASSERT_STATUS(r, 200);
  const auto page = body_of(r);
  EXPECT_EQ(str(page.at("contract").as_object(), "title"), a.title);
  EXPECT_EQ(str(page, "message"), "Please sign by Friday.");
  EXPECT_EQ(str(page.at("signer").as_object(), "name"), "Bob Buyer");
  EXPECT_EQ(str(page.at("requestedBy").as_object(), "name"), "Test member");
  const auto& doc = page.at("document").as_object();
  EXPECT_EQ(str(doc, "name"), "supply.pdf");
  EXPECT_EQ(str(doc, "sha256"), sha);
  EXPECT_EQ(doc.at("size").as_int64(), static_cast<std::int64_t>(a.document.size()));
  r = signer.get(str(doc, "url"));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body, a.document);
  EXPECT_EQ(crypto::sha256_hex(r.body), sha);
  EXPECT_EQ(r.header("Content-Type"), "application/pdf");

  // Consent is explicit; the name is required.
  r = signer.post_json(link, bj::object{{"action", "sign"},
                                        {"fullName", "Bob Buyer"},
                                        {"consent", false},
                                        {"documentSha256", sha}});
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(r, "consent"));
  r = signer.post_json(link, sign_body("Bob Buyer", sha), {{"User-Agent", "SignerAgent/1.0"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "signed");
  EXPECT_EQ(str(body_of(r), "requestStatus"), "completed");
  EXPECT_EQ(str(body_of(r), "contractStatus"), "active");

  // The contract is active, signed, and has its certificate.
  const auto contract = body_of(member.get(path(a.id)));
  EXPECT_EQ(str(contract, "status"), "active");
  EXPECT_FALSE(contract.at("signedAt").is_null());
  EXPECT_FALSE(contract.at("activatedAt").is_null());
  const auto request = request_of(a.id, str(created, "id"));
  EXPECT_EQ(str(request, "status"), "completed");
  const auto& s0 = request.at("signers").as_array().at(0).as_object();
  EXPECT_EQ(str(s0, "status"), "signed");
  EXPECT_FALSE(str(s0, "signedAt").empty());
  const auto json_id = str(request.at("certificate").as_object(), "jsonDocumentId");
  const auto pdf_id = str(request.at("certificate").as_object(), "pdfDocumentId");
  r = member.get(path(a.id, "/documents/" + json_id + "/versions/1/content"));
  ASSERT_STATUS(r, 200);
  const auto certificate = bj::parse(r.body).as_object();
  EXPECT_EQ(str(certificate.at("document").as_object(), "sha256"), sha);
  EXPECT_EQ(str(certificate.at("contract").as_object(), "title"), a.title);
  const auto& signed_by = certificate.at("signers").as_array().at(0).as_object();
  EXPECT_EQ(str(signed_by, "name"), "Bob Buyer");
  EXPECT_EQ(str(signed_by, "email"), "bob@buyer.example");
  EXPECT_EQ(str(signed_by, "typedName"), "Bob Buyer");
  EXPECT_EQ(str(signed_by, "ip"), "127.0.0.1");
  EXPECT_EQ(str(signed_by, "userAgent"), "SignerAgent/1.0");
  EXPECT_EQ(str(signed_by, "documentSha256"), sha);
  EXPECT_TRUE(signed_by.at("consent").as_bool());
  EXPECT_EQ(str(certificate.at("audit").as_object(), "headHash").size(), 64u);
  r = member.get(path(a.id, "/documents/" + pdf_id + "/versions/1/content"));
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(r.body.starts_with("%PDF-1.4"));
  EXPECT_EQ(r.header("Content-Type"), "application/pdf");
  // Its text (shaped glyphs in embedded fonts, so not in the bytes) as the extraction job reads it.
  const auto pdf_path = path(a.id, "/documents/" + pdf_id);
  EXPECT_EQ(extraction_of(member, pdf_path), "done");
  r = member.get(pdf_path + "/versions/1/text");
  ASSERT_STATUS(r, 200);
  EXPECT_NE(r.body.find("Bob Buyer <bob@buyer.example>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(sha), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(a.title), std::string::npos) << r.body;
  const auto docs = body_of(member.get(path(a.id, "/documents")));
  int signed_copies = 0;
  for (const auto& d : items_of(docs)) signed_copies += str(d.as_object(), "kind") == "signed_copy";
  EXPECT_EQ(signed_copies, 2);

  // The head named by the certificate is the signature event's in the audit trail.
  auto admin = as("admin");
  const auto audit =
      body_of(admin.get("/api/v1/audit?entityId=" + a.id + "&action=signature.signed"));
  ASSERT_EQ(items_of(audit).size(), 1u);
  EXPECT_EQ(str(items_of(audit)[0].as_object(), "hash"),
            str(certificate.at("audit").as_object(), "headHash"));
  EXPECT_EQ(str(items_of(audit)[0].as_object(), "actorType"), "signer");

  // History: out for signature, then active (by the system).
  const auto history = items_of(body_of(member.get(path(a.id, "/history"))));
  ASSERT_GE(history.size(), 2u);
  EXPECT_EQ(str(history[history.size() - 2].as_object(), "to"), "out_for_signature");
  EXPECT_EQ(str(history.back().as_object(), "to"), "active");
  EXPECT_TRUE(history.back().as_object().at("system").as_bool());
  // The owner heard of the signature and the completion.
  EXPECT_GE(unread("member"), owner_before + 2);

  // The link worked once.
  EXPECT_PROBLEM(signer.get(link, kJson), 410, "/problems/gone");
  EXPECT_PROBLEM(signer.post_json(link, sign_body("Bob Buyer", sha)), 410, "/problems/gone");
  EXPECT_PROBLEM(signer.get(link + "/document"), 410, "/problems/gone");

  // In force: the main document changes only through an amendment; attachments are fine.
  EXPECT_PROBLEM(upload(a.id, "supply.pdf", make_pdf({"changed"})), 409, "/problems/conflict");
  EXPECT_STATUS(upload(a.id, "annex.pdf", make_pdf({"annex"}), "attachment"), 201);
  EXPECT_EQ(status_of(a.id), "active");
}

// docs/API.md lists document.generated (the certificate) among the contract's audit events: the
// contract's trail (entityId = the contract) includes its documents' events, also for members,
// next to the obligation and signature events filed on the contract itself.
TEST_F(SignaturesTest, ASignedContractsAuditTrailHasItsCertificateDocumentsAndObligations) {
  const auto a = approved_contract();
  auto member = as("member");
  auto r = member.post_json(path(a.id, "/obligations"),
                            bj::object{{"title", "Deliver the goods"}, {"dueDate", "2030-01-31"}});
  ASSERT_STATUS(r, 201);
  r = send(a.id, bj::array{external("Dana Buyer", "dana@buyer.example")});
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  const auto link = links_of(created).at(0);
  auto signer = anonymous();
  ASSERT_STATUS(signer.post_json(link, sign_body("Dana Buyer", crypto::sha256_hex(a.document))),
                200);
  const auto request = request_of(a.id, str(created, "id"));
  const auto json_id = str(request.at("certificate").as_object(), "jsonDocumentId");
  const auto pdf_id = str(request.at("certificate").as_object(), "pdfDocumentId");

  for (const auto* role : {"admin", "member"}) {
    auto c = as(role);
    const auto trail = items_of(body_of(c.get("/api/v1/audit?entityId=" + a.id + "&limit=200")));
    std::map<std::string, std::vector<std::string>> entities_of;  // action -> entity ids
    for (const auto& e : trail)
      entities_of[str(e.as_object(), "action")].push_back(str(e.as_object(), "entityId"));
    ASSERT_EQ(entities_of["document.generated"].size(), 2u) << role;
    std::set<std::string> generated(entities_of["document.generated"].begin(),
                                    entities_of["document.generated"].end());
    EXPECT_EQ(generated, (std::set<std::string>{json_id, pdf_id})) << role;
    EXPECT_EQ(entities_of["document.uploaded"].size(), 1u) << role;
    EXPECT_EQ(entities_of["obligation.created"], std::vector<std::string>{a.id}) << role;
    EXPECT_EQ(entities_of["signature.signed"].size(), 1u) << role;
    EXPECT_EQ(entities_of["contract.activated"].size(), 1u) << role;
    EXPECT_EQ(entities_of["contract.created"].size(), 1u) << role;
  }
  // A document's own trail is still just its own.
  auto admin = as("admin");
  const auto own = items_of(body_of(admin.get("/api/v1/audit?entityId=" + json_id)));
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(str(own[0].as_object(), "action"), "document.generated");
  // And the chain still verifies.
  const auto verify = run_cli({"audit", "verify", "--org", org_->id}, signatures_server().env());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(SignaturesTest, OnlyApprovedContractsWithOneMainDocumentAreSent) {
  auto member = as("member");
  const auto draft = str(create_contract(member, contract_input(unique_name("Draft"))), "id");
  EXPECT_PROBLEM(send(draft, bj::array{external("A", "a@x.example")}), 409, "/problems/conflict");
  const auto bare = approved_contract(false);
  EXPECT_PROBLEM(send(bare.id, bj::array{external("A", "a@x.example")}), 422,
                 "/problems/unprocessable");
  EXPECT_EQ(status_of(bare.id), "approved");

  const auto a = approved_contract();
  auto r = send(a.id, bj::array{});
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  r = send(a.id, bj::array{bj::object{{"userId", (*other_)["admin"].id}}});
  EXPECT_PROBLEM(r, 400, "/problems/validation");
  EXPECT_TRUE(has_field_error(r, "signers[0].userId"));
  r = send(a.id, bj::array{external("A", "a@x.example")}, "sequential",
           bj::object{{"expiresInDays", 365}});
  EXPECT_TRUE(has_field_error(r, "expiresInDays"));
  auto viewer = as("viewer");
  EXPECT_PROBLEM(viewer.post_json(path(a.id, "/signature-requests"),
                                  bj::object{{"signers", bj::array{external("A", "a@x.example")}}}),
                 403, "/problems/forbidden");
  ASSERT_STATUS(send(a.id, bj::array{external("A", "a@x.example")}), 201);
  // Once out for signature, a second request is a conflict.
  EXPECT_PROBLEM(send(a.id, bj::array{external("A", "a@x.example")}), 409, "/problems/conflict");
}

TEST_F(SignaturesTest, DeclineByFormReturnsTheContractToApprovedWithTheReason) {
  const auto a = approved_contract();
  auto r =
      send(a.id, bj::array{external("Carol", "carol@x.example"), external("Dan", "dan@x.example")},
           "parallel");
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  const auto links = links_of(created);
  auto browser = anonymous();
  r = browser.post(
      links[0], "action=decline&reason=The+price+is+wrong+%28too+high%29",
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "text/html"}});
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(r.header("Content-Type").starts_with("text/html"));
  EXPECT_NE(r.body.find("declined"), std::string::npos);
  EXPECT_EQ(status_of(a.id), "approved");
  const auto request = request_of(a.id, str(created, "id"));
  EXPECT_EQ(str(request, "status"), "declined");
  EXPECT_NE(str(request, "endReason").find("The price is wrong (too high)"), std::string::npos);
  EXPECT_EQ(str(request.at("signers").as_array()[0].as_object(), "status"), "declined");
  auto member = as("member");
  const auto history = items_of(body_of(member.get(path(a.id, "/history"))));
  EXPECT_EQ(str(history.back().as_object(), "to"), "approved");
  EXPECT_NE(str(history.back().as_object(), "comment").find("too high"), std::string::npos);
  // The request is over: the other signer's link no longer works.
  EXPECT_PROBLEM(anonymous().get(links[1], kJson), 410, "/problems/gone");
  // And the contract can be sent again.
  EXPECT_STATUS(send(a.id, bj::array{external("Carol", "carol@x.example")}), 201);
}

TEST_F(SignaturesTest, SequentialOrderMakesLaterSignersWait) {
  const auto a = approved_contract();
  const auto sha = crypto::sha256_hex(a.document);
  auto r = send(a.id, bj::array{external("First", "first@x.example"),
                                external("Second", "second@x.example")});
  ASSERT_STATUS(r, 201);
  const auto links = links_of(body_of(r));
  auto c = anonymous();
  EXPECT_PROBLEM(c.get(links[1], kJson), 409, "/problems/conflict");
  EXPECT_PROBLEM(c.post_json(links[1], sign_body("Second Person", sha)), 409, "/problems/conflict");
  EXPECT_PROBLEM(c.get(links[1] + "/document"), 409, "/problems/conflict");
  r = c.post_json(links[0], sign_body("First Person", sha));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "requestStatus"), "pending");
  EXPECT_EQ(status_of(a.id), "out_for_signature");
  ASSERT_STATUS(c.get(links[1], kJson), 200);
  r = c.post_json(links[1], sign_body("Second Person", sha));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "contractStatus"), "active");
}

TEST_F(SignaturesTest, ExpiredLinksAreGone) {
  const auto a = approved_contract();
  auto r = send(a.id, bj::array{external("Late", "late@x.example")}, "sequential",
                bj::object{{"expiresInDays", 1}});
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  const auto link = links_of(created)[0];
  const auto sql =
      run_sql(signatures_server(), "UPDATE signature_requests SET expires_at = 1000 WHERE id = '" +
                                       str(created, "id") + "';");
  ASSERT_EQ(sql.exit_code, 0) << sql.output;
  auto c = anonymous();
  EXPECT_PROBLEM(c.get(link, kJson), 410, "/problems/gone");
  EXPECT_PROBLEM(c.post_json(link, sign_body("Late Signer", crypto::sha256_hex(a.document))), 410,
                 "/problems/gone");
  EXPECT_EQ(str(request_of(a.id, str(created, "id")), "status"), "expired");
  // The requester cancels it and the contract is approved again.
  auto member = as("member");
  r = member.post_json(path(a.id, "/signature-requests/" + str(created, "id") + "/cancel"),
                       bj::object{{"reason", "expired"}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "cancelled");
  EXPECT_EQ(status_of(a.id), "approved");
}

TEST_F(SignaturesTest, ANewMainDocumentVersionVoidsTheRequestAndItsLinks) {
  const auto a = approved_contract();
  const auto sha = crypto::sha256_hex(a.document);
  auto r = send(a.id, bj::array{external("Eve", "eve@x.example")});
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  const auto link = links_of(created)[0];
  auto c = anonymous();
  ASSERT_STATUS(c.get(link, kJson), 200);
  // A hash that is not the document's is refused.
  EXPECT_PROBLEM(c.post_json(link, sign_body("Eve Example", std::string(64, 'a'))), 409,
                 "/problems/conflict");
  // The owner uploads a new version of the main document while it is out for signature.
  ASSERT_STATUS(upload(a.id, "supply.pdf", make_pdf({"Supply agreement, new price"})), 200);
  EXPECT_EQ(status_of(a.id), "draft");
  const auto request = request_of(a.id, str(created, "id"));
  EXPECT_EQ(str(request, "status"), "voided");
  EXPECT_NE(str(request, "endReason").find("mainDocument"), std::string::npos);
  // The signature on the version that changed is refused.
  EXPECT_PROBLEM(c.post_json(link, sign_body("Eve Example", sha)), 410, "/problems/gone");
  auto member = as("member");
  const auto history = items_of(body_of(member.get(path(a.id, "/history"))));
  EXPECT_EQ(str(history.back().as_object(), "from"), "out_for_signature");
  EXPECT_EQ(str(history.back().as_object(), "to"), "draft");
  EXPECT_NE(str(history.back().as_object(), "comment").find("material edit"), std::string::npos);
  EXPECT_EQ(str(body_of(member.get(path(a.id, "/approval"))), "status"), "void");
}

TEST_F(SignaturesTest, AMaterialEditVoidsTheRequestAndAttachmentsDoNot) {
  const auto a = approved_contract();
  auto r = send(a.id, bj::array{external("Fay", "fay@x.example")});
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  const auto link = links_of(created)[0];
  // An attachment is not a term.
  ASSERT_STATUS(upload(a.id, "price-list.pdf", make_pdf({"prices"}), "attachment"), 201);
  EXPECT_EQ(status_of(a.id), "out_for_signature");
  auto member = as("member");
  const auto version = body_of(member.get(path(a.id))).at("version").as_int64();
  r = member.patch_json(path(a.id),
                        bj::object{{"value", bj::object{{"amount", "99.00"}, {"currency", "EUR"}}}},
                        {{"If-Match", "\"" + std::to_string(version) + "\""}});
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "status"), "draft");
  EXPECT_EQ(str(request_of(a.id, str(created, "id")), "status"), "voided");
  EXPECT_PROBLEM(anonymous().get(link, kJson), 410, "/problems/gone");
}

TEST_F(SignaturesTest, InternalSignerSignsInTheirSessionAndLinksCanBeReissued) {
  const auto a = approved_contract();
  const auto sha = crypto::sha256_hex(a.document);
  const auto colleague_before = unread("colleague");
  auto r = send(
      a.id,
      bj::array{bj::object{{"userId", (*org_)["colleague"].id}}, external("Gus", "gus@x.example")},
      "sequential");
  ASSERT_STATUS(r, 201);
  const auto created = body_of(r);
  const auto rid = str(created, "id");
  const auto links = links_of(created);
  EXPECT_EQ(str(created.at("signers").as_array()[0].as_object(), "name"), "Test member");
  EXPECT_EQ(unread("colleague"), colleague_before + 1);  // in-app: your signature is requested

  // Re-issuing a link: the old one names nothing any more, the new one works.
  auto member = as("member");
  const auto gus = str(created.at("signers").as_array()[1].as_object(), "id");
  r = member.post(path(a.id, "/signature-requests/" + rid + "/signers/" + gus + "/reissue"), "");
  ASSERT_STATUS(r, 200);
  const auto new_link = str(body_of(r), "signUrl");
  EXPECT_NE(new_link, links[1]);
  EXPECT_PROBLEM(anonymous().get(links[1], kJson), 404, "/problems/not-found");
  EXPECT_PROBLEM(anonymous().get(new_link, kJson), 409, "/problems/conflict");  // not yet

  // Someone who is not a signer cannot sign in a session; the colleague can.
  const std::string sign = path(a.id, "/signature-requests/" + rid + "/sign");
  EXPECT_PROBLEM(member.post_json(sign, sign_body("Test member", sha)), 403, "/problems/forbidden");
  auto colleague = as("colleague");
  r = colleague.post_json(sign, sign_body("Colleague Name", sha));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r).at("signers").as_array()[0].as_object(), "via"), "session");
  EXPECT_PROBLEM(colleague.post_json(sign, sign_body("Colleague Name", sha)), 409,
                 "/problems/conflict");
  // The colleague's link is used up too.
  EXPECT_PROBLEM(anonymous().get(links[0], kJson), 410, "/problems/gone");

  // The requester withdraws the request: back to approved, links stop working.
  r = member.post(path(a.id, "/signature-requests/" + rid + "/cancel"), "");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(status_of(a.id), "approved");
  EXPECT_PROBLEM(anonymous().get(new_link, kJson), 410, "/problems/gone");
  EXPECT_PROBLEM(member.post(path(a.id, "/signature-requests/" + rid + "/cancel"), ""), 409,
                 "/problems/conflict");
}

TEST_F(SignaturesTest, RequestsAndLinksStayInsideTheirOrganization) {
  const auto a = approved_contract();
  auto r = send(a.id, bj::array{external("Hal", "hal@x.example")});
  ASSERT_STATUS(r, 201);
  const auto rid = str(body_of(r), "id");
  auto stranger = client_for(signatures_server(), (*other_)["admin"].access_token);
  const auto base = path(a.id, "/signature-requests");
  EXPECT_PROBLEM(stranger.get(base), 404, "/problems/not-found");
  EXPECT_PROBLEM(stranger.get(base + "/" + rid), 404, "/problems/not-found");
  EXPECT_PROBLEM(stranger.post(base + "/" + rid + "/cancel", ""), 404, "/problems/not-found");
  EXPECT_PROBLEM(stranger.post_json(base + "/" + rid + "/sign",
                                    sign_body("Hal", crypto::sha256_hex(a.document))),
                 404, "/problems/not-found");
  EXPECT_PROBLEM(
      stranger.post_json(path(a.id, "/signature-requests"),
                         bj::object{{"signers", bj::array{external("X", "x@x.example")}}}),
      404, "/problems/not-found");
  // Another contract's id with this request id is not found either.
  auto member = as("member");
  const auto other_contract =
      str(create_contract(member, contract_input(unique_name("Other"))), "id");
  EXPECT_PROBLEM(member.get(path(other_contract, "/signature-requests/" + rid)), 404,
                 "/problems/not-found");
  EXPECT_STATUS(member.get(base + "/" + rid), 200);
  // Unknown and malformed tokens name nothing.
  EXPECT_PROBLEM(anonymous().get("/sign/" + std::string(43, 'A'), kJson), 404,
                 "/problems/not-found");
  EXPECT_PROBLEM(anonymous().get("/sign/short", kJson), 404, "/problems/not-found");
  EXPECT_PROBLEM(anonymous().post_json("/sign/short", sign_body("Hal", std::string(64, 'a'))), 404,
                 "/problems/not-found");
}

TEST_F(SignaturesTest, BrowsersGetASelfContainedHtmlPageAndCanSignWithAForm) {
  const auto a = approved_contract();
  const auto sha = crypto::sha256_hex(a.document);
  auto r = send(a.id, bj::array{external("Ivy <script>", "ivy@x.example")}, "sequential",
                bj::object{{"message", "Read <b>carefully</b>"}});
  ASSERT_STATUS(r, 201);
  const auto link = links_of(body_of(r))[0];
  auto browser = anonymous();
  r = browser.get(link, kBrowser);
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(r.header("Content-Type").starts_with("text/html"));
  EXPECT_NE(r.header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_NE(r.body.find(a.title), std::string::npos);
  EXPECT_NE(r.body.find("<form method=\"post\" action=\"" + link + "\""), std::string::npos);
  EXPECT_NE(r.body.find(sha), std::string::npos);
  EXPECT_NE(r.body.find("Ivy &lt;script&gt;"), std::string::npos);
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  EXPECT_NE(r.body.find("Read &lt;b&gt;carefully&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);  // no JavaScript needed
  // Styled like the web app by one inline style that the policy allows by its hash, and nothing
  // else: no 'unsafe-inline', no style attributes.
  const auto style_start = r.body.find("<style>");
  const auto style_end = r.body.find("</style>");
  ASSERT_NE(style_start, std::string::npos);
  ASSERT_NE(style_end, std::string::npos);
  const auto style = r.body.substr(style_start + 7, style_end - style_start - 7);
  EXPECT_NE(style.find("--color-primary"), std::string::npos) << "the web app's tokens";
  const auto policy = r.header("Content-Security-Policy");
  EXPECT_NE(policy.find("style-src 'sha256-" + crypto::base64_encode(crypto::sha256(style)) + "'"),
            std::string::npos)
      << policy;
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
  EXPECT_EQ(r.body.find(" style=\""), std::string::npos);
  EXPECT_EQ(r.body.find("<style>", style_end), std::string::npos);
  // Accessible: a language, labels bound to their controls, a visible focus ring.
  EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(r.body.find("<label for=\"full-name\">"), std::string::npos);
  EXPECT_NE(r.body.find("id=\"full-name\" name=\"fullName\""), std::string::npos);
  EXPECT_NE(r.body.find("<label for=\"consent\">"), std::string::npos);
  EXPECT_NE(r.body.find("<label for=\"reason\">"), std::string::npos);
  EXPECT_NE(style.find(":focus-visible{outline"), std::string::npos);
  // Without an Accept header: also the page.
  EXPECT_TRUE(browser.get(link).header("Content-Type").starts_with("text/html"));

  // The form without the consent box is sent back with the reason, as a page.
  const std::string form = "action=sign&fullName=Ivy+Example&documentSha256=" + sha;
  const HeaderList form_headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                   {"Accept", "text/html"}};
  r = browser.post(link, form, form_headers);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(r.header("Content-Type").starts_with("text/html"));
  EXPECT_NE(r.body.find("consent"), std::string::npos);
  r = browser.post(link, form + "&consent=true", form_headers);
  ASSERT_STATUS(r, 200);
  EXPECT_NE(r.body.find("you have signed"), std::string::npos);
  EXPECT_EQ(status_of(a.id), "active");
  // A used link shown to a browser: a page with 410.
  r = browser.get(link, kBrowser);
  EXPECT_EQ(r.status, 410);
  EXPECT_TRUE(r.header("Content-Type").starts_with("text/html"));
  // The access log never holds the token.
  EXPECT_EQ(signatures_server().log_text().find(link.substr(6)), std::string::npos);
}

// Parallel signers finishing at the same moment: both signatures count and the request completes
// exactly once (the request row is locked while a signature is recorded).
TEST_F(SignaturesTest, ConcurrentLastSignaturesCompleteTheRequestOnce) {
  for (int round = 0; round < 3; ++round) {
    const auto a = approved_contract();
    const auto sha = crypto::sha256_hex(a.document);
    auto r = send(a.id, bj::array{external("Jo", "jo@x.example"), external("Kim", "kim@x.example")},
                  "parallel");
    ASSERT_STATUS(r, 201);
    const auto created = body_of(r);
    const auto links = links_of(created);
    long statuses[2] = {0, 0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i)
      threads.emplace_back([&, i] {
        auto c = anonymous();
        statuses[i] =
            c.post_json(links[i], sign_body(i ? "Kim Example" : "Jo Example", sha)).status;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(statuses[0], 200);
    EXPECT_EQ(statuses[1], 200);
    EXPECT_EQ(status_of(a.id), "active");
    const auto request = request_of(a.id, str(created, "id"));
    EXPECT_EQ(str(request, "status"), "completed");
    auto member = as("member");
    int signed_copies = 0;
    for (const auto& d : items_of(body_of(member.get(path(a.id, "/documents")))))
      signed_copies += str(d.as_object(), "kind") == "signed_copy";
    EXPECT_EQ(signed_copies, 2);
  }
}

}  // namespace
}  // namespace cm::test::api
