// SPDX-License-Identifier: AGPL-3.0-or-later
// Documents over HTTP on the real binary: uploads (multipart and raw), versions, downloads with
// ranges and conditional requests, type sniffing, limits, permissions, legal hold, soft deletion,
// encryption at rest, text extraction by the embedded worker and version comparison.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "api_fixture.hpp"
#include "core/crypto.hpp"
#include "support/sample_files.hpp"

namespace cm::test::api {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKey = "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtbG9uZy1rZXk=";  // 32 bytes

// One server for the suite: encrypted at rest, a small upload limit to test 413 cheaply.
ServerProcess& documents_server() {
  static std::unique_ptr<ServerProcess> server = start_server(
      "documents", {{"ENCRYPTION_KEY", kKey}, {"MAX_UPLOAD_BYTES", std::to_string(3 << 20)}});
  return *server;
}

std::string multipart_body(const std::string& boundary, const std::string& filename,
                           const std::string& content_type, const std::string& content,
                           const std::string& kind = {}) {
  std::string body;
  if (!kind.empty())
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind +
            "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
          filename + "\"\r\nContent-Type: " + content_type + "\r\n\r\n" + content + "\r\n--" +
          boundary + "--\r\n";
  return body;
}

HttpResponse upload(HttpClient& c, const std::string& contract_id, const std::string& filename,
                    const std::string& content, const std::string& content_type = "application/pdf",
                    const std::string& kind = {}) {
  const std::string boundary = "----cmTestBoundary7MA4YWxkTrZu0gW";
  return c.post("/api/v1/contracts/" + contract_id + "/documents",
                multipart_body(boundary, filename, content_type, content, kind),
                {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
}

HttpResponse upload_raw(HttpClient& c, const std::string& path, const std::string& filename_header,
                        const std::string& content, const std::string& content_type) {
  return c.post(path, content,
                {{"Content-Type", content_type}, {"Content-Disposition", filename_header}});
}

std::string docs_path(const std::string& contract_id) {
  return "/api/v1/contracts/" + contract_id + "/documents";
}

// Waits for the embedded worker to finish text extraction of a version.
bj::object wait_for_extraction(HttpClient& c, const std::string& doc_path, int version) {
  for (int i = 0; i < 200; ++i) {
    const auto r = c.get(doc_path);
    if (r.status != 200) throw std::runtime_error("GET document: " + r.body);
    const auto doc = body_of(r);
    for (const auto& v : doc.at("versions").as_array()) {
      const auto& o = v.as_object();
      if (o.at("version").as_int64() != version) continue;
      const auto status = str(o.at("extraction").as_object(), "status");
      if (status != "pending") return o;
    }
    std::this_thread::sleep_for(100ms);
  }
  throw std::runtime_error("extraction did not finish within 20 s");
}

class DocumentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { org_ = new Org(make_org(documents_server())); }
  static void TearDownTestSuite() {
    delete org_;
    org_ = nullptr;
  }
  HttpClient as(const std::string& role) {
    return client_for(documents_server(), (*org_)[role].access_token);
  }
  std::string new_contract(const std::string& role = "member") {
    auto c = as(role);
    return str(create_contract(c, contract_input(unique_name("Docs"))), "id");
  }
  static Org* org_;
};
Org* DocumentsTest::org_ = nullptr;

TEST_F(DocumentsTest, UploadDownloadAndVersionsOfOneDocument) {
  auto c = as("member");
  const auto contract = new_contract();
  const auto v1 = make_pdf({"Master services agreement between Acme and Globex."});
  auto r = upload(c, contract, "MSA.pdf", v1, "application/pdf", "main");
  ASSERT_STATUS(r, 201);
  const auto doc = body_of(r);
  const auto doc_id = str(doc, "id");
  EXPECT_EQ(str(doc, "name"), "MSA.pdf");
  EXPECT_EQ(str(doc, "kind"), "main");
  EXPECT_EQ(doc.at("latestVersion").as_int64(), 1);
  const auto& latest = doc.at("latest").as_object();
  EXPECT_EQ(str(latest, "sha256"), crypto::sha256_hex(v1));
  EXPECT_EQ(latest.at("size").as_int64(), static_cast<std::int64_t>(v1.size()));
  EXPECT_EQ(str(latest, "contentType"), "application/pdf");
  EXPECT_TRUE(latest.at("encrypted").as_bool());
  EXPECT_EQ(str(latest, "uploadedBy"), (*org_)["member"].id);
  EXPECT_EQ(r.header("Location"), docs_path(contract) + "/" + doc_id);

  // The same logical name (case aside), sent raw: version 2 of the same document.
  const auto v2 = make_pdf({"Master services agreement between Acme and Initech."});
  r = upload_raw(c, docs_path(contract), "attachment; filename=\"msa.PDF\"", v2, "application/pdf");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(str(body_of(r), "id"), doc_id);
  EXPECT_EQ(body_of(r).at("latestVersion").as_int64(), 2);

  // And an explicit new version through /versions.
  const auto v3 = make_pdf({"Third version."});
  r = upload(c, contract, "anything.pdf", v3);
  ASSERT_STATUS(r, 201);  // another name: another document
  r = upload_raw(c, docs_path(contract) + "/" + doc_id + "/versions",
                 "attachment; filename=\"MSA final.pdf\"", v3, "application/pdf");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(body_of(r).at("latestVersion").as_int64(), 3);

  r = c.get(docs_path(contract) + "/" + doc_id);
  ASSERT_STATUS(r, 200);
  const auto full = body_of(r);
  ASSERT_EQ(full.at("versions").as_array().size(), 3u);
  EXPECT_EQ(str(full.at("versions").as_array()[2].as_object(), "filename"), "MSA final.pdf");

  r = c.get(docs_path(contract));
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(items_of(body_of(r)).size(), 2u);

  // Every version downloads as uploaded.
  const std::string content = docs_path(contract) + "/" + doc_id + "/versions/";
  for (const auto& [n, bytes] : {std::pair{1, v1}, std::pair{2, v2}, std::pair{3, v3}}) {
    r = c.get(content + std::to_string(n) + "/content");
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.body, bytes);
    EXPECT_EQ(r.header("Content-Type"), "application/pdf");
    EXPECT_EQ(r.header("ETag"), "\"" + crypto::sha256_hex(bytes) + "\"");
    EXPECT_EQ(r.header("Accept-Ranges"), "bytes");
  }
  EXPECT_STATUS(c.get(content + "4/content"), 404);
  EXPECT_STATUS(c.get(content + "0/content"), 404);
}

TEST_F(DocumentsTest, RangesAndConditionalDownloads) {
  auto c = as("member");
  const auto contract = new_contract();
  std::string text;
  for (int i = 0; i < 20'000; ++i) text += "line " + std::to_string(i) + "\n";  // > 64 KiB
  auto r =
      upload_raw(c, docs_path(contract), "attachment; filename=\"notes.txt\"", text, "text/plain");
  ASSERT_STATUS(r, 201);
  const auto url = docs_path(contract) + "/" + str(body_of(r), "id") + "/versions/1/content";
  const std::string etag = "\"" + crypto::sha256_hex(text) + "\"";

  r = c.get(url, {{"Range", "bytes=70000-70099"}});  // inside the second encrypted chunk
  ASSERT_STATUS(r, 206);
  EXPECT_EQ(r.body, text.substr(70000, 100));
  EXPECT_EQ(r.header("Content-Range"), "bytes 70000-70099/" + std::to_string(text.size()));
  r = c.get(url, {{"Range", "bytes=-10"}});
  ASSERT_STATUS(r, 206);
  EXPECT_EQ(r.body, text.substr(text.size() - 10));
  r = c.get(url, {{"Range", "bytes=0-"}});
  ASSERT_STATUS(r, 206);
  EXPECT_EQ(r.body, text);

  r = c.get(url, {{"Range", "bytes=" + std::to_string(text.size()) + "-"}});
  EXPECT_PROBLEM(r, 416, "/problems/range-not-satisfiable");
  EXPECT_EQ(r.header("Content-Range"), "bytes */" + std::to_string(text.size()));

  r = c.get(url, {{"If-None-Match", etag}});
  EXPECT_STATUS(r, 304);
  EXPECT_TRUE(r.body.empty());
  r = c.get(url, {{"If-None-Match", "\"something-else\""}});
  EXPECT_STATUS(r, 200);
  // If-Range with a stale tag: the whole file.
  r = c.get(url, {{"Range", "bytes=0-9"}, {"If-Range", "\"stale\""}});
  EXPECT_STATUS(r, 200);
  EXPECT_EQ(r.body.size(), text.size());
}

TEST_F(DocumentsTest, FileNamesAreSanitizedForDisplayAndEncodedForDownload) {
  auto c = as("member");
  const auto contract = new_contract();
  auto r = upload(c, contract, "C:\\Users\\x\\..\\Vertrag \xE2\x82\xAC.pdf", make_pdf({"x"}));
  ASSERT_STATUS(r, 201);
  const auto doc = body_of(r);
  EXPECT_EQ(str(doc, "name"), "Vertrag \xE2\x82\xAC.pdf");
  r = c.get(docs_path(contract) + "/" + str(doc, "id") + "/versions/1/content");
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.header("Content-Disposition"),
            "attachment; filename=\"Vertrag ___.pdf\"; filename*=UTF-8''Vertrag%20%E2%82%AC.pdf");

  r = upload_raw(c, docs_path(contract), "attachment; filename=\"../../etc/passwd.txt\"",
                 "root:x:0:0\n", "text/plain");
  ASSERT_STATUS(r, 201);
  EXPECT_EQ(str(body_of(r), "name"), "passwd.txt");

  r = upload_raw(c, docs_path(contract), "attachment; filename=\"///\"", "text\n", "text/plain");
  EXPECT_PROBLEM(r, 400, "/problems/validation");
}

TEST_F(DocumentsTest, TypeIsDecidedFromTheContent) {
  auto c = as("member");
  const auto contract = new_contract();
  std::ifstream elf("/bin/true", std::ios::binary);
  const std::string binary((std::istreambuf_iterator<char>(elf)), {});
  auto r = upload(c, contract, "contract.pdf", binary);
  EXPECT_PROBLEM(r, 415, "/problems/unsupported-media-type");
  EXPECT_NE(str(body_of(r), "detail").find("Unsupported file type application/x-"),
            std::string::npos)
      << r.body;

  // A PDF that claims to be a PNG.
  r = upload(c, contract, "scan.png", make_pdf({"not an image"}), "image/png");
  EXPECT_PROBLEM(r, 415, "/problems/unsupported-media-type");
  EXPECT_NE(str(body_of(r), "detail").find("application/pdf"), std::string::npos) << r.body;

  // Generic claims are fine: the detected type is what is stored.
  r = upload(c, contract, "terms.md", "# Terms\n\nPayment within 30 days.\n",
             "application/octet-stream");
  ASSERT_STATUS(r, 201);
  EXPECT_EQ(str(body_of(r).at("latest").as_object(), "contentType"), "text/markdown");
}

TEST_F(DocumentsTest, MalformedAndOversizedUploadsAreRefused) {
  auto c = as("member");
  const auto contract = new_contract();
  auto r = c.post(docs_path(contract), "", {{"Content-Type", "application/pdf"}});
  EXPECT_PROBLEM(r, 400, "/problems/bad-request");
  r = c.post(docs_path(contract), make_pdf({"x"}), {{"Content-Type", "application/pdf"}});
  EXPECT_PROBLEM(r, 400, "/problems/bad-request");  // no file name
  r = c.post(docs_path(contract), "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nab",
             {{"Content-Type", "multipart/form-data; boundary=x"}});
  EXPECT_PROBLEM(r, 400, "/problems/bad-request");
  r = upload(c, contract, "a.pdf", make_pdf({"x"}), "application/pdf", "poster");
  EXPECT_PROBLEM(r, 400, "/problems/validation");

  const std::string big(4 << 20, 'a');  // over the 3 MiB limit of this server
  r = upload_raw(c, docs_path(contract), "attachment; filename=\"big.txt\"", big, "text/plain");
  EXPECT_PROBLEM(r, 413, "/problems/payload-too-large");
  // JSON routes keep their own limit, unaffected by uploads.
  EXPECT_STATUS(c.get(docs_path(contract)), 200);
}

TEST_F(DocumentsTest, PermissionsFollowTheContract) {
  const auto contract = new_contract("member");
  auto viewer = as("viewer");
  EXPECT_PROBLEM(upload(viewer, contract, "a.pdf", make_pdf({"x"})), 403, "/problems/forbidden");
  auto other_member =
      client_for(documents_server(),
                 add_user(documents_server(), *org_, unique_name("m2"), "member").access_token);
  EXPECT_PROBLEM(upload(other_member, contract, "a.pdf", make_pdf({"x"})), 403,
                 "/problems/forbidden");
  auto manager = as("manager");
  auto r = upload(manager, contract, "a.pdf", make_pdf({"x"}));
  ASSERT_STATUS(r, 201);
  const auto doc_url = docs_path(contract) + "/" + str(body_of(r), "id");
  EXPECT_STATUS(viewer.get(doc_url), 200);
  EXPECT_PROBLEM(viewer.del(doc_url), 403, "/problems/forbidden");

  // Another organization sees nothing.
  const auto other = make_org(documents_server(), {"admin"});
  auto outsider = client_for(documents_server(), other.users.at("admin").access_token);
  EXPECT_PROBLEM(outsider.get(doc_url), 404, "/problems/not-found");
  EXPECT_PROBLEM(outsider.get(doc_url + "/versions/1/content"), 404, "/problems/not-found");
  EXPECT_PROBLEM(upload(outsider, contract, "b.pdf", make_pdf({"x"})), 404, "/problems/not-found");
}

TEST_F(DocumentsTest, LegalHoldBlocksDeletionAndDeletionIsSoft) {
  auto member = as("member");
  auto manager = as("manager");
  const auto contract = new_contract("member");
  auto r = upload(member, contract, "hold.pdf", make_pdf({"x"}));
  ASSERT_STATUS(r, 201);
  const auto doc_url = docs_path(contract) + "/" + str(body_of(r), "id");

  auto current = body_of(member.get("/api/v1/contracts/" + contract));
  EXPECT_FALSE(current.at("legalHold").as_bool());
  const auto version = std::to_string(current.at("version").as_int64());
  r = member.patch_json("/api/v1/contracts/" + contract, bj::object{{"legalHold", true}},
                        {{"If-Match", "\"" + version + "\""}});
  EXPECT_PROBLEM(r, 403, "/problems/forbidden");
  r = manager.patch_json("/api/v1/contracts/" + contract, bj::object{{"legalHold", true}},
                         {{"If-Match", "\"" + version + "\""}});
  ASSERT_STATUS(r, 200);
  EXPECT_TRUE(body_of(r).at("legalHold").as_bool());

  EXPECT_PROBLEM(member.del(doc_url), 409, "/problems/conflict");
  EXPECT_PROBLEM(manager.del(doc_url), 409, "/problems/conflict");
  EXPECT_STATUS(member.get(doc_url), 200);

  const auto v2 = std::to_string(body_of(r).at("version").as_int64());
  ASSERT_STATUS(
      manager.patch_json("/api/v1/contracts/" + contract, bj::object{{"legalHold", false}},
                         {{"If-Match", "\"" + v2 + "\""}}),
      200);
  EXPECT_STATUS(member.del(doc_url), 204);
  EXPECT_PROBLEM(member.get(doc_url), 404, "/problems/not-found");
  EXPECT_PROBLEM(member.get(doc_url + "/versions/1/content"), 404, "/problems/not-found");
  EXPECT_TRUE(items_of(body_of(member.get(docs_path(contract)))).empty());
  // The name is free again: a new upload starts a new document.
  r = upload(member, contract, "hold.pdf", make_pdf({"again"}));
  ASSERT_STATUS(r, 201);
  EXPECT_EQ(body_of(r).at("latestVersion").as_int64(), 1);
  // A draft with documents (even deleted ones awaiting purge) is not deleted with them.
  EXPECT_PROBLEM(member.del("/api/v1/contracts/" + contract), 409, "/problems/conflict");

  auto admin = as("admin");
  const auto audit = body_of(admin.get("/api/v1/audit?entityType=document&limit=100"));
  int uploaded = 0;
  int deleted = 0;
  for (const auto& e : items_of(audit)) {
    const auto action = str(e.as_object(), "action");
    uploaded += action == "document.uploaded";
    deleted += action == "document.deleted";
  }
  EXPECT_GE(uploaded, 2);
  EXPECT_GE(deleted, 1);
}

TEST_F(DocumentsTest, SignedCopyDownloadsAreAudited) {
  auto member = as("member");
  const auto contract = new_contract("member");
  auto r = upload(member, contract, "signed.pdf", make_pdf({"signed"}), "application/pdf",
                  "signed_copy");
  ASSERT_STATUS(r, 201);
  const auto doc_id = str(body_of(r), "id");
  ASSERT_STATUS(member.get(docs_path(contract) + "/" + doc_id + "/versions/1/content"), 200);
  auto admin = as("admin");
  const auto audit =
      body_of(admin.get("/api/v1/audit?entityType=document&entityId=" + doc_id + "&limit=10"));
  bool downloaded = false;
  for (const auto& e : items_of(audit))
    downloaded = downloaded || str(e.as_object(), "action") == "document.downloaded";
  EXPECT_TRUE(downloaded) << bj::serialize(audit);
}

TEST_F(DocumentsTest, ContentsAreEncryptedAtRest) {
  auto member = as("member");
  const auto contract = new_contract("member");
  const std::string marker = "UNIQUE-PLAINTEXT-MARKER-" + unique_name("m");
  ASSERT_STATUS(upload_raw(member, docs_path(contract), "attachment; filename=\"secret.txt\"",
                           marker + "\n", "text/plain"),
                201);
  const auto blobs = std::filesystem::path(documents_server().env().at("DATA_DIR")) / "blobs";
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(blobs)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find(marker), std::string::npos) << entry.path();
  }
  EXPECT_GT(files, 0);
}

