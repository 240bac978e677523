// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/text_diff.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <unordered_map>

#include "core/utf8.hpp"

namespace cm {
namespace {

// ---------------------------------------------------------------------------------------------
// Tokens

using utf8::CodePoint;

CodePoint decode_utf8(std::string_view s, std::size_t i) noexcept {
  return utf8::decode(s, i);
}

enum class CharClass { word, single_word, space, punct };

bool is_space(char32_t c) noexcept {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

CharClass classify(const CodePoint& cp) noexcept {
  const char32_t c = cp.value;
  if (!cp.valid) return CharClass::punct;
  if (c < 0x80) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      return CharClass::word;
    }
    return is_space(c) ? CharClass::space : CharClass::punct;
  }
  if (is_space(c)) return CharClass::space;
  // Latin-1 symbols, general punctuation, arrows/math/technical/box drawing/dingbats, CJK
  // punctuation, fullwidth ASCII punctuation: each mark is a token of its own.
  if ((c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2010 && c <= 0x205E) ||
      (c >= 0x2190 && c <= 0x2BFF) || (c >= 0x3001 && c <= 0x303F) ||
      (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20)) {
    return CharClass::punct;
  }
  // Languages written without spaces: one ideograph or kana is one word.
  if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x20000 && c <= 0x3FFFF)) {
    return CharClass::single_word;
  }
  return CharClass::word;
}

// Calls on_token(begin, end, is_word) for each token of `text`; stops (returning false) when
// on_token returns false.
template <class OnToken>
bool for_each_word_token(std::string_view text, OnToken&& on_token) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t begin = i;
    const CodePoint first = decode_utf8(text, i);
    const CharClass cls = classify(first);
    i += first.length;
    if (cls == CharClass::word || cls == CharClass::space) {
      while (i < text.size()) {
        const CodePoint next = decode_utf8(text, i);
        if (classify(next) != cls) break;
        i += next.length;
      }
    }
    const bool is_word = cls == CharClass::word || cls == CharClass::single_word;
    if (!on_token(begin, i, is_word)) return false;
  }
  return true;
}

// A text as a sequence of interned token ids; token i spans [starts[i], starts[i + 1]).
struct Tokens {
  std::vector<std::uint32_t> ids;
  std::vector<std::size_t> starts;
  std::size_t size() const noexcept { return ids.size(); }
};

class Interner {
 public:
  std::uint32_t id(std::string_view token) {
    auto [it, inserted] = ids_.try_emplace(token, static_cast<std::uint32_t>(ids_.size()));
    return it->second;
  }

 private:
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

// Word tokens of text[begin, end), or false when there are more than max_tokens.
bool tokenize_words(std::string_view text, std::size_t base, Interner& interner,
                    std::size_t max_tokens, Tokens& out) {
  out.ids.clear();
  out.starts.clear();
  const bool fits = for_each_word_token(text, [&](std::size_t b, std::size_t e, bool) {
    if (out.ids.size() >= max_tokens) return false;
    out.ids.push_back(interner.id(text.substr(b, e - b)));
    out.starts.push_back(base + b);
    return true;
  });
  out.starts.push_back(base + text.size());
  return fits;
}

// Lines, each with its terminating '\n'.
Tokens tokenize_lines(std::string_view text, Interner& interner) {
  Tokens out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto nl = text.find('\n', i);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.ids.push_back(interner.id(text.substr(i, end - i)));
    out.starts.push_back(i);
    i = end;
  }
  out.starts.push_back(text.size());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Myers' O(ND) difference algorithm, linear space (the middle-snake bisection as in
// diff-match-patch), with a work budget.

class Budget {
 public:
  explicit Budget(std::uint64_t steps) : remaining_(steps) {}
  bool spend(std::uint64_t steps) noexcept {
    if (steps > remaining_) {
      remaining_ = 0;
      return false;
    }
    remaining_ -= steps;
    return true;
  }
  std::uint64_t remaining() const noexcept { return remaining_; }

 private:
  std::uint64_t remaining_;
};

struct Edit {
  DiffOp op;
  std::size_t count;
};

class Myers {
 public:
  Myers(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b, Budget& budget)
      : a_(a), b_(b), budget_(budget) {}

