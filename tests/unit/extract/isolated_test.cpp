// SPDX-License-Identifier: AGPL-3.0-or-later
#include "extract/isolated.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "unit/extract/fixtures.hpp"

namespace cm::extract {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

const std::string kBinary = cm::test::server_binary();

// A stand-in helper: a shell script that misbehaves the way a crashing or hanging extraction
// would. It receives the same arguments as the real helper.
std::string script(const std::string& name, const std::string& body) {
  std::string path = test::write_file(name, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

Extraction isolated(const std::string& executable, const std::string& path, DocumentKind kind,
                    const ExtractLimits& limits = {}) {
  auto r = extract_text_isolated(executable, path, document_type(kind), limits);
  if (!r) {
    ADD_FAILURE() << r.error().detail();
    return {};
  }
  return std::move(r).value();
}

TEST(ExtractIsolated, SameResultAsInProcess) {
  const std::string pdf = test::fixture_path("two_pages.pdf");
  const Extraction child = isolated(kBinary, pdf, DocumentKind::pdf);
  auto local = extract_text(pdf, document_type(DocumentKind::pdf));
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(child.status, ExtractionStatus::ok) << child.reason;
  EXPECT_EQ(child.text, local->text);
  EXPECT_EQ(child.pages, 2);
  EXPECT_EQ(child.chars, local->chars);
  EXPECT_FALSE(child.truncated);

  const Extraction rtf = isolated(kBinary, test::fixture_path("sample.rtf"), DocumentKind::rtf);
  EXPECT_NE(rtf.text.find("Emoji: \xf0\x9f\x98\x80\n"), std::string::npos);
}

TEST(ExtractIsolated, LimitsReachTheHelper) {
  ExtractLimits limits;
  limits.max_output_chars = 6;
  const Extraction e =
      isolated(kBinary, test::fixture_path("sample.txt"), DocumentKind::txt, limits);
  EXPECT_EQ(e.text,
            "Pr\xc3\xa4"
            "amb");
  EXPECT_TRUE(e.truncated);
}

TEST(ExtractIsolated, FailuresAndErrorsCrossTheProcessBoundary) {
  EXPECT_EQ(isolated(kBinary, test::fixture_path("encrypted.pdf"), DocumentKind::pdf).reason,
            "encrypted");
  auto missing =
      extract_text_isolated(kBinary, "/nonexistent/x.pdf", document_type(DocumentKind::pdf));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::not_found);
}

TEST(ExtractIsolated, UnsupportedKindsStartNoHelper) {
  const Extraction e = isolated("/nonexistent/helper", "/nonexistent", DocumentKind::png);
  EXPECT_EQ(e.status, ExtractionStatus::unsupported);
}

// A document.xml of ~64 MB of tiny paragraphs (64 KB compressed): its DOM needs several times
// that, far over a 128 MiB address-space limit.
TEST(ExtractIsolated, MemoryLimitIsAFailedExtraction) {
#if defined(CM_SANITIZED)
  GTEST_SKIP() << "sanitizer builds set no RLIMIT_AS (src/extract/isolated.cpp)";
#endif
  std::string paragraphs;
  for (int i = 0; i < 30'000; ++i) paragraphs += "<w:p><w:r><w:t>x</w:t></w:r></w:p>";
  const std::string head = test::word_document("");
  const std::string open = head.substr(0, head.find("</w:body>"));
  const auto xml =
      test::deflate_pieces({{open, 1}, {paragraphs, 64}, {"</w:body></w:document>", 1}});
  const auto path = test::write_raw_zip(
      "hungry.docx",
      {{"[Content_Types].xml", test::deflated(test::kContentTypes), test::kContentTypes.size()},
       {"word/document.xml", xml, xml.size}});
  ExtractLimits limits;
  limits.max_memory_bytes = 128ull << 20;
  const Extraction e = isolated(kBinary, path, DocumentKind::docx, limits);
  EXPECT_EQ(e.status, ExtractionStatus::failed);
  EXPECT_EQ(e.reason, "exceeded memory limit");
}

TEST(ExtractIsolated, TimeoutKillsTheHelper) {
  const auto hang = script("hang.sh", "sleep 30");
  ExtractLimits limits;
  limits.timeout = milliseconds(300);
  const auto start = steady_clock::now();
  const Extraction e = isolated(hang, "/dev/null", DocumentKind::pdf, limits);
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(e.status, ExtractionStatus::failed);
  EXPECT_EQ(e.reason, "timed out after 300 ms");
}

TEST(ExtractIsolated, HelperThatClosesStdoutButKeepsRunningTimesOut) {
  const auto linger = script("linger.sh", "exec >&- 2>&-; sleep 30");
  ExtractLimits limits;
  limits.timeout = milliseconds(400);
  EXPECT_EQ(isolated(linger, "/dev/null", DocumentKind::txt, limits).reason,
            "timed out after 400 ms");
}

TEST(ExtractIsolated, CrashIsAFailedExtraction) {
  const auto crash = script("crash.sh", "kill -SEGV $$");
  const Extraction e = isolated(crash, "/dev/null", DocumentKind::pdf);
  EXPECT_EQ(e.status, ExtractionStatus::failed);
  EXPECT_EQ(e.reason, "crashed (signal 11)");
}

TEST(ExtractIsolated, AbortAfterBadAllocIsAMemoryFailure) {
  const auto oom = script("oom.sh",
                          "echo \"terminate called after throwing an instance of "
                          "'std::bad_alloc'\" >&2; kill -ABRT $$");
  EXPECT_EQ(isolated(oom, "/dev/null", DocumentKind::pdf).reason, "exceeded memory limit");
}

TEST(ExtractIsolated, CpuLimitIsAFailedExtraction) {
  // The script sets its own limits as the real helper does with setrlimit: SIGXCPU at the soft
  // limit, the hard one a second later (equal limits let SIGKILL race SIGXCPU on a busy machine).
  const auto spin = script("spin.sh", "ulimit -Ht 2; ulimit -St 1; while :; do :; done");
  ExtractLimits limits;
  limits.max_cpu_seconds = 1;
  const Extraction e = isolated(spin, "/dev/null", DocumentKind::pdf, limits);
  EXPECT_NE(e.reason.find("exceeded CPU time limit"), std::string::npos) << e.reason;
}

TEST(ExtractIsolated, MalformedOutputExitCodesAndFloods) {
  EXPECT_EQ(isolated(script("junk.sh", "echo junk"), "/dev/null", DocumentKind::pdf).reason,
            "helper returned malformed output");
  EXPECT_EQ(isolated(script("exit3.sh", "exit 3"), "/dev/null", DocumentKind::pdf).reason,
            "helper exited with status 3");
  // A frame that claims more text than it carries.
  EXPECT_EQ(isolated(script("short.sh", "printf 'CMX1 ok 1 5 0 0 5\\nab'"), "/dev/null",
                     DocumentKind::pdf)
                .reason,
            "helper returned malformed output");
  ExtractLimits limits;
  limits.max_output_chars = 10;
  EXPECT_EQ(isolated(script("flood.sh", "yes"), "/dev/null", DocumentKind::pdf, limits).reason,
            "output exceeded the limit");
}

TEST(ExtractIsolated, ManyThreadsAtOnce) {
  const std::string pdf = test::fixture_path("two_pages.pdf");
  std::atomic<int> right{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        auto r = extract_text_isolated(kBinary, pdf, document_type(DocumentKind::pdf));
        if (r && r->status == ExtractionStatus::ok && r->pages == 2) ++right;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(right.load(), 12);
}

TEST(ExtractIsolated, HelperThatCannotStartIsAnError) {
  auto r = extract_text_isolated("/nonexistent/contractmgmt", test::fixture_path("sample.txt"),
                                 document_type(DocumentKind::txt));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::unavailable);
}

TEST(ExtractIsolated, SelfExecutableIsThisTestBinary) {
  EXPECT_NE(self_executable().find("unit_extract"), std::string::npos);
}

}  // namespace
}  // namespace cm::extract
