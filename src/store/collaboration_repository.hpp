// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Comments, watchers and notifications. Every query is scoped by organization; notifications
// also by their recipient.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/collaboration.hpp"
#include "core/pagination.hpp"
#include "store/database.hpp"

namespace cm::store {

class CommentRepository {
 public:
  explicit CommentRepository(Connection& conn) : conn_(conn) {}
  void insert(const Comment& c);
  std::optional<Comment> find(std::string_view org_id, std::string_view contract_id,
                              std::string_view id);
  // Oldest first (a thread reads top to bottom), keyset-paginated on (created_at, id).
  std::vector<Comment> list(std::string_view org_id, std::string_view contract_id,
                            const std::optional<Cursor>& after, int limit);
  bool update_body(const Comment& c);
  bool mark_deleted(std::string_view org_id, std::string_view id, std::int64_t now);

 private:
  Connection& conn_;
};

class WatcherRepository {
 public:
  explicit WatcherRepository(Connection& conn) : conn_(conn) {}
  // False when already watching.
  bool add(std::string_view org_id, std::string_view contract_id, std::string_view user_id,
           std::int64_t now);
  bool remove(std::string_view org_id, std::string_view contract_id, std::string_view user_id);
  std::vector<std::string> user_ids(std::string_view org_id, std::string_view contract_id);

 private:
  Connection& conn_;
};

class NotificationRepository {
 public:
  explicit NotificationRepository(Connection& conn) : conn_(conn) {}
  // Inserts unless the user turned this kind off; returns whether it was stored.
  bool notify(const Notification& n);
  // Newest first, keyset-paginated on (created_at, id).
  std::vector<Notification> list(std::string_view org_id, std::string_view user_id,
                                 bool unread_only, const std::optional<Cursor>& after, int limit);
  std::int64_t unread_count(std::string_view org_id, std::string_view user_id);
  bool mark_read(std::string_view org_id, std::string_view user_id, std::string_view id,
                 std::int64_t now);
  std::int64_t mark_all_read(std::string_view org_id, std::string_view user_id, std::int64_t now);
  // Every kind with its setting (enabled unless the user turned it off).
  std::vector<std::pair<NotificationKind, bool>> preferences(std::string_view user_id);
  void set_preference(std::string_view user_id, NotificationKind kind, bool enabled);

 private:
  Connection& conn_;
};

}  // namespace cm::store