  // The edit script turning a into b, or false when the budget ran out.
  bool run(std::vector<Edit>& out) {
    edits_.clear();
    if (!diff(0, a_.size(), 0, b_.size())) return false;
    out = std::move(edits_);
    return true;
  }

 private:
  void emit(DiffOp op, std::size_t count) {
    if (count == 0) return;
    if (!edits_.empty() && edits_.back().op == op) {
      edits_.back().count += count;
    } else {
      edits_.push_back({op, count});
    }
  }

  bool diff(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1) {
    std::size_t prefix = 0;
    while (a0 + prefix < a1 && b0 + prefix < b1 && a_[a0 + prefix] == b_[b0 + prefix]) ++prefix;
    emit(DiffOp::equal, prefix);
    a0 += prefix;
    b0 += prefix;
    std::size_t suffix = 0;
    while (a1 - suffix > a0 && b1 - suffix > b0 && a_[a1 - 1 - suffix] == b_[b1 - 1 - suffix]) {
      ++suffix;
    }
    a1 -= suffix;
    b1 -= suffix;
    if (!budget_.spend(prefix + suffix + 1)) return false;

    if (a0 == a1) {
      emit(DiffOp::insert, b1 - b0);
    } else if (b0 == b1) {
      emit(DiffOp::remove, a1 - a0);
    } else {
      std::size_t x = 0;
      std::size_t y = 0;
      switch (bisect(a0, a1, b0, b1, x, y)) {
        case Bisect::out_of_budget:
          return false;
        case Bisect::nothing_in_common:
          emit(DiffOp::remove, a1 - a0);
          emit(DiffOp::insert, b1 - b0);
          break;
        case Bisect::split:
          if (!diff(a0, x, b0, y) || !diff(x, a1, y, b1)) return false;
          break;
      }
    }
    emit(DiffOp::equal, suffix);
    return true;
  }

  enum class Bisect { split, nothing_in_common, out_of_budget };

  // Finds the middle snake of a[a0, a1) and b[b0, b1) (both non-empty, no common prefix or
  // suffix) and returns the point (x, y) where the optimal path crosses it.
  Bisect bisect(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1, std::size_t& x,
                std::size_t& y) {
    using Index = std::ptrdiff_t;
    const auto n = static_cast<Index>(a1 - a0);
    const auto m = static_cast<Index>(b1 - b0);
    const Index max_d = (n + m + 1) / 2;
    // Round d costs about 2d steps, so the budget allows about sqrt(budget) rounds: size the
    // diagonal arrays for that, not for n + m.
    const auto affordable =
        static_cast<Index>(std::sqrt(static_cast<double>(budget_.remaining()))) + 2;
    const Index rounds = std::min(max_d, affordable);
    const Index offset = rounds;
    const Index length = 2 * rounds + 2;
    if (!budget_.spend(static_cast<std::uint64_t>(length))) return Bisect::out_of_budget;
    forward_.assign(static_cast<std::size_t>(length), -1);
    backward_.assign(static_cast<std::size_t>(length), -1);
    forward_[offset + 1] = 0;
    backward_[offset + 1] = 0;
    const Index delta = n - m;
    const bool front = (delta % 2) != 0;
    Index k1start = 0, k1end = 0, k2start = 0, k2end = 0;
    const auto A = [&](Index i) { return a_[a0 + static_cast<std::size_t>(i)]; };
    const auto B = [&](Index j) { return b_[b0 + static_cast<std::size_t>(j)]; };

    for (Index d = 0; d < rounds; ++d) {
      std::uint64_t steps = 0;
      for (Index k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
        const Index k1_offset = offset + k1;
        Index x1 = (k1 == -d || (k1 != d && forward_[k1_offset - 1] < forward_[k1_offset + 1]))
                       ? forward_[k1_offset + 1]
                       : forward_[k1_offset - 1] + 1;
        Index y1 = x1 - k1;
        const Index x1_start = x1;
        while (x1 < n && y1 < m && A(x1) == B(y1)) ++x1, ++y1;
        steps += static_cast<std::uint64_t>(x1 - x1_start) + 1;
        forward_[k1_offset] = x1;
        if (x1 > n) {
          k1end += 2;  // ran off the right of the graph
        } else if (y1 > m) {
          k1start += 2;  // ran off the bottom
        } else if (front) {
          const Index k2_offset = offset + delta - k1;
          if (k2_offset >= 0 && k2_offset < length && backward_[k2_offset] != -1 &&
              x1 >= n - backward_[k2_offset]) {
            x = a0 + static_cast<std::size_t>(x1);
            y = b0 + static_cast<std::size_t>(y1);
            return Bisect::split;
          }
        }
      }
      for (Index k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
        const Index k2_offset = offset + k2;
        Index x2 = (k2 == -d || (k2 != d && backward_[k2_offset - 1] < backward_[k2_offset + 1]))
                       ? backward_[k2_offset + 1]
                       : backward_[k2_offset - 1] + 1;
        Index y2 = x2 - k2;
        const Index x2_start = x2;
        while (x2 < n && y2 < m && A(n - x2 - 1) == B(m - y2 - 1)) ++x2, ++y2;
        steps += static_cast<std::uint64_t>(x2 - x2_start) + 1;
        backward_[k2_offset] = x2;
        if (x2 > n) {
          k2end += 2;  // ran off the left
        } else if (y2 > m) {
          k2start += 2;  // ran off the top
        } else if (!front) {
          const Index k1_offset = offset + delta - k2;
          if (k1_offset >= 0 && k1_offset < length && forward_[k1_offset] != -1) {
            const Index x1 = forward_[k1_offset];
            const Index y1 = offset + x1 - k1_offset;
            if (x1 >= n - x2) {
              x = a0 + static_cast<std::size_t>(x1);
              y = b0 + static_cast<std::size_t>(y1);
              return Bisect::split;
            }
          }
        }
      }
      if (!budget_.spend(steps)) return Bisect::out_of_budget;
    }
    // Every round ran without the paths meeting: either the budget capped the rounds, or the
    // two sequences have nothing in common.
    return rounds < max_d ? Bisect::out_of_budget : Bisect::nothing_in_common;
  }

