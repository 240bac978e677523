// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Small documents made by the tests themselves: valid PDFs with known text, so extraction and
// comparison can be checked without binary fixtures.

#include <string>
#include <vector>

namespace cm::test {

// A PDF 1.4 with one page per entry of `pages`, each showing its text in Helvetica, with a
// correct cross-reference table.
std::string make_pdf(const std::vector<std::string>& pages);

}  // namespace cm::test
