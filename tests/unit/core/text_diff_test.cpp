// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/text_diff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace cm {
namespace {

// The runs spell out both texts, and their offsets are contiguous in each.
void expect_consistent(const TextDiff& diff, std::string_view old_text, std::string_view new_text) {
  std::string rebuilt_old;
  std::string rebuilt_new;
  for (const DiffRun& run : diff.runs) {
    EXPECT_FALSE(run.text.empty());
    EXPECT_EQ(run.old_offset, rebuilt_old.size());
    EXPECT_EQ(run.new_offset, rebuilt_new.size());
    switch (run.op) {
      case DiffOp::equal:
        EXPECT_EQ(run.old_length, run.text.size());
        EXPECT_EQ(run.new_length, run.text.size());
        rebuilt_old += run.text;
        rebuilt_new += run.text;
        break;
      case DiffOp::remove:
        EXPECT_EQ(run.old_length, run.text.size());
        EXPECT_EQ(run.new_length, 0u);
        rebuilt_old += run.text;
        break;
      case DiffOp::insert:
        EXPECT_EQ(run.old_length, 0u);
        EXPECT_EQ(run.new_length, run.text.size());
        rebuilt_new += run.text;
        break;
    }
  }
  EXPECT_EQ(rebuilt_old, old_text);
  EXPECT_EQ(rebuilt_new, new_text);
}

std::string describe(const TextDiff& diff) {
  std::string out;
  for (const DiffRun& run : diff.runs) {
    out += run.op == DiffOp::equal ? "=" : run.op == DiffOp::insert ? "+" : "-";
    out += "[" + run.text + "]";
  }
  return out;
}

TEST(TextDiff, IdenticalTextsAreOneEqualRun) {
  const std::string text = "This Agreement is made on 1 January 2025.";
  const auto diff = diff_words(text, text);
  EXPECT_EQ(describe(diff), "=[" + text + "]");
  EXPECT_EQ(diff.summary.words_unchanged, 8u);
  EXPECT_EQ(diff.summary.words_inserted, 0u);
  EXPECT_EQ(diff.summary.words_deleted, 0u);
  EXPECT_EQ(diff.precision, DiffPrecision::word);
  EXPECT_FALSE(diff.coarse());
}

TEST(TextDiff, EmptyTexts) {
  EXPECT_TRUE(diff_words("", "").runs.empty());
  const auto added = diff_words("", "New clause.");
  EXPECT_EQ(describe(added), "+[New clause.]");
  EXPECT_EQ(added.summary.words_inserted, 2u);
  const auto removed = diff_words("Old clause.", "");
  EXPECT_EQ(describe(removed), "-[Old clause.]");
  EXPECT_EQ(removed.summary.words_deleted, 2u);
}

TEST(TextDiff, ReplacedWordWithPositions) {
  const std::string old_text = "The quick brown fox";
  const std::string new_text = "The slow brown fox";
  const auto diff = diff_words(old_text, new_text);
  EXPECT_EQ(describe(diff), "=[The ]-[quick]+[slow]=[ brown fox]");
  expect_consistent(diff, old_text, new_text);
  ASSERT_EQ(diff.runs.size(), 4u);
  EXPECT_EQ(diff.runs[1].old_offset, 4u);
  EXPECT_EQ(diff.runs[1].old_length, 5u);
  EXPECT_EQ(diff.runs[1].new_offset, 4u);
  EXPECT_EQ(diff.runs[2].old_offset, 9u);  // inserted where "quick" ended
  EXPECT_EQ(diff.runs[2].new_offset, 4u);
  EXPECT_EQ(diff.runs[2].new_length, 4u);
  EXPECT_EQ(diff.runs[3].old_offset, 9u);
  EXPECT_EQ(diff.runs[3].new_offset, 8u);
  EXPECT_EQ(diff.summary.words_deleted, 1u);
  EXPECT_EQ(diff.summary.words_inserted, 1u);
  EXPECT_EQ(diff.summary.words_unchanged, 3u);
}

TEST(TextDiff, AdjacentChangedWordsBecomeOneChange) {
  const auto diff = diff_words("Pay the quick fee now.", "Pay a slow fee now.");
  EXPECT_EQ(describe(diff), "=[Pay ]-[the quick]+[a slow]=[ fee now.]");
}

TEST(TextDiff, InsertionAndDeletionInAClause) {
  const std::string old_text = "Either party may terminate this Agreement on 30 days' notice.";
  const std::string new_text =
      "Either party may terminate this Agreement for convenience on 60 "
      "days' written notice.";
  const auto diff = diff_words(old_text, new_text);
  expect_consistent(diff, old_text, new_text);
  EXPECT_EQ(describe(diff),
            "=[Either party may terminate this Agreement ]+[for convenience ]=[on ]-[30]+[60]=[ "
            "days' ]+[written ]=[notice.]");
  EXPECT_EQ(diff.summary.words_inserted, 4u);  // for, convenience, 60, written
  EXPECT_EQ(diff.summary.words_deleted, 1u);
}

TEST(TextDiff, PunctuationIsItsOwnToken) {
  const auto diff = diff_words("Fees: 1,000.00 EUR", "Fees: 2,000.00 EUR");
  EXPECT_EQ(describe(diff), "=[Fees: ]-[1]+[2]=[,000.00 EUR]");
}

TEST(TextDiff, NewlinesAreNotFoldedAcrossParagraphs) {
  const auto diff = diff_words("alpha\nbeta", "gamma\ndelta");
  EXPECT_EQ(describe(diff), "-[alpha]+[gamma]=[\n]-[beta]+[delta]");
}

TEST(TextDiff, UnicodeWordsAndCjk) {
  const std::string old_text = "Vertragsstrafe für Verzögerung — 5 %";
  const std::string new_text = "Vertragsstrafe für Verspätung — 5 %";
  const auto diff = diff_words(old_text, new_text);
  expect_consistent(diff, old_text, new_text);
  EXPECT_EQ(describe(diff), "=[Vertragsstrafe für ]-[Verzögerung]+[Verspätung]=[ — 5 %]");
  EXPECT_EQ(count_words("契約書を締結する"), 8u);
  const auto cjk = diff_words("契約書を締結する", "契約書を解除する");
  EXPECT_EQ(describe(cjk), "=[契約書を]-[締結]+[解除]=[する]");
}

TEST(TextDiff, InvalidUtf8IsKeptByteForByte) {
  const std::string old_text = "a \xff\xfe b";
  const std::string new_text = "a \xff c";
  const auto diff = diff_words(old_text, new_text);
  expect_consistent(diff, old_text, new_text);
}

TEST(TextDiff, CountWords) {
  EXPECT_EQ(count_words(""), 0u);
  EXPECT_EQ(count_words("  \n\t "), 0u);
  // Section, 4, 2, b, the, Supplier, s, fee
  EXPECT_EQ(count_words("Section 4.2(b): the Supplier's fee"), 8u);
}

// Token-level longest common subsequence by dynamic programming, for small inputs.
std::size_t lcs_length(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.size()][b.size()];
}

