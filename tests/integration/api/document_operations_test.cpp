// SPDX-License-Identifier: AGPL-3.0-or-later
// Document operations across processes: a separate worker extracting text for an API server
// that runs none, purging after retention, garbage collection of orphaned blobs, encryption key
// rotation, and the whole upload/download path on S3 (s3rver on loopback).

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api_fixture.hpp"
#include "support/s3_server.hpp"
#include "support/sample_files.hpp"

namespace cm::test::api {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kKeyA = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
constexpr const char* kKeyB = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";

HttpResponse upload_text(HttpClient& c, const std::string& contract_id, const std::string& name,
                         const std::string& text) {
  return c.post("/api/v1/contracts/" + contract_id + "/documents", text,
                {{"Content-Type", "text/plain"},
                 {"Content-Disposition", "attachment; filename=\"" + name + "\""}});
}

struct Uploaded {
  std::string contract_id;
  std::string document_url;
};

Uploaded upload_one(ServerProcess& server, Account& user, const std::string& text,
                    const std::string& name = "doc.txt") {
  auto c = client_for(server, user.access_token);
  const auto contract = str(create_contract(c, contract_input(unique_name("Ops"))), "id");
  const auto r = upload_text(c, contract, name, text);
  if (r.status != 201) throw std::runtime_error("upload failed: " + r.body);
  return {contract, "/api/v1/contracts/" + contract + "/documents/" + str(body_of(r), "id")};
}

std::vector<fs::path> blob_files(const ServerProcess& server) {
  std::vector<fs::path> out;
  const fs::path root = fs::path(server.env().at("DATA_DIR")) / "blobs";
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out.push_back(e.path());
  return out;
}

std::string extraction_status(HttpClient& c, const std::string& doc_url) {
  const auto doc = body_of(c.get(doc_url));
  return str(doc.at("latest").as_object().at("extraction").as_object(), "status");
}

TEST(DocumentOperations, ASeparateWorkerExtractsForAnApiServerWithoutOne) {
  auto api = start_server("docs-worker", {{"EMBEDDED_WORKER", "false"}});
  auto org = make_org(*api, {"member"});
  const auto doc = upload_one(*api, org["member"], "Termination requires ninety days notice.\n");
  auto c = client_for(*api, org["member"].access_token);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(extraction_status(c, doc.document_url), "pending");

  EnvMap worker_env = api->env();
  worker_env.erase("PORT");
  worker_env.erase("WORKER_PORT");
  ServerProcess worker(worker_env, kWorkerCommand);
  std::string status = "pending";
  for (int i = 0; i < 100 && status == "pending"; ++i) {
    std::this_thread::sleep_for(100ms);
    status = extraction_status(c, doc.document_url);
  }
  EXPECT_EQ(status, "done");
  const auto text = c.get(doc.document_url + "/versions/1/text");
  EXPECT_NE(text.body.find("ninety days"), std::string::npos) << text.body;
}

TEST(DocumentOperations, DeletedDocumentsArePurgedAfterRetention) {
  auto server = start_server("docs-purge", {{"RETENTION_DAYS", "0"}});
  auto org = make_org(*server, {"member"});
  const auto kept = upload_one(*server, org["member"], "kept\n");
  const auto gone = upload_one(*server, org["member"], "gone\n");
  ASSERT_EQ(blob_files(*server).size(), 2u);
  auto c = client_for(*server, org["member"].access_token);
  ASSERT_STATUS(c.del(gone.document_url), 204);
  EXPECT_EQ(blob_files(*server).size(), 2u);  // soft: still there until the purge

  const auto r = run_cli({"jobs", "enqueue", "documents.purge"}, server->env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int i = 0; i < 100 && blob_files(*server).size() != 1; ++i)
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(blob_files(*server).size(), 1u);
  EXPECT_STATUS(c.get(kept.document_url + "/versions/1/content"), 200);
  // With its documents purged, the draft contract can be deleted.
  EXPECT_STATUS(c.del("/api/v1/contracts/" + gone.contract_id), 204);
}

TEST(DocumentOperations, GarbageCollectionRemovesOnlyOldUnreferencedBlobs) {
  auto server = start_server("docs-gc");
  auto org = make_org(*server, {"member"});
  const auto doc = upload_one(*server, org["member"], "referenced\n");
  const fs::path orphan_dir = fs::path(server->env().at("DATA_DIR")) / "blobs" / "documents" / "x";
  fs::create_directories(orphan_dir);
  const auto old_orphan = orphan_dir / "old";
  const auto young_orphan = orphan_dir / "young";
  std::ofstream(old_orphan) << "left by a crash between the blob and its row";
  std::ofstream(young_orphan) << "an upload still in flight";
  fs::last_write_time(old_orphan, fs::file_time_type::clock::now() - 3h);

  const auto r = run_cli({"blobs", "gc", "--grace-minutes", "60"}, server->env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("removed 1 unreferenced, kept 1"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(old_orphan));
  EXPECT_TRUE(fs::exists(young_orphan));
  auto c = client_for(*server, org["member"].access_token);
  const auto content = c.get(doc.document_url + "/versions/1/content");
  EXPECT_STATUS(content, 200);
  EXPECT_EQ(content.body, "referenced\n");
}

TEST(DocumentOperations, KeyRotationRewrapsDataKeysSoTheOldKeyCanGo) {
  auto first = start_server("docs-keys", {{"ENCRYPTION_KEY", kKeyA}});
  auto org = make_org(*first, {"member"});
  const auto doc = upload_one(*first, org["member"], "confidential terms\n");

  EnvMap rotate_env = first->env();
  rotate_env["ENCRYPTION_KEY"] = kKeyB;
  auto r = run_cli({"keys", "rotate"}, rotate_env);
  EXPECT_EQ(r.exit_code, 1) << "rotating without the old key configured must refuse: " << r.out;
  EXPECT_NE(r.err.find("ENCRYPTION_KEYS_OLD"), std::string::npos) << r.err;
  rotate_env["ENCRYPTION_KEYS_OLD"] = kKeyA;
  r = run_cli({"keys", "rotate"}, rotate_env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("re-wrapped 1 data keys"), std::string::npos) << r.out;
  r = run_cli({"keys", "rotate"}, rotate_env);
  EXPECT_NE(r.out.find("re-wrapped 0 data keys"), std::string::npos) << r.out;

  // A server with only the new key reads the document; one with only the old key cannot.
  EnvMap env = first->env();
  first->terminate();
  env.erase("PORT");
  env["ENCRYPTION_KEY"] = kKeyB;
  ServerProcess second(env);
  auto c = client_for(second, "");
  login(second, org["member"]);
  c.set_token(org["member"].access_token);
  const auto content = c.get(doc.document_url + "/versions/1/content");
  ASSERT_STATUS(content, 200);
  EXPECT_EQ(content.body, "confidential terms\n");
  second.terminate();

  env["ENCRYPTION_KEY"] = kKeyA;
  ServerProcess stale(env);
  login(stale, org["member"]);
  auto old = client_for(stale, org["member"].access_token);
  const auto unreadable = old.get(doc.document_url + "/versions/1/content");
  EXPECT_PROBLEM(unreadable, 503, "/problems/unavailable");
  EXPECT_EQ(unreadable.header("Retry-After"), "1");
  // Which key is missing is for the operator's log, not for the API client.
  EXPECT_EQ(unreadable.body.find("ENCRYPTION_KEYS_OLD"), std::string::npos) << unreadable.body;
}

TEST(DocumentOperations, UploadsAndRangedDownloadsWorkOnS3) {
  auto& s3 = shared_s3_server();
  auto server = start_server("docs-s3", {{"BLOB_BACKEND", "s3"},
                                         {"S3_BUCKET", "cm-test"},
                                         {"S3_ENDPOINT", s3.endpoint()},
                                         {"S3_FORCE_PATH_STYLE", "true"},
                                         {"AWS_ACCESS_KEY_ID", S3Server::kAccessKeyId},
                                         {"AWS_SECRET_ACCESS_KEY", S3Server::kSecretAccessKey},
                                         {"ENCRYPTION_KEY", kKeyA}});
  auto org = make_org(*server, {"member"});
  auto c = client_for(*server, org["member"].access_token);
  const auto contract = str(create_contract(c, contract_input(unique_name("S3"))), "id");
  const auto pdf = make_pdf({"Stored in object storage, encrypted."});
  auto r = c.post("/api/v1/contracts/" + contract + "/documents", pdf,
                  {{"Content-Type", "application/pdf"},
                   {"Content-Disposition", "attachment; filename=\"s3.pdf\""}});
  ASSERT_STATUS(r, 201);
  const auto url = "/api/v1/contracts/" + contract + "/documents/" + str(body_of(r), "id") +
                   "/versions/1/content";
  r = c.get(url);
  ASSERT_STATUS(r, 200);
  EXPECT_EQ(r.body, pdf);
  r = c.get(url, {{"Range", "bytes=10-29"}});
  ASSERT_STATUS(r, 206);
  EXPECT_EQ(r.body, pdf.substr(10, 20));
  EXPECT_TRUE(blob_files(*server).empty());  // nothing on local disk
}

TEST(DocumentOperations, ServeRefusesUnreachableObjectStorage) {
  const EnvMap env{{"DATABASE_URL", fresh_database_url("docs-bad-s3")},
                   {"BLOB_BACKEND", "s3"},
                   {"S3_BUCKET", "nope"},
                   {"S3_ENDPOINT", "http://127.0.0.1:1"},
                   {"S3_FORCE_PATH_STYLE", "true"},
                   {"AWS_ACCESS_KEY_ID", "x"},
                   {"AWS_SECRET_ACCESS_KEY", "y"},
                   {"PORT", "0"}};
  ASSERT_EQ(run_cli({"migrate"}, env).exit_code, 0);
  const auto r = run_cli({"serve"}, env, {}, std::chrono::seconds(90));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("document storage"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cm::test::api