TEST_F(DocumentsTest, TextIsExtractedInTheBackgroundAndVersionsCompare) {
  auto member = as("member");
  const auto contract = new_contract("member");
  auto r =
      upload(member, contract, "terms.pdf",
             make_pdf({"The supplier delivers monthly reports.", "Payment is due in 30 days."}));
  ASSERT_STATUS(r, 201);
  const auto doc_url = docs_path(contract) + "/" + str(body_of(r), "id");
  ASSERT_STATUS(
      upload(member, contract, "terms.pdf",
             make_pdf({"The supplier delivers weekly reports.", "Payment is due in 45 days."})),
      200);
  const auto v1 = wait_for_extraction(member, doc_url, 1);
  const auto v2 = wait_for_extraction(member, doc_url, 2);
  const auto& e1 = v1.at("extraction").as_object();
  ASSERT_EQ(str(e1, "status"), "done") << bj::serialize(v1);
  EXPECT_EQ(e1.at("pageCount").as_int64(), 2);
  EXPECT_EQ(str(v2.at("extraction").as_object(), "status"), "done");

  r = member.get(doc_url + "/versions/1/text");
  ASSERT_STATUS(r, 200);
  EXPECT_NE(r.body.find("monthly reports"), std::string::npos) << r.body;

  r = member.get(doc_url + "/versions/1/compare/2");
  ASSERT_STATUS(r, 200);
  const auto diff = body_of(r);
  const auto& summary = diff.at("summary").as_object();
  EXPECT_EQ(summary.at("insertedWords").as_int64(), 2) << r.body;
  EXPECT_EQ(summary.at("deletedWords").as_int64(), 2) << r.body;
  bool saw_weekly = false;
  for (const auto& change : diff.at("changes").as_array())
    saw_weekly = saw_weekly || str(change.as_object(), "text").find("weekly") != std::string::npos;
  EXPECT_TRUE(saw_weekly) << r.body;
}

