// SPDX-License-Identifier: AGPL-3.0-or-later
#include "obs/logger.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace cm::obs {
namespace {

// 2026-11-26T04:12:26.123Z
constexpr std::int64_t kSampleMs = 1'795'666'346'123;

boost::json::object parse_line(const std::string& line) {
  boost::system::error_code ec;
  auto value = boost::json::parse(line, ec);
  EXPECT_FALSE(ec) << "not JSON: " << line;
  EXPECT_TRUE(value.is_object()) << line;
  return value.is_object() ? value.as_object() : boost::json::object{};
}

class TempLogFile {
 public:
  TempLogFile() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cm-logger-XXXXXX").string();
    const int fd = mkstemp(tmpl.data());
    if (fd >= 0) close(fd);
    path_ = tmpl;
  }
  ~TempLogFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

 private:
  std::string path_;
};

TEST(ParseLogLevel, AcceptsKnownNamesCaseInsensitively) {
  EXPECT_EQ(parse_log_level("trace"), LogLevel::trace);
  EXPECT_EQ(parse_log_level("DEBUG"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("Info"), LogLevel::info);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("WARNING"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("error"), LogLevel::error);
  EXPECT_EQ(parse_log_level("off"), LogLevel::off);
}

TEST(ParseLogLevel, RejectsEverythingElse) {
  EXPECT_EQ(parse_log_level(""), std::nullopt);
  EXPECT_EQ(parse_log_level("fatal"), std::nullopt);
  EXPECT_EQ(parse_log_level(" info"), std::nullopt);
  EXPECT_EQ(parse_log_level("info "), std::nullopt);
}

TEST(FormatLogLine, HasTimeLevelMsgThenFieldsInOrder) {
  const std::string line = format_log_line(kSampleMs, LogLevel::info, "request done",
                                           {{"requestId", std::string("r-1")},
                                            {"status", std::int64_t{200}},
                                            {"durationMs", 1.5},
                                            {"cached", false}});
  EXPECT_EQ(line, R"({"time":"2026-11-26T04:12:26.123Z","level":"info","msg":"request done",)"
                  R"("requestId":"r-1","status":200,"durationMs":1.5,"cached":false})");
  const auto obj = parse_line(line);
  EXPECT_EQ(obj.at("status").as_int64(), 200);
  EXPECT_DOUBLE_EQ(obj.at("durationMs").as_double(), 1.5);
}

TEST(FormatLogLine, TimeIsUtcWithMilliseconds) {
  EXPECT_NE(
      format_log_line(0, LogLevel::warn, "x", {}).find(R"("time":"1970-01-01T00:00:00.000Z")"),
      std::string::npos);
  EXPECT_NE(format_log_line(kSampleMs - 123 + 7, LogLevel::warn, "x", {}).find("04:12:26.007Z"),
            std::string::npos);
}

TEST(FormatLogLine, LevelNamesAreLowercase) {
  for (const auto& [level, name] :
       std::vector<std::pair<LogLevel, std::string>>{{LogLevel::trace, "trace"},
                                                     {LogLevel::debug, "debug"},
                                                     {LogLevel::info, "info"},
                                                     {LogLevel::warn, "warn"},
                                                     {LogLevel::error, "error"}}) {
    EXPECT_EQ(parse_line(format_log_line(kSampleMs, level, "m", {})).at("level").as_string(), name);
  }
}

TEST(FormatLogLine, EscapesQuotesBackslashesAndControlCharacters) {
  const std::string nasty = std::string("a\"b\\c\nd\re\tf\b\f") + '\x01' + '\x1f' + '\x7f' + "end";
  const std::string line = format_log_line(kSampleMs, LogLevel::info, nasty, {{"k\"ey\n", nasty}});
  // One physical line, whatever the message holds.
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_NE(line.find(R"(\u0001)"), std::string::npos);
  EXPECT_NE(line.find(R"(\u001f)"), std::string::npos);
  const auto obj = parse_line(line);
  EXPECT_EQ(obj.at("msg").as_string(), nasty);
  EXPECT_EQ(obj.at("k\"ey\n").as_string(), nasty);
}

TEST(FormatLogLine, KeepsNonAsciiAsUtf8) {
  const std::string text =
      "Vertrag f\xc3\xbcr M\xc3\xbcller \xe2\x82\xac \xf0\x9f\x93\x84";  // für Müller € 📄
  const std::string line = format_log_line(kSampleMs, LogLevel::info, text, {});
  EXPECT_NE(line.find(text), std::string::npos) << line;
  EXPECT_EQ(parse_line(line).at("msg").as_string(), text);
}

TEST(FormatLogLine, ReplacesInvalidUtf8SoTheLineStaysValidJson) {
  const std::string bad = std::string("ok") + '\xff' + "x" + '\xc3' + '\xed' + '\xa0' + '\x80';
  const std::string line = format_log_line(kSampleMs, LogLevel::info, bad, {});
  const auto obj = parse_line(line);
  EXPECT_EQ(std::string(obj.at("msg").as_string()).substr(0, 2), "ok");
  EXPECT_NE(line.find(R"(\ufffd)"), std::string::npos);
}

TEST(FormatLogLine, NonFiniteNumbersBecomeNull) {
  const auto obj = parse_line(format_log_line(kSampleMs, LogLevel::info, "m",
                                              {{"nan", std::numeric_limits<double>::quiet_NaN()},
                                               {"inf", std::numeric_limits<double>::infinity()}}));
  EXPECT_TRUE(obj.at("nan").is_null());
  EXPECT_TRUE(obj.at("inf").is_null());
}

TEST(Logger, WritesOneJsonObjectPerLineToFile) {
  TempLogFile file;
  {
    Logger logger(LogLevel::info, file.path());
    logger.info("server started", {{"port", std::int64_t{8000}}});
    logger.error("boom", {{"requestId", std::string("abc")}});
  }
  const auto lines = file.lines();
  ASSERT_EQ(lines.size(), 2u);
  const auto first = parse_line(lines[0]);
  EXPECT_EQ(first.at("msg").as_string(), "server started");
  EXPECT_EQ(first.at("port").as_int64(), 8000);
  const std::regex time_re(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  EXPECT_TRUE(std::regex_match(std::string(first.at("time").as_string()), time_re));
  EXPECT_EQ(parse_line(lines[1]).at("level").as_string(), "error");
}

TEST(Logger, FiltersBelowConfiguredLevel) {
  TempLogFile file;
  {
    Logger logger(LogLevel::warn, file.path());
    EXPECT_FALSE(logger.enabled(LogLevel::info));
    EXPECT_TRUE(logger.enabled(LogLevel::error));
    logger.debug("hidden");
    logger.info("hidden");
    logger.warn("shown-1");
    logger.error("shown-2");
  }
  const auto lines = file.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(parse_line(lines[0]).at("msg").as_string(), "shown-1");
  EXPECT_EQ(parse_line(lines[1]).at("msg").as_string(), "shown-2");
}

TEST(Logger, OffWritesNothing) {
  TempLogFile file;
  {
    Logger logger(LogLevel::off, file.path());
    EXPECT_FALSE(logger.enabled(LogLevel::error));
    logger.error("nothing");
    logger.log(LogLevel::off, "nothing either");
  }
  EXPECT_TRUE(file.lines().empty());
}

TEST(Logger, AppendsToAnExistingFile) {
  TempLogFile file;
  { Logger(LogLevel::info, file.path()).info("one"); }
  { Logger(LogLevel::info, file.path()).info("two"); }
  EXPECT_EQ(file.lines().size(), 2u);
}

TEST(Logger, LinesFromManyThreadsDoNotInterleave) {
  TempLogFile file;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  {
    Logger logger(LogLevel::info, file.path());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&logger, t] {
        for (int i = 0; i < kPerThread; ++i) {
          logger.info("tick", {{"thread", std::int64_t{t}},
                               {"i", std::int64_t{i}},
                               {"padding", std::string(100, 'x')}});
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  const auto lines = file.lines();
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (const auto& line : lines) parse_line(line);
}

}  // namespace
}  // namespace cm::obs
