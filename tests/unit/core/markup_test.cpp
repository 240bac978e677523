// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/markup.hpp"

#include <gtest/gtest.h>

namespace cm {
namespace {

TEST(Markup, EscapesTheFiveSpecialCharactersAndNothingElse) {
  EXPECT_EQ(escape_markup(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_markup("Zoë 東京 plain"), "Zoë 東京 plain");
  std::string out = "<ETag>";
  append_escaped_markup(out, "\"abc\"");
  EXPECT_EQ(out, "<ETag>&quot;abc&quot;");
}

}  // namespace
}  // namespace cm
