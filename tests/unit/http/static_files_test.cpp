// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace cm::http {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

Request get(std::string path, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.target = path;
  r.path = std::move(path);
  return r;
}

std::string header_or_absent(const Response& r, std::string_view name) {
  auto v = r.headers.get(name);
  return v ? std::string(*v) : std::string("<absent>");
}

std::string drain(BodySource& source) {
  std::string out;
  char buf[10000];
  while (auto n = source.read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("cm_static_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(std::random_device{}()));
    root_ = base_ / "web";
    write_file(root_ / "index.html", kIndex);
    write_file(root_ / "assets/index-DxK3a9_b.js", "console.log(1)");
    write_file(root_ / "assets/dark-background.png", "png");
    write_file(root_ / "style.css", "body{}");
    write_file(root_ / "data.JSON", "{}");
    write_file(root_ / "font.woff2", "w");
    write_file(root_ / "blob.xyz", "?");
    write_file(root_ / ".env", "SECRET=1");
    write_file(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }

  static constexpr const char* kIndex = "<!doctype html><title>app</title>";
  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesWithContentTypes) {
  StaticFiles files(root_);
  const std::pair<const char*, const char*> cases[] = {
      {"/index.html", "text/html; charset=utf-8"},
      {"/assets/index-DxK3a9_b.js", "text/javascript; charset=utf-8"},
      {"/style.css", "text/css; charset=utf-8"},
      {"/data.JSON", "application/json"},
      {"/assets/dark-background.png", "image/png"},
      {"/font.woff2", "font/woff2"},
      {"/blob.xyz", "application/octet-stream"},
  };
  for (const auto& [path, type] : cases) {
    const auto r = files.serve(get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(header_or_absent(*r, "Content-Type"), type) << path;
    EXPECT_NE(header_or_absent(*r, "ETag"), "<absent>") << path;
    EXPECT_TRUE(header_or_absent(*r, "Last-Modified").ends_with(" GMT")) << path;
  }
  EXPECT_EQ(files.serve(get("/style.css"))->body, "body{}");
}

TEST_F(StaticFilesTest, RootServesIndexWithPolicy) {
  StaticFiles files(root_);
  const auto r = files.serve(get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, kIndex);
  EXPECT_EQ(header_or_absent(*r, "Cache-Control"), "no-cache");
  EXPECT_TRUE(header_or_absent(*r, "Content-Security-Policy").starts_with("default-src 'self';"));
  EXPECT_EQ(header_or_absent(*files.serve(get("/style.css")), "Content-Security-Policy"),
            "<absent>");
}

TEST_F(StaticFilesTest, ImmutableOnlyForHashedAssets) {
  StaticFiles files(root_);
  EXPECT_EQ(header_or_absent(*files.serve(get("/assets/index-DxK3a9_b.js")), "Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(header_or_absent(*files.serve(get("/assets/dark-background.png")), "Cache-Control"),
            "no-cache");
  EXPECT_EQ(header_or_absent(*files.serve(get("/index.html")), "Cache-Control"), "no-cache");
  EXPECT_EQ(header_or_absent(*files.serve(get("/style.css")), "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, SpaFallbackForPathsWithoutExtension) {
  StaticFiles files(root_);
  for (const char* path : {"/contracts", "/contracts/42/edit", "/assets"}) {
    const auto r = files.serve(get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, kIndex) << path;
    EXPECT_EQ(header_or_absent(*r, "Cache-Control"), "no-cache");
    EXPECT_EQ(header_or_absent(*r, "Content-Type"), "text/html; charset=utf-8");
  }
  EXPECT_FALSE(files.serve(get("/missing.js")));
  EXPECT_FALSE(files.serve(get("/assets/index-AAAAAAA1.js")));
}

TEST_F(StaticFilesTest, NotOursToServe) {
  StaticFiles files(root_);
  for (const char* path :
       {"/api/v1/contracts", "/api/", "/api", "/health", "/ready", "/metrics", "/ws"})
    EXPECT_FALSE(files.serve(get(path))) << path;
  EXPECT_FALSE(files.serve(get("/index.html", "POST")));
  EXPECT_FALSE(StaticFiles(base_ / "nope").serve(get("/index.html")));
  EXPECT_FALSE(StaticFiles("").serve(get("/index.html")));
}

TEST_F(StaticFilesTest, NoPathTraversal) {
  StaticFiles files(root_);
  // The server percent-decodes before we see the path, so `%2e%2e` arrives as `..`.
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html",
                           "/assets/..", "/..", "/link.txt", "/.env", "/%2e%2e/secret.txt",
                           "/..%2fsecret.txt", "/assets\\..\\..\\secret.txt"})
    EXPECT_FALSE(files.serve(get(path))) << path;
  EXPECT_FALSE(files.serve(get(std::string("/index.html\0.png", 16))));
  EXPECT_FALSE(files.serve(get("relative.txt")));
  // Absolute-looking paths stay under the root: at most the app's index page comes back.
  for (const std::string& path : {std::string("//etc/passwd"), std::string("/etc/passwd"),
                                  "///" + (base_ / "secret.txt").string()}) {
    const auto r = files.serve(get(path));
    if (r) {
      EXPECT_EQ(r->body, kIndex) << path;
    }
  }
  EXPECT_FALSE(files.serve(get("//" + (base_ / "secret.txt").string())));
}

TEST_F(StaticFilesTest, ConditionalRequests) {
  StaticFiles files(root_);
  const auto first = files.serve(get("/style.css"));
  ASSERT_TRUE(first);
  const auto etag = header_or_absent(*first, "ETag");
  const auto last_modified = header_or_absent(*first, "Last-Modified");

  auto conditional = [&](std::string_view name, std::string value) {
    auto r = get("/style.css");
    r.headers.set(name, std::move(value));
    return *files.serve(r);
  };
  for (const auto& value : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    const auto r = conditional("If-None-Match", value);
    EXPECT_EQ(r.status, 304) << value;
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(header_or_absent(r, "ETag"), etag);
  }
  EXPECT_EQ(conditional("If-None-Match", "\"other\"").status, 200);
  EXPECT_EQ(conditional("If-Modified-Since", last_modified).status, 304);
  EXPECT_EQ(conditional("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT").status, 200);
  EXPECT_EQ(conditional("If-Modified-Since", "garbage").status, 200);

  // A changed file gets a new validator.
  write_file(root_ / "style.css", "body{color:red}");
  EXPECT_NE(header_or_absent(*files.serve(get("/style.css")), "ETag"), etag);
}

TEST_F(StaticFilesTest, LargeFilesAreStreamed) {
  std::string big(300 * 1024, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 % 251);
  write_file(root_ / "assets/big-Q1w2E3r4.wasm", big);
  StaticFiles files(root_);
  const auto r = files.serve(get("/assets/big-Q1w2E3r4.wasm"));
  ASSERT_TRUE(r);
  EXPECT_EQ(header_or_absent(*r, "Content-Type"), "application/wasm");
  ASSERT_TRUE(r->stream);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(r->stream->size(), big.size());
  EXPECT_EQ(drain(*r->stream), big);

  const auto head = files.serve(get("/assets/big-Q1w2E3r4.wasm", "HEAD"));
  ASSERT_TRUE(head && head->stream);
  EXPECT_EQ(head->stream->size(), big.size());
}

}  // namespace

// The build's .gz beside an asset goes to clients that take gzip, with its own validator, and
// the plain file to the rest; both say the answer varies by Accept-Encoding.
TEST_F(StaticFilesTest, PrecompressedAssetForClientsThatAcceptGzip) {
  write_file(root_ / "assets" / "app-abcdef12.js", "console.log('plain')");
  write_file(root_ / "assets" / "app-abcdef12.js.gz", "GZIPPED-BYTES");
  StaticFiles files(root_);

  auto ask = [&](std::optional<std::string> accept) {
    auto request = get("/assets/app-abcdef12.js");
    if (accept) request.headers.set("Accept-Encoding", *accept);
    auto r = files.serve(request);
    EXPECT_TRUE(r.has_value());
    return *r;
  };
  const auto zipped = ask("gzip, deflate, br");
  EXPECT_EQ(zipped.body, "GZIPPED-BYTES");
  EXPECT_EQ(header_or_absent(zipped, "Content-Encoding"), "gzip");
  EXPECT_EQ(header_or_absent(zipped, "Vary"), "Accept-Encoding");
  EXPECT_EQ(header_or_absent(zipped, "Content-Type"), "text/javascript; charset=utf-8");

  for (const auto& accept : std::vector<std::optional<std::string>>{
           std::nullopt, "identity", "br", "gzip;q=0", "GZIP ; q=0.000, br", "*;q=0"}) {
    const auto plain = ask(accept);
    EXPECT_EQ(plain.body, "console.log('plain')") << accept.value_or("(none)");
    EXPECT_EQ(header_or_absent(plain, "Content-Encoding"), "<absent>");
    EXPECT_EQ(header_or_absent(plain, "Vary"), "Accept-Encoding");
    EXPECT_NE(header_or_absent(plain, "ETag"), header_or_absent(zipped, "ETag"));
  }
  EXPECT_EQ(ask("deflate, *").body, "GZIPPED-BYTES");
  EXPECT_EQ(ask("Gzip;q=0.5").body, "GZIPPED-BYTES");

  // Without a .gz nothing changes.
  write_file(root_ / "assets" / "other-abcdef12.js", "plain only");
  auto request = get("/assets/other-abcdef12.js");
  request.headers.set("Accept-Encoding", "gzip");
  const auto r = files.serve(request);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, "plain only");
  EXPECT_EQ(header_or_absent(*r, "Vary"), "<absent>");
}

}  // namespace cm::http
