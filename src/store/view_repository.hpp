// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/saved_view.hpp"
#include "store/database.hpp"

namespace cm::store {

// Saved views, always scoped by organization and owner.
class ViewRepository {
 public:
  explicit ViewRepository(Connection& conn) : conn_(conn) {}

  // Throws DbError(unique_violation) when the owner has a view of that name.
  void insert(const SavedView& view);
  std::optional<SavedView> find(std::string_view org_id, std::string_view user_id,
                                std::string_view id);
  // The owner's views by name.
  std::vector<SavedView> list(std::string_view org_id, std::string_view user_id);
  std::int64_t count(std::string_view org_id, std::string_view user_id);
  // Writes name, query and columns and bumps the version; false when `expected_version` is stale
  // or the view is gone. Throws DbError(unique_violation) on a name the owner uses already.
  bool update(const SavedView& view, std::int64_t expected_version);
  bool remove(std::string_view org_id, std::string_view user_id, std::string_view id);

 private:
  Connection& conn_;
};

}  // namespace cm::store
