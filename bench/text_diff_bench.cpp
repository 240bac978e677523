// SPDX-License-Identifier: AGPL-3.0-or-later
// Word-level diff of two contract-sized texts (~20k words): a revised draft with scattered
// edits, and two unrelated texts (where the work budget and the line fallback bound the cost).

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "core/text_diff.hpp"

namespace cm {
namespace {

const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = {
      "agreement", "party",     "shall",    "notice",       "term",      "fee",        "supplier",
      "customer",  "clause",    "services", "days",         "liability", "the",        "of",
      "and",       "to",        "in",       "any",          "written",   "terminate",  "breach",
      "payment",   "invoice",   "warranty", "confidential", "law",       "court",      "period",
      "renewal",   "indemnify", "damages",  "data",         "personal",  "processing", "audit"};
  return words;
}

// Paragraphs of 60 words in sentences of 12.
std::vector<std::string> random_words(std::mt19937& rng, std::size_t count) {
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(vocabulary()[rng() % vocabulary().size()]);
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text += words[i];
    text += (i + 1) % 60 == 0 ? ".\n" : (i + 1) % 12 == 0 ? ". " : " ";
  }
  return text;
}

// About 2% of the words replaced, deleted or inserted.
std::vector<std::string> revise(std::vector<std::string> words, std::mt19937& rng) {
  const std::size_t edits = words.size() / 50;
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t at = rng() % words.size();
    switch (rng() % 3) {
      case 0:
        words[at] = vocabulary()[rng() % vocabulary().size()];
        break;
      case 1:
        words.erase(words.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      default:
        words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), "amended");
        break;
    }
  }
  return words;
}

void BM_DiffWords20kRevised(benchmark::State& state) {
  std::mt19937 rng(42);
  const auto words = random_words(rng, 20'000);
  const std::string old_text = join(words);
  const std::string new_text = join(revise(words, rng));
  TextDiff diff;
  for (auto _ : state) {
    diff = diff_words(old_text, new_text);
    benchmark::DoNotOptimize(diff);
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * (old_text.size() + new_text.size())));
  state.counters["runs"] = static_cast<double>(diff.runs.size());
  state.counters["coarse"] = diff.coarse() ? 1 : 0;
}
BENCHMARK(BM_DiffWords20kRevised)->Unit(benchmark::kMillisecond);

void BM_DiffWords20kUnrelated(benchmark::State& state) {
  std::mt19937 rng(43);
  const std::string old_text = join(random_words(rng, 20'000));
  const std::string new_text = join(random_words(rng, 20'000));
  TextDiff diff;
  for (auto _ : state) {
    diff = diff_words(old_text, new_text);
    benchmark::DoNotOptimize(diff);
  }
  state.counters["runs"] = static_cast<double>(diff.runs.size());
  state.counters["coarse"] = diff.coarse() ? 1 : 0;
}
BENCHMARK(BM_DiffWords20kUnrelated)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cm
