// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Word-level diff of two texts for a redline view (pure, no I/O).
//
// Both texts are split into tokens: words, runs of whitespace, and single punctuation marks
// (CJK ideographs and kana are one word each). The token sequences are compared with Myers'
// O(ND) algorithm in linear space, and the result is a list of runs (equal / insert / delete)
// that together spell out both texts: concatenating the equal and delete runs gives the old
// text, the equal and insert runs the new text. Inside a changed region the delete run comes
// before the insert run, and a whitespace-only equality between two changes is folded into
// them ("the quick" -> "a slow" is one delete and one insert, not four runs).
//
// Bounded: the comparison has a work budget. When two texts differ too much for a word diff
// within it (or have more than `max_word_tokens` tokens), the diff falls back to lines and then
// refines changed lines to words while budget remains; if even the line diff runs out, the
// differing middle is one delete and one insert. `precision` says how far it fell back. Time
// is O(n + max_work) and memory O(n) for texts of n bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cm {

enum class DiffOp { equal, insert, remove };

// "equal", "insert", "delete".
std::string_view to_string(DiffOp op) noexcept;

// One run of the diff. Offsets and lengths are UTF-8 byte positions. An equal run covers the
// same text in both; a delete run has new_length 0 and new_offset where it would have been in
// the new text; an insert run has old_length 0 and old_offset where it goes in the old text.
struct DiffRun {
  DiffOp op = DiffOp::equal;
  std::string text;
  std::size_t old_offset = 0;
  std::size_t old_length = 0;
  std::size_t new_offset = 0;
  std::size_t new_length = 0;
};

// Counts of words (not whitespace or punctuation) in the equal, insert and delete runs.
struct DiffSummary {
  std::size_t words_inserted = 0;
  std::size_t words_deleted = 0;
  std::size_t words_unchanged = 0;
};

enum class DiffPrecision {
  word,   // every change is at word granularity
  line,   // fell back to a line diff; changed lines were refined to words where budget allowed
  block,  // even the line diff ran out of budget: the differing middle is one delete + insert
};

// "word", "line", "block".
std::string_view to_string(DiffPrecision precision) noexcept;

struct DiffLimits {
  // Texts with more tokens than this (either side) skip the word diff and start with lines.
  std::size_t max_word_tokens = 4'000'000;
  // Steps of the Myers search (diagonal extensions and snake steps) per phase: the word diff
  // gets this much, and the line fallback with its refinement gets this much again.
  std::uint64_t max_work = 40'000'000;
};

struct TextDiff {
  std::vector<DiffRun> runs;
  DiffSummary summary;
  DiffPrecision precision = DiffPrecision::word;
  // True when the budget forced a coarser diff than words for at least part of the texts.
  bool coarse() const noexcept { return precision != DiffPrecision::word; }
};

TextDiff diff_words(std::string_view old_text, std::string_view new_text,
                    const DiffLimits& limits = {});

// The number of words in a text, by the same rules the diff uses.
std::size_t count_words(std::string_view text) noexcept;

}  // namespace cm
