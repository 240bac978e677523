// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/paging.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace cm::api {

PageParams read_page_params(const http::Request& request, std::string_view sort,
                            std::initializer_list<std::string_view> other_params) {
  std::vector<FieldError> errors;
  for (const auto& [name, value] : request.query)
    if (name != "limit" && name != "cursor" &&
        std::find(other_params.begin(), other_params.end(), name) == other_params.end())
      errors.push_back({name, "unknown query parameter"});
  PageParams page;
  if (auto limit = parse_limit(request.query_param("limit")))
    page.limit = *limit;
  else
    errors.push_back(limit.error().fields().front());
  if (const auto text = request.query_param("cursor")) {
    if (auto cursor = decode_cursor(*text, sort))
      page.after = *cursor;
    else
      errors.push_back(cursor.error().fields().front());
  }
  if (!errors.empty()) throw validation_failed(std::move(errors));
  return page;
}

}  // namespace cm::api