// Random texts of words from a small vocabulary, one per line (so no whitespace folding).
TEST(TextDiff, RandomTextsGiveMinimalConsistentDiffs) {
  std::mt19937 rng(12345);
  const std::vector<std::string> vocabulary = {"a", "b", "c", "d", "e"};
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> a_words(rng() % 30);
    std::vector<std::string> b_words(rng() % 30);
    for (auto& w : a_words) w = vocabulary[rng() % vocabulary.size()];
    for (auto& w : b_words) w = vocabulary[rng() % vocabulary.size()];
    std::string a;
    std::string b;
    std::vector<std::string> a_tokens;
    std::vector<std::string> b_tokens;
    for (const auto& w : a_words) a += w + "\n", a_tokens.push_back(w), a_tokens.emplace_back("\n");
    for (const auto& w : b_words) b += w + "\n", b_tokens.push_back(w), b_tokens.emplace_back("\n");
    const auto diff = diff_words(a, b);
    expect_consistent(diff, a, b);
    std::size_t equal_tokens = 0;
    for (const DiffRun& run : diff.runs) {
      if (run.op == DiffOp::equal) {
        equal_tokens += count_words(run.text) + static_cast<std::size_t>(std::count(
                                                    run.text.begin(), run.text.end(), '\n'));
      }
    }
    ASSERT_EQ(equal_tokens, lcs_length(a_tokens, b_tokens)) << "a=" << a << " b=" << b;
    ASSERT_EQ(diff.summary.words_unchanged + diff.summary.words_deleted, a_words.size());
    ASSERT_EQ(diff.summary.words_unchanged + diff.summary.words_inserted, b_words.size());
  }
}

std::string random_words(std::mt19937& rng, std::size_t words, std::size_t words_per_line) {
  static const std::vector<std::string> vocabulary = {
      "agreement", "party",  "shall",    "notice", "term",      "fee",      "supplier",
      "customer",  "clause", "services", "days",   "liability", "the",      "of",
      "and",       "to",     "in",       "any",    "written",   "terminate"};
  std::string text;
  for (std::size_t i = 0; i < words; ++i) {
    text += vocabulary[rng() % vocabulary.size()];
    text += (i + 1) % words_per_line == 0 ? ".\n" : " ";
  }
  return text;
}

