// SPDX-License-Identifier: AGPL-3.0-or-later
#include "obs/logger.hpp"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace cm::obs {
namespace {

std::string_view level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::trace:
      return "trace";
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
    case LogLevel::off:
      return "off";
  }
  return "info";
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is invalid (overlong forms,
// surrogates and code points above U+10FFFF are invalid too, so the output is always strict
// UTF-8 that every JSON parser accepts).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return len;
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          // DEL is legal JSON but invisible in a terminal; escape it with the controls.
          if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(s, i);
    if (len == 0) {
      // Invalid UTF-8 (e.g. a truncated client header) must not make the whole line invalid JSON.
      out += "\\ufffd";
      ++i;
      continue;
    }
    // U+2028/U+2029 are valid JSON but break line-oriented JavaScript tooling.
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out.push_back('"');
}

void append_rfc3339_utc(std::string& out, std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{unix_ms}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  out += fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

void append_value(std::string& out, const LogField& field) {
  std::visit(
      [&out](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          append_json_string(out, v);
        } else if constexpr (std::is_same_v<V, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, double>) {
          // JSON has no NaN or infinity.
          if (std::isfinite(v)) {
            out += fmt::format("{}", v);
          } else {
            out += "null";
          }
        } else {
          out += fmt::format("{}", v);
        }
      },
      field.value);
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
  std::string lower;
  lower.reserve(text.size());
  for (const char c : text) {
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (lower == "trace") return LogLevel::trace;
  if (lower == "debug") return LogLevel::debug;
  if (lower == "info") return LogLevel::info;
  if (lower == "warn" || lower == "warning") return LogLevel::warn;
  if (lower == "error") return LogLevel::error;
  if (lower == "off") return LogLevel::off;
  return std::nullopt;
}

std::string format_log_line(std::int64_t unix_ms, LogLevel level, std::string_view msg,
                            const std::vector<LogField>& fields) {
  std::string out;
  out.reserve(96 + msg.size() + fields.size() * 24);
  out += "{\"time\":\"";
  append_rfc3339_utc(out, unix_ms);
  out += "\",\"level\":\"";
  out += level_name(level);
  out += "\",\"msg\":";
  append_json_string(out, msg);
  for (const auto& field : fields) {
    out.push_back(',');
    append_json_string(out, field.key);
    out.push_back(':');
    append_value(out, field);
  }
  out.push_back('}');
  return out;
}

struct Logger::Impl {
  std::shared_ptr<spdlog::logger> logger;

  explicit Impl(spdlog::sink_ptr sink) {
    sink->set_pattern("%v");
    // Not registered in spdlog's global registry: each Logger is owned by the composition root.
    logger = std::make_shared<spdlog::logger>("cm", std::move(sink));
    // Filtering happens in Logger::enabled; spdlog passes everything through.
    logger->set_level(spdlog::level::trace);
    // One line per event, visible immediately to the log shipper (and to tests reading the file).
    logger->flush_on(spdlog::level::trace);
  }
};

Logger::Logger(LogLevel level)
    : level_(level),
      impl_(std::make_unique<Impl>(std::make_shared<spdlog::sinks::stdout_sink_mt>())) {}

Logger::Logger(LogLevel level, const std::string& file_path)
    : level_(level),
      impl_(std::make_unique<Impl>(
          std::make_shared<spdlog::sinks::basic_file_sink_mt>(file_path, /*truncate=*/false))) {}

Logger::~Logger() {
  if (impl_ && impl_->logger) impl_->logger->flush();
}

void Logger::log(LogLevel level, std::string_view msg, const std::vector<LogField>& fields) const {
  if (level == LogLevel::off || !enabled(level)) return;
  const auto now = std::chrono::system_clock::now();
  const auto unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::string line = format_log_line(unix_ms, level, msg, fields);
  impl_->logger->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace cm::obs