  std::span<const std::uint32_t> a_;
  std::span<const std::uint32_t> b_;
  Budget& budget_;
  std::vector<Edit> edits_;
  std::vector<std::ptrdiff_t> forward_;
  std::vector<std::ptrdiff_t> backward_;
};

// ---------------------------------------------------------------------------------------------
// Segments: alternating equal and changed byte ranges of the two texts.

struct Segment {
  bool equal = true;
  std::size_t old_begin = 0, old_end = 0;
  std::size_t new_begin = 0, new_end = 0;
};

// Turns an edit script over token sequences into segments of byte ranges.
void append_segments(const std::vector<Edit>& edits, const Tokens& a, const Tokens& b,
                     std::vector<Segment>& out) {
  std::size_t i = 0;
  std::size_t j = 0;
  for (const Edit& e : edits) {
    const bool equal = e.op == DiffOp::equal;
    const std::size_t di = e.op == DiffOp::insert ? 0 : e.count;
    const std::size_t dj = e.op == DiffOp::remove ? 0 : e.count;
    Segment s{equal, a.starts[i], a.starts[i + di], b.starts[j], b.starts[j + dj]};
    if (!out.empty() && out.back().equal == equal && out.back().old_end == s.old_begin &&
        out.back().new_end == s.new_begin) {
      out.back().old_end = s.old_end;
      out.back().new_end = s.new_end;
    } else {
      out.push_back(s);
    }
    i += di;
    j += dj;
  }
}

// Merges neighbours of the same kind, drops empty segments, and folds a whitespace-only
// equality inside a line (between two changes) into the changes around it.
std::vector<Segment> merge(const std::vector<Segment>& in, std::string_view old_text) {
  const auto is_fold_candidate = [&](const Segment& s) {
    if (!s.equal || s.old_begin == s.old_end) return false;
    for (std::size_t i = s.old_begin; i < s.old_end; ++i) {
      const char c = old_text[i];
      if (c != ' ' && c != '\t') return false;
    }
    return true;
  };
  std::vector<Segment> merged;
  merged.reserve(in.size());
  for (std::size_t idx = 0; idx < in.size(); ++idx) {
    Segment s = in[idx];
    if (s.old_begin == s.old_end && s.new_begin == s.new_end) continue;
    if (is_fold_candidate(s) && !merged.empty() && !merged.back().equal && idx + 1 < in.size() &&
        !in[idx + 1].equal) {
      s.equal = false;
    }
    if (!merged.empty() && merged.back().equal == s.equal) {
      merged.back().old_end = s.old_end;
      merged.back().new_end = s.new_end;
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_ascii_alnum(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

// How good a place position i of `text` is for a change to start or end: text edges and line
// breaks best, then the start of a word, the end of a word, punctuation; never inside a word
// or a UTF-8 sequence.
int boundary_score(std::string_view text, std::size_t i) noexcept {
  if (i == 0 || i == text.size()) return 6;
  const char before = text[i - 1];
  const char after = text[i];
  if ((static_cast<unsigned char>(after) & 0xC0) == 0x80) return -100;
  if (before == '\n' || after == '\n') return 5;
  const bool space_before = is_ascii_space(before);
  const bool space_after = is_ascii_space(after);
  if (space_before && !space_after) return 3;
  if (!space_before && space_after) return 2;
  if (is_ascii_alnum(before) != is_ascii_alnum(after)) return 1;
  return 0;
}

// A pure insertion or deletion between two equalities can often slide ("+[ written]" and
// "+[written ]" are the same edit): slide it to where its edges fall on word boundaries.
void slide_to_word_boundaries(std::vector<Segment>& segments, std::string_view old_text,
                              std::string_view new_text) {
  for (std::size_t i = 1; i + 1 < segments.size(); ++i) {
    Segment& before = segments[i - 1];
    Segment& change = segments[i];
    Segment& after = segments[i + 1];
    if (change.equal || !before.equal || !after.equal) continue;
    const bool insertion = change.old_begin == change.old_end;
    const bool deletion = change.new_begin == change.new_end;
    if (insertion == deletion) continue;
    // In the text that holds the change, `before`, the change and `after` are contiguous.
    const std::string_view text = insertion ? new_text : old_text;
    const std::size_t lo = insertion ? before.new_begin : before.old_begin;
    const std::size_t hi = insertion ? after.new_end : after.old_end;
    const std::size_t start = insertion ? change.new_begin : change.old_begin;
    const std::size_t length = insertion ? change.new_end - start : change.old_end - start;
    std::size_t first = start;
    while (first > lo && text[first - 1] == text[first + length - 1]) --first;
    std::size_t best = start;
    int best_score = boundary_score(text, start) + boundary_score(text, start + length);
    for (std::size_t p = first; p + length <= hi; ++p) {
      if (p > first && text[p - 1] != text[p + length - 1]) break;
      const int score = boundary_score(text, p) + boundary_score(text, p + length);
      if (score > best_score) best = p, best_score = score;
    }
    if (best == start) continue;
    const std::size_t shift_left = start > best ? start - best : 0;
    const std::size_t shift_right = best > start ? best - start : 0;
    const auto move = [&](std::size_t& pos) { pos = pos - shift_left + shift_right; };
    move(before.old_end), move(before.new_end);
    move(change.old_begin), move(change.old_end), move(change.new_begin), move(change.new_end);
    move(after.old_begin), move(after.new_begin);
  }
}

std::vector<Segment> normalize(const std::vector<Segment>& in, std::string_view old_text,
                               std::string_view new_text) {
  std::vector<Segment> segments = merge(in, old_text);
  slide_to_word_boundaries(segments, old_text, new_text);
  return merge(segments, old_text);
}

bool word_diff(std::string_view old_text, std::string_view new_text, std::size_t old_base,
               std::size_t new_base, std::size_t max_tokens, Budget& budget,
               std::vector<Segment>& out) {
  Interner interner;
  Tokens a;
  Tokens b;
  if (!tokenize_words(old_text, old_base, interner, max_tokens, a) ||
      !tokenize_words(new_text, new_base, interner, max_tokens, b)) {
    return false;
  }
  if (!budget.spend(a.size() + b.size())) return false;
  std::vector<Edit> edits;
  if (!Myers(a.ids, b.ids, budget).run(edits)) return false;
  append_segments(edits, a, b, out);
  return true;
}

// The fallback: lines first, then each changed block of lines refined to words while the
// budget lasts. Returns the precision reached.
DiffPrecision line_diff(std::string_view old_text, std::string_view new_text,
                        const DiffLimits& limits, std::vector<Segment>& out) {
  Interner interner;
  const Tokens a = tokenize_lines(old_text, interner);
  const Tokens b = tokenize_lines(new_text, interner);
  Budget budget(limits.max_work);
  std::vector<Edit> edits;
  if (!Myers(a.ids, b.ids, budget).run(edits)) {
    // Even lines differ too much: common leading and trailing lines, one change in between.
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.ids[prefix] == b.ids[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a.ids[a.size() - 1 - suffix] == b.ids[b.size() - 1 - suffix]) {
      ++suffix;
    }
    edits.clear();
    edits.push_back({DiffOp::equal, prefix});
    edits.push_back({DiffOp::remove, a.size() - prefix - suffix});
    edits.push_back({DiffOp::insert, b.size() - prefix - suffix});
    edits.push_back({DiffOp::equal, suffix});
    std::erase_if(edits, [](const Edit& e) { return e.count == 0; });
    append_segments(edits, a, b, out);
    return DiffPrecision::block;
  }

  std::vector<Segment> lines;
  append_segments(edits, a, b, lines);
  // A changed block that is nearly all of both texts is what the word diff already failed on:
  // trying it again would spend the budget a second time for nothing.
  const auto nearly_everything = [&](const Segment& s) {
    return (s.old_end - s.old_begin) * 10 >= old_text.size() * 9 &&
           (s.new_end - s.new_begin) * 10 >= new_text.size() * 9;
  };
  for (const Segment& s : lines) {
    const bool refinable =
        !s.equal && s.old_begin != s.old_end && s.new_begin != s.new_end && !nearly_everything(s);
    if (refinable && budget.remaining() > 0) {
      std::vector<Segment> refined;
      const auto old_part = old_text.substr(s.old_begin, s.old_end - s.old_begin);
      const auto new_part = new_text.substr(s.new_begin, s.new_end - s.new_begin);
      if (word_diff(old_part, new_part, s.old_begin, s.new_begin, limits.max_word_tokens, budget,
                    refined)) {
        out.insert(out.end(), refined.begin(), refined.end());
        continue;
      }
    }
    out.push_back(s);
  }
  return DiffPrecision::line;
}

}  // namespace

std::string_view to_string(DiffOp op) noexcept {
  switch (op) {
    case DiffOp::equal:
      return "equal";
    case DiffOp::insert:
      return "insert";
    case DiffOp::remove:
      return "delete";
  }
  return "equal";
}

std::string_view to_string(DiffPrecision precision) noexcept {
  switch (precision) {
    case DiffPrecision::word:
      return "word";
    case DiffPrecision::line:
      return "line";
    case DiffPrecision::block:
      return "block";
  }
  return "word";
}

std::size_t count_words(std::string_view text) noexcept {
  std::size_t words = 0;
  for_each_word_token(text, [&](std::size_t, std::size_t, bool is_word) {
    words += is_word ? 1 : 0;
    return true;
  });
  return words;
}

TextDiff diff_words(std::string_view old_text, std::string_view new_text,
                    const DiffLimits& limits) {
  TextDiff result;
  std::vector<Segment> segments;
  Budget budget(limits.max_work);
  if (!word_diff(old_text, new_text, 0, 0, limits.max_word_tokens, budget, segments)) {
    segments.clear();
    result.precision = line_diff(old_text, new_text, limits, segments);
  }

  for (const Segment& s : normalize(segments, old_text, new_text)) {
    const auto old_part = old_text.substr(s.old_begin, s.old_end - s.old_begin);
    const auto new_part = new_text.substr(s.new_begin, s.new_end - s.new_begin);
    if (s.equal) {
      result.runs.push_back({DiffOp::equal, std::string(old_part), s.old_begin, old_part.size(),
                             s.new_begin, new_part.size()});
      result.summary.words_unchanged += count_words(old_part);
      continue;
    }
    if (!old_part.empty()) {
      result.runs.push_back(
          {DiffOp::remove, std::string(old_part), s.old_begin, old_part.size(), s.new_begin, 0});
      result.summary.words_deleted += count_words(old_part);
    }
    if (!new_part.empty()) {
      result.runs.push_back(
          {DiffOp::insert, std::string(new_part), s.old_end, 0, s.new_begin, new_part.size()});
      result.summary.words_inserted += count_words(new_part);
    }
  }
  return result;
}

}  // namespace cm
