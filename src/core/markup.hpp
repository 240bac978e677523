// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Escaping text for HTML and XML: the five characters that could end a text node or an
// attribute value become entities (&amp; &lt; &gt; &quot; &#39;).

#include <string>
#include <string_view>

namespace cm {

void append_escaped_markup(std::string& out, std::string_view text);

inline std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped_markup(out, text);
  return out;
}

}  // namespace cm
