// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The OpenAPI document's operation table (src/api/openapi.cpp), for the test that keeps it and
// the route table (src/api/routes.cpp) in step: every route documented, nothing documented that
// is not routed.

#include <string>
#include <utility>
#include <vector>

namespace cm::api {

// (method in upper case, path template) of every documented operation, in document order.
std::vector<std::pair<std::string, std::string>> openapi_operations();

}  // namespace cm::api
