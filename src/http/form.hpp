// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// application/x-www-form-urlencoded bodies (what an HTML form posts): name=value pairs joined by
// '&', '+' for a space, %XX escapes. Bounded: at most `max_fields` pairs.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace cm::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// The pairs in order; a bad escape or too many fields is a bad_request error. Empty pieces
// ("a=1&&b=2") are skipped; a name without '=' has an empty value.
Result<FormFields> parse_form_urlencoded(std::string_view body, std::size_t max_fields = 32);

}  // namespace cm::http
