// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/saved_view.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"

namespace cm {

boost::json::object to_json(const SavedView& view) {
  boost::json::array columns;
  columns.reserve(view.columns.size());
  for (const auto& c : view.columns) columns.emplace_back(c);
  return boost::json::object{{"id", view.id},
                             {"name", view.name},
                             {"query", view.query},
                             {"columns", std::move(columns)},
                             {"version", view.version},
                             {"createdAt", format_rfc3339(view.created_at)},
                             {"updatedAt", format_rfc3339(view.updated_at)}};
}

}  // namespace cm
