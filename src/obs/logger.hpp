// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Structured logs: one JSON object per line on stdout with `time` (RFC 3339, UTC, milliseconds),
// `level`, `msg` and the given fields. Never pass secrets, tokens, passwords or document
// contents as fields. Thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cm::obs {

enum class LogLevel { trace, debug, info, warn, error, off };

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

struct LogField {
  std::string key;
  std::variant<std::string, std::int64_t, double, bool> value;
};

class Logger {
 public:
  // Writes to stdout.
  explicit Logger(LogLevel level);
  // Writes to a file (tests); appends.
  Logger(LogLevel level, const std::string& file_path);
  ~Logger();

  bool enabled(LogLevel level) const noexcept { return level >= level_ && level_ != LogLevel::off; }
  void log(LogLevel level, std::string_view msg, const std::vector<LogField>& fields = {}) const;
  void debug(std::string_view msg, const std::vector<LogField>& fields = {}) const {
    log(LogLevel::debug, msg, fields);
  }
  void info(std::string_view msg, const std::vector<LogField>& fields = {}) const {
    log(LogLevel::info, msg, fields);
  }
  void warn(std::string_view msg, const std::vector<LogField>& fields = {}) const {
    log(LogLevel::warn, msg, fields);
  }
  void error(std::string_view msg, const std::vector<LogField>& fields = {}) const {
    log(LogLevel::error, msg, fields);
  }

 private:
  struct Impl;
  LogLevel level_;
  std::unique_ptr<Impl> impl_;
};

// Formats one log line (without the trailing newline); exposed for tests.
std::string format_log_line(std::int64_t unix_ms, LogLevel level, std::string_view msg,
                            const std::vector<LogField>& fields);

}  // namespace cm::obs
