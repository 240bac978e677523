// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Keyset pagination over HTTP: `limit` and `cursor` in, {"items", "nextCursor"} out.

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json_io.hpp"
#include "core/pagination.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace cm::api {

// `limit` and `cursor` of a keyset-paginated listing sorted by `sort`. Every other query
// parameter must be one of `other_params`; anything else is a 400 naming it.
struct PageParams {
  int limit = kDefaultLimit;
  std::optional<Cursor> after;
};
PageParams read_page_params(const http::Request& request, std::string_view sort,
                            std::initializer_list<std::string_view> other_params = {});

// {"items": [...], "nextCursor": ...} from one row more than the page: when the extra row is
// there, it is dropped and the cursor points after the last row kept.
template <class Row, class ToJson, class KeyOf>
http::Response page_response(std::vector<Row> rows, const PageParams& page, std::string_view sort,
                             ToJson to_json, KeyOf key_of) {
  bj::value next = nullptr;
  if (static_cast<int>(rows.size()) > page.limit) {
    rows.pop_back();
    next = bj::string(encode_cursor({std::string(sort), key_of(rows.back()), rows.back().id}));
  }
  bj::array items;
  items.reserve(rows.size());
  for (const auto& row : rows) items.push_back(to_json(row));
  return json_response(200, bj::object{{"items", std::move(items)}, {"nextCursor", next}});
}

}  // namespace cm::api