TEST_F(DocumentsTest, HostileFilesFailExtractionCleanly) {
  auto member = as("member");
  const auto contract = new_contract("member");
  // A PDF header followed by garbage: accepted as a PDF, its extraction fails with a reason.
  std::string broken = "%PDF-1.7\n";
  for (int i = 0; i < 5000; ++i) broken += "<< /Kids [" + std::to_string(i) + " 0 R] >> ";
  auto r = upload(member, contract, "broken.pdf", broken);
  ASSERT_STATUS(r, 201);
  const auto doc_url = docs_path(contract) + "/" + str(body_of(r), "id");
  const auto v = wait_for_extraction(member, doc_url, 1);
  EXPECT_EQ(str(v.at("extraction").as_object(), "status"), "failed") << bj::serialize(v);
  EXPECT_FALSE(str(v.at("extraction").as_object(), "error").empty());
  r = member.get(doc_url + "/versions/1/text");
  EXPECT_PROBLEM(r, 409, "/problems/conflict");
  // The worker is still alive: a good file after the bad one is extracted.
  r = upload(member, contract, "good.pdf", make_pdf({"still working"}));
  ASSERT_STATUS(r, 201);
  const auto good =
      wait_for_extraction(member, docs_path(contract) + "/" + str(body_of(r), "id"), 1);
  EXPECT_EQ(str(good.at("extraction").as_object(), "status"), "done");
}

}  // namespace
}  // namespace cm::test::api