TEST(TextDiff, DissimilarTextsFallBackToLinesWithinBudget) {
  std::mt19937 rng(7);
  const std::string old_text = random_words(rng, 20'000, 12);
  const std::string new_text = random_words(rng, 20'000, 12);
  DiffLimits limits;
  limits.max_work = 200'000;
  const auto diff = diff_words(old_text, new_text, limits);
  EXPECT_TRUE(diff.coarse());
  EXPECT_NE(diff.precision, DiffPrecision::word);
  expect_consistent(diff, old_text, new_text);
  EXPECT_EQ(diff.summary.words_unchanged + diff.summary.words_deleted, 20'000u);
  EXPECT_EQ(diff.summary.words_unchanged + diff.summary.words_inserted, 20'000u);
}

TEST(TextDiff, LineFallbackStillRefinesChangedLines) {
  // Many identical lines with one edited line: with word tokens over the cap, the diff runs on
  // lines and then refines the one changed line to words.
  std::string old_text;
  for (int i = 0; i < 2000; ++i) old_text += "Clause " + std::to_string(i) + " stays as it is.\n";
  std::string new_text = old_text;
  const std::string from = "Clause 1000 stays as it is.";
  new_text.replace(new_text.find(from), from.size(), "Clause 1000 stays exactly as it is.");
  DiffLimits limits;
  limits.max_word_tokens = 1000;
  const auto diff = diff_words(old_text, new_text, limits);
  EXPECT_EQ(diff.precision, DiffPrecision::line);
  expect_consistent(diff, old_text, new_text);
  ASSERT_EQ(diff.runs.size(), 3u) << describe(diff).substr(0, 500);
  EXPECT_EQ(diff.runs[1].op, DiffOp::insert);
  EXPECT_EQ(diff.runs[1].text, "exactly ");
  EXPECT_EQ(diff.summary.words_inserted, 1u);
}

TEST(TextDiff, BlockFallbackWhenEvenLinesAreTooDifferent) {
  std::mt19937 rng(3);
  const std::string head = "Common first line.\n";
  const std::string tail = "Common last line.\n";
  const std::string old_text = head + random_words(rng, 5000, 5) + tail;
  const std::string new_text = head + random_words(rng, 5000, 5) + tail;
  DiffLimits limits;
  limits.max_work = 1000;
  const auto diff = diff_words(old_text, new_text, limits);
  EXPECT_EQ(diff.precision, DiffPrecision::block);
  expect_consistent(diff, old_text, new_text);
  ASSERT_EQ(diff.runs.size(), 4u);
  EXPECT_EQ(diff.runs[0].text, head);
  EXPECT_EQ(diff.runs[1].op, DiffOp::remove);
  EXPECT_EQ(diff.runs[2].op, DiffOp::insert);
  EXPECT_EQ(diff.runs[3].text, tail);
}

// Millions of words with default limits: the work is bounded, not quadratic.
TEST(TextDiff, MillionsOfDissimilarWordsStayBounded) {
  std::mt19937 rng(11);
  const std::string old_text = random_words(rng, 1'000'000, 15);
  const std::string new_text = random_words(rng, 1'000'000, 15);
  const auto start = std::chrono::steady_clock::now();
  const auto diff = diff_words(old_text, new_text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(diff.coarse());
  expect_consistent(diff, old_text, new_text);
  // A generous bound: the budget makes this a few seconds at most even on a slow machine, where
  // an unbounded O(ND) search would take hours.
  EXPECT_LT(elapsed, std::chrono::seconds(30));
}

TEST(TextDiff, MillionsOfWordsWithFewChangesStayWordPrecise) {
  std::mt19937 rng(5);
  const std::string old_text = random_words(rng, 1'000'000, 15);
  std::string new_text = old_text;
  // Insert whole words after a space, so no existing word is split.
  new_text.insert(new_text.find(' ', new_text.size() / 3) + 1, "inserted ");
  new_text.insert(new_text.find(' ', 2 * new_text.size() / 3) + 1, "added ");
  const auto diff = diff_words(old_text, new_text);
  EXPECT_EQ(diff.precision, DiffPrecision::word);
  expect_consistent(diff, old_text, new_text);
  EXPECT_EQ(diff.summary.words_inserted, 2u);
  EXPECT_EQ(diff.summary.words_deleted, 0u);
}

}  // namespace
}  // namespace cm
