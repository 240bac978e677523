// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A saved view: a person's named filter of the contracts list (the list's query string, such as
// "status=active&sort=-expirationDate") with the columns they chose. Private to its owner.

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cm {

struct SavedView {
  std::string id;
  std::string org_id;
  std::string user_id;
  std::string name;
  std::string query;
  std::vector<std::string> columns;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

inline constexpr std::size_t kMaxViewsPerUser = 100;
inline constexpr std::size_t kMaxViewNameLength = 100;
inline constexpr std::size_t kMaxViewQueryLength = 2000;
inline constexpr std::size_t kMaxViewColumns = 50;

// {id, name, query, columns, version, createdAt, updatedAt} (owner and organization implied).
boost::json::object to_json(const SavedView& view);

}  // namespace cm
