// SPDX-License-Identifier: AGPL-3.0-or-later
// The RTF reader (src/extract/rtf_text) on the input as a document, under small limits.
// Properties: never throws; the outcome is ok or failed (with a reason); ok text is clean UTF-8
// (extract.hpp: no C0 controls but tab, LF, form feed), `chars` counts its code points and
// stays within max_output_chars, and `truncated` is set when the text was cut there.

#include <cstddef>
#include <cstdint>

#include "core/json.hpp"
#include "core/utf8.hpp"
#include "extract/formats.hpp"
#include "fuzz_support.hpp"

using namespace cm;
using namespace cm::extract;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  ExtractLimits limits;
  limits.max_output_chars = 2000;
  limits.max_nesting_depth = 64;
  fuzz::only_cm_errors([&] {
    const auto result = detail::extract_rtf(input, limits);
    if (result.status == ExtractionStatus::failed) {
      CM_FUZZ_CHECK(!result.reason.empty() && result.text.empty());
      return;
    }
    CM_FUZZ_CHECK(result.status == ExtractionStatus::ok);
    CM_FUZZ_CHECK(utf8::is_valid(result.text) && fuzz::is_clean_text(result.text));
    CM_FUZZ_CHECK(result.chars == utf8::length(result.text));
    CM_FUZZ_CHECK(result.chars <= limits.max_output_chars);
    if (result.chars < limits.max_output_chars) CM_FUZZ_CHECK(!result.truncated);
  });
  return 0;
}
