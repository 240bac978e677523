// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Every JSON response the tests receive, written one per line to the file named by
// CM_RESPONSE_LOG (nothing when unset). scripts/test.sh then validates each against the
// server's OpenAPI description (tests/openapi/check_responses.py), so the description cannot
// lie to the web UI or to integrators.

#include <string_view>

namespace cm::test {

void log_response(std::string_view method, std::string_view target, long status,
                  std::string_view content_type, std::string_view body);

}  // namespace cm::test
