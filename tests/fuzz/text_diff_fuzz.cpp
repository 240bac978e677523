// SPDX-License-Identifier: AGPL-3.0-or-later
// The word diff (src/core/text_diff): the input split at its first NUL into the old and the
// new text, under a small work budget so the line and block fallbacks are reached too.
// Properties: the equal and delete runs spell the old text, the equal and insert runs the new
// one, at the offsets they claim; runs are never empty; the word counts agree with count_words;
// identical texts give only equal runs at word precision.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/text_diff.hpp"
#include "fuzz_support.hpp"

using namespace cm;

namespace {

void check(std::string_view old_text, std::string_view new_text, const DiffLimits& limits) {
  const auto diff = diff_words(old_text, new_text, limits);
  std::string old_again, new_again;
  std::size_t inserted = 0, deleted = 0, unchanged = 0;
  for (const auto& run : diff.runs) {
    CM_FUZZ_CHECK(!run.text.empty());
    switch (run.op) {
      case DiffOp::equal:
        CM_FUZZ_CHECK(run.old_length == run.text.size() && run.new_length == run.text.size());
        unchanged += count_words(run.text);
        break;
      case DiffOp::remove:
        CM_FUZZ_CHECK(run.old_length == run.text.size() && run.new_length == 0);
        deleted += count_words(run.text);
        break;
      case DiffOp::insert:
        CM_FUZZ_CHECK(run.new_length == run.text.size() && run.old_length == 0);
        inserted += count_words(run.text);
        break;
    }
    CM_FUZZ_CHECK(run.old_offset == old_again.size() && run.new_offset == new_again.size());
    if (run.op != DiffOp::insert) old_again += run.text;
    if (run.op != DiffOp::remove) new_again += run.text;
  }
  CM_FUZZ_CHECK(old_again == old_text && new_again == new_text);
  CM_FUZZ_CHECK(diff.summary.words_inserted == inserted && diff.summary.words_deleted == deleted &&
                diff.summary.words_unchanged == unchanged);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  const auto nul = input.find('\0');
  const auto old_text = input.substr(0, nul);
  const auto new_text = nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1);
  fuzz::only_cm_errors([&] {
    check(old_text, new_text, DiffLimits{.max_word_tokens = 64, .max_work = 2000});
    check(old_text, new_text, DiffLimits{});
    const auto same = diff_words(old_text, old_text);
    CM_FUZZ_CHECK(same.precision == DiffPrecision::word);
    for (const auto& run : same.runs) CM_FUZZ_CHECK(run.op == DiffOp::equal);
  });
  return 0;
}
