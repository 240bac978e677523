// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/time_zone.hpp"

// Why our own TZif reader and not Howard Hinnant's date/tz (Debian's libhowardhinnant-date-dev:
// a compiled libdate-tz built with USE_OS_TZDB), measured in docs/PERFORMANCE.md ("Time zones:
// our TZif reader or date/tz", bench/tz/): its UTC-to-local-date conversion takes about twice
// the CPU time of ours on the by-id hot path (~40 ns against ~17), its first use reads the
// whole zoneinfo tree (4.7 ms against 0.27 ms for our one file), and with the OS database it
// ignores the TZif footer's rule, so daylight saving after 2037 is wrong (19.5% of sampled instants
// 2037-2100 differ; before 2037 the two agree on all 598 zones).

#include <algorithm>
#include <cstdio>

namespace cm {

namespace {

constexpr int kMaxOffsetSeconds = 25 * 3600;  // RFC 8536: |utoff| < 25 h in practice

// A cursor over a POSIX TZ string.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const noexcept { return pos_ >= text_.size(); }
  char peek() const noexcept { return done() ? '\0' : text_[pos_]; }
  bool take(char c) noexcept {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::optional<int> number(int max) noexcept {
    int value = 0;
    std::size_t digits = 0;
    while (peek() >= '0' && peek() <= '9') {
      value = value * 10 + (peek() - '0');
      ++pos_;
      if (++digits > 3 || value > max) return std::nullopt;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }
  // A zone abbreviation: 3+ letters, or <...> with letters, digits, '+' and '-'.
  bool name() noexcept {
    std::size_t length = 0;
    if (take('<')) {
      while (!done() && peek() != '>') {
        const char c = peek();
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '-';
        if (!ok) return false;
        ++pos_;
        ++length;
      }
      return take('>') && length >= 3;
    }
    while ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z')) {
      ++pos_;
      ++length;
    }
    return length >= 3;
  }
  // [+-]hh[:mm[:ss]] in seconds; hours up to `max_hours`.
  std::optional<int> hms(int max_hours) noexcept {
    int sign = 1;
    if (take('-'))
      sign = -1;
    else
      take('+');
    auto h = number(max_hours);
    if (!h) return std::nullopt;
    int seconds = *h * 3600;
    if (take(':')) {
      auto m = number(59);
      if (!m) return std::nullopt;
      seconds += *m * 60;
      if (take(':')) {
        auto s = number(59);
        if (!s) return std::nullopt;
        seconds += *s;
      }
    }
    return sign * seconds;
  }
  std::optional<PosixTzRule::When> when() noexcept {
    PosixTzRule::When w;
    if (take('J')) {
      auto n = number(365);
      if (!n || *n < 1) return std::nullopt;
      w.kind = PosixTzRule::When::julian_no_leap;
      w.day = *n;
    } else if (take('M')) {
      auto m = number(12);
      if (!m || *m < 1 || !take('.')) return std::nullopt;
      auto wk = number(5);
      if (!wk || *wk < 1 || !take('.')) return std::nullopt;
      auto d = number(6);
      if (!d) return std::nullopt;
      w.kind = PosixTzRule::When::month_week_day;
      w.month = *m;
      w.week = *wk;
      w.day = *d;
    } else {
      auto n = number(365);
      if (!n) return std::nullopt;
      w.kind = PosixTzRule::When::zero_based;
      w.day = *n;
    }
    if (take('/')) {
      auto t = hms(167);  // RFC 8536 extension: -167..167 hours
      if (!t) return std::nullopt;
      w.time = *t;
    }
    return w;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Days since the epoch of the rule's day in `year`.
std::int64_t rule_day(const PosixTzRule::When& w, int year) noexcept {
  const std::int64_t jan1 = days_from_civil({year, 1, 1});
  switch (w.kind) {
    case PosixTzRule::When::julian_no_leap:
      return jan1 + w.day - 1 + (is_leap_year(year) && w.day >= 60 ? 1 : 0);
    case PosixTzRule::When::zero_based:
      return jan1 + w.day;
    case PosixTzRule::When::month_week_day:
      break;
  }
  const auto month = static_cast<unsigned>(w.month);
  const std::int64_t first = days_from_civil({year, month, 1});
  const int first_weekday = static_cast<int>(((first + 4) % 7 + 7) % 7);  // 1970-01-01: Thursday
  std::int64_t day = first + (w.day - first_weekday + 7) % 7 + std::int64_t{w.week - 1} * 7;
  while (day >= first + days_in_month(year, month)) day -= 7;  // week 5 = the last one
  return day;
}

std::uint32_t be32(std::string_view b, std::size_t at) noexcept {
  return (std::uint32_t{static_cast<unsigned char>(b[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(b[at + 3])};
}

std::int64_t be64(std::string_view b, std::size_t at) noexcept {
  const std::uint64_t hi = be32(b, at);
  const std::uint64_t lo = be32(b, at + 4);
  return static_cast<std::int64_t>((hi << 32) | lo);
}

Error bad_tzif(const std::string& why) {
  return {ErrorKind::unprocessable, "Invalid time zone data: " + why + "."};
}

struct Header {
  char version = 0;
  std::size_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
  // The size of a data block whose instants take `time_size` bytes (4 in v1, 8 from v2 on).
  std::size_t data_size(std::size_t time_size) const noexcept {
    return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

std::optional<Header> read_header(std::string_view b, std::size_t at) noexcept {
  if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return std::nullopt;
  Header h;
  h.version = b[at + 4];
  h.isutcnt = be32(b, at + 20);
  h.isstdcnt = be32(b, at + 24);
  h.leapcnt = be32(b, at + 28);
  h.timecnt = be32(b, at + 32);
  h.typecnt = be32(b, at + 36);
  h.charcnt = be32(b, at + 40);
  // Bounds that keep the size arithmetic far from overflow; real files are a few KB.
  if (h.typecnt == 0 || h.typecnt > 256 || h.timecnt > 100'000 || h.leapcnt > 10'000 ||
      h.charcnt > 10'000 || h.isutcnt > 256 || h.isstdcnt > 256)
    return std::nullopt;
  return h;
}

}  // namespace

std::optional<PosixTzRule> PosixTzRule::parse(std::string_view text) noexcept {
  Cursor c(text);
  PosixTzRule r;
  if (!c.name()) return std::nullopt;
  auto std_off = c.hms(24);
  if (!std_off) return std::nullopt;
  r.std_offset = -*std_off;  // POSIX counts west of UTC as positive
  if (c.done()) return r;
  if (!c.name()) return std::nullopt;
  r.dst_offset = r.std_offset + 3600;
  if (!c.done() && c.peek() != ',') {
    auto dst_off = c.hms(24);
    if (!dst_off) return std::nullopt;
    r.dst_offset = -*dst_off;
  }
  if (c.done()) {  // POSIX leaves the default rule to the implementation; use the US one
    r.dst_start = {When::month_week_day, 0, 3, 2};
    r.dst_end = {When::month_week_day, 0, 11, 1};
    return r;
  }
  if (!c.take(',')) return std::nullopt;
  auto start = c.when();
  if (!start || !c.take(',')) return std::nullopt;
  auto end = c.when();
  if (!end || !c.done()) return std::nullopt;
  r.dst_start = *start;
  r.dst_end = *end;
  return r;
}

int PosixTzRule::offset_at(std::int64_t t) const noexcept {
  if (!dst_offset) return std_offset;
  std::int64_t local_days = (t + std_offset) / 86'400;
  if ((t + std_offset) % 86'400 < 0) --local_days;
  const int year = civil_from_days(local_days).year;
  // The start is given in standard time, the end in daylight time.
  const std::int64_t start = rule_day(dst_start, year) * 86'400 + dst_start.time - std_offset;
  const std::int64_t end = rule_day(dst_end, year) * 86'400 + dst_end.time - *dst_offset;
  const bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? *dst_offset : std_offset;
}

TimeZone TimeZone::utc() {
  TimeZone z;
  z.name_ = "UTC";
  return z;
}

Result<TimeZone> TimeZone::fixed(int offset_minutes) {
  if (offset_minutes < -14 * 60 || offset_minutes > 14 * 60)
    return Error(ErrorKind::unprocessable, "A UTC offset must be between -14:00 and +14:00.");
  TimeZone z;
  const int abs = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[16];
  std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", offset_minutes < 0 ? '-' : '+', abs / 60,
                abs % 60);
  z.name_ = buf;
  z.initial_offset_ = offset_minutes * 60;
  return z;
}

Result<TimeZone> TimeZone::from_posix(std::string_view rule) {
  auto parsed = PosixTzRule::parse(rule);
  if (!parsed) return bad_tzif("unreadable TZ rule");
  TimeZone z;
  z.name_ = std::string(rule);
  z.initial_offset_ = parsed->std_offset;
  z.rule_ = *parsed;
  return z;
}

Result<TimeZone> TimeZone::from_tzif(std::string_view name, std::string_view bytes) {
  auto h = read_header(bytes, 0);
  if (!h) return bad_tzif("no TZif header");
  std::size_t at = 44;
  std::size_t time_size = 4;
  if (h->version != '\0') {  // version 2+: skip the 32-bit block, use the 64-bit one
    at += h->data_size(4);
    h = read_header(bytes, at);
    if (!h) return bad_tzif("no second TZif header");
    at += 44;
    time_size = 8;
  }
  if (bytes.size() < at + h->data_size(time_size)) return bad_tzif("truncated");
  if (h->leapcnt != 0) return bad_tzif("leap-second zones are not supported");

  std::vector<std::int64_t> times(h->timecnt);
  for (std::size_t i = 0; i < h->timecnt; ++i)
    times[i] = time_size == 8 ? be64(bytes, at + i * 8)
                              : static_cast<std::int32_t>(be32(bytes, at + i * 4));
  at += h->timecnt * time_size;
  std::vector<std::size_t> type_of(h->timecnt);
  for (std::size_t i = 0; i < h->timecnt; ++i) {
    type_of[i] = static_cast<unsigned char>(bytes[at + i]);
    if (type_of[i] >= h->typecnt) return bad_tzif("transition to an unknown type");
  }
  at += h->timecnt;
  std::vector<int> type_offsets(h->typecnt);
  for (std::size_t i = 0; i < h->typecnt; ++i) {
    type_offsets[i] = static_cast<std::int32_t>(be32(bytes, at + i * 6));
    if (type_offsets[i] <= -kMaxOffsetSeconds || type_offsets[i] >= kMaxOffsetSeconds)
      return bad_tzif("offset out of range");
  }
  at += h->data_size(time_size) - h->timecnt * (time_size + 1);
  if (!std::is_sorted(times.begin(), times.end()) ||
      std::adjacent_find(times.begin(), times.end()) != times.end())
    return bad_tzif("transitions out of order");

  TimeZone z;
  z.name_ = std::string(name);
  z.transitions_ = std::move(times);
  z.initial_offset_ = type_offsets[0];
  for (auto type : type_of) z.offsets_after_.push_back(type_offsets[type]);

  if (time_size == 8) {  // footer: "\n<TZ string>\n", possibly empty
    if (at >= bytes.size() || bytes[at] != '\n') return bad_tzif("no footer");
    const auto end = bytes.find('\n', at + 1);
    if (end == std::string_view::npos) return bad_tzif("unterminated footer");
    const auto footer = bytes.substr(at + 1, end - at - 1);
    if (!footer.empty()) {
      z.rule_ = PosixTzRule::parse(footer);
      if (!z.rule_) return bad_tzif("unreadable footer rule");
    }
  }
  return z;
}

int TimeZone::offset_at(std::int64_t t) const noexcept {
  if (transitions_.empty() || t >= transitions_.back()) {
    if (rule_) return rule_->offset_at(t);
    return transitions_.empty() ? initial_offset_ : offsets_after_.back();
  }
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_after_[static_cast<std::size_t>(it - transitions_.begin()) - 1];
}

CivilDate date_in(const TimeZone& zone, std::int64_t unix_ms) noexcept {
  std::int64_t seconds = unix_ms / 1000;
  if (unix_ms % 1000 < 0) --seconds;
  return date_of((seconds + zone.offset_at(seconds)) * 1000);
}

bool is_valid_zone_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  std::size_t segment_start = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/') {
      const auto segment = name.substr(segment_start, i - segment_start);
      if (segment.empty() || segment.front() == '.' || segment.front() == '-') return false;
      segment_start = i + 1;
      continue;
    }
    const char c = name[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '+' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace cm
