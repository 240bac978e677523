// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/job.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

#include "core/time.hpp"

namespace cm {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = std::int64_t{24} * 60 * kMinuteMs;

constexpr std::array<std::pair<JobStatus, std::string_view>, 5> kStatusNames = {{
    {JobStatus::queued, "queued"},
    {JobStatus::running, "running"},
    {JobStatus::succeeded, "succeeded"},
    {JobStatus::dead, "dead"},
    {JobStatus::cancelled, "cancelled"},
}};

// Floor division: period starts before 1970 (never in practice, but negative offsets are not
// ruled out by the type) still land on the grid.
std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

std::string_view to_string(JobStatus status) noexcept {
  for (const auto& [s, name] : kStatusNames) {
    if (s == status) return name;
  }
  return "queued";
}

std::optional<JobStatus> parse_job_status(std::string_view text) noexcept {
  for (const auto& [s, name] : kStatusNames) {
    if (name == text) return s;
  }
  return std::nullopt;
}

bool is_valid_job_kind(std::string_view kind) noexcept {
  if (kind.empty() || kind.size() > kMaxJobKindLength) return false;
  return std::all_of(kind.begin(), kind.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::chrono::milliseconds retry_delay(int attempts, const RetryPolicy& policy,
                                      double unit_random) noexcept {
  const std::int64_t base = std::max<std::int64_t>(1, policy.base.count());
  const std::int64_t cap = std::max(base, static_cast<std::int64_t>(policy.cap.count()));
  // Doubling stops at the cap, so no shift overflows however many attempts there were.
  std::int64_t nominal = base;
  for (int i = 1; i < attempts && nominal < cap; ++i) nominal *= 2;
  nominal = std::min(nominal, cap);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  const std::int64_t half = nominal / 2;
  return std::chrono::milliseconds(
      half + static_cast<std::int64_t>(static_cast<double>(nominal - half) * r));
}

Schedule Schedule::every(std::chrono::minutes period) {
  if (period.count() < 1 || period.count() > std::int64_t{7} * 1440)
    throw std::invalid_argument("a schedule period must be 1 minute to 7 days");
  return Schedule(period.count() * kMinuteMs, 0);
}

Schedule Schedule::daily_at(int hour, int minute) {
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
    throw std::invalid_argument("a daily schedule needs 00:00-23:59");
  return Schedule(kDayMs, (std::int64_t{hour} * 60 + minute) * kMinuteMs);
}

std::int64_t Schedule::period_start(std::int64_t unix_ms) const noexcept {
  return offset_ms_ + floor_div(unix_ms - offset_ms_, length_ms_) * length_ms_;
}

std::int64_t Schedule::next_start(std::int64_t unix_ms) const noexcept {
  return period_start(unix_ms) + length_ms_;
}

std::string Schedule::describe() const {
  char buf[64];
  if (length_ms_ == kDayMs) {
    const auto minutes = offset_ms_ / kMinuteMs;
    std::snprintf(buf, sizeof buf, "daily %02d:%02d UTC", static_cast<int>(minutes / 60),
                  static_cast<int>(minutes % 60));
  } else {
    std::snprintf(buf, sizeof buf, "every %lldm", static_cast<long long>(length_ms_ / kMinuteMs));
  }
  return buf;
}

std::string period_key(std::string_view kind, std::int64_t period_start_ms) {
  return std::string(kind) + ":" + format_rfc3339(period_start_ms);
}

}  // namespace cm
