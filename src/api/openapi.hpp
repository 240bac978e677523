// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The OpenAPI description (src/api/openapi.cpp): its operation table, for the test that keeps
// it and the route table (src/api/routes.cpp) in step, and its schemas.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cm::api {

// (method in upper case, path template) of every documented operation, in document order.
std::vector<std::pair<std::string, std::string>> openapi_operations();

// components.schemas as JSON text (src/api/openapi_schemas.cpp).
std::string_view openapi_schemas_json();

}  // namespace cm::api
