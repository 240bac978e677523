// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/collaboration_repository.hpp"

#include <boost/json.hpp>

namespace cm::store {

namespace {

namespace bj = boost::json;

std::string s(std::string_view v) {
  return std::string(v);
}

const std::string kCommentColumns =
    "id, org_id, contract_id, parent_id, author_id, body, mentions, created_at, updated_at, "
    "deleted_at";

Comment comment_from(const Row& r) {
  Comment c;
  c.id = r.text(0);
  c.org_id = r.text(1);
  c.contract_id = r.text(2);
  c.parent_id = r.opt_text(3);
  c.author_id = r.text(4);
  c.body = r.text(5);
  const bj::value mentions = bj::parse(r.text(6));  // named: a range-for over a temporary dangles
  for (const auto& v : mentions.as_array()) c.mention_ids.emplace_back(v.as_string());
  c.created_at = r.int64(7);
  c.updated_at = r.int64(8);
  c.deleted_at = r.opt_int64(9);
  return c;
}

std::string ids_json(const std::vector<std::string>& ids) {
  bj::array a;
  for (const auto& id : ids) a.push_back(bj::string(id));
  return bj::serialize(a);
}

const std::string kNotificationColumns =
    "id, org_id, user_id, kind, title, entity_type, entity_id, data, created_at, read_at";

Notification notification_from(const Row& r) {
  Notification n;
  n.id = r.text(0);
  n.org_id = r.text(1);
  n.user_id = r.text(2);
  n.kind = parse_notification_kind(r.text(3)).value_or(NotificationKind::mention);
  n.title = r.text(4);
  n.entity_type = r.text(5);
  n.entity_id = r.text(6);
  n.data = bj::parse(r.text(7)).as_object();
  n.created_at = r.int64(8);
  n.read_at = r.opt_int64(9);
  return n;
}

}  // namespace

void CommentRepository::insert(const Comment& c) {
  conn_.query("INSERT INTO contract_comments (" + kCommentColumns +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)",
              {c.id, c.org_id, c.contract_id, opt(c.parent_id), c.author_id, c.body,
               ids_json(c.mention_ids), c.created_at, c.updated_at});
}

std::optional<Comment> CommentRepository::find(std::string_view org_id,
                                               std::string_view contract_id, std::string_view id) {
  const auto r = conn_.query("SELECT " + kCommentColumns +
                                 " FROM contract_comments WHERE org_id = $1 AND contract_id = $2 "
                                 "AND id = $3",
                             {s(org_id), s(contract_id), s(id)});
  if (r.empty()) return std::nullopt;
  return comment_from(r.rows.front());
}

std::vector<Comment> CommentRepository::list(std::string_view org_id, std::string_view contract_id,
                                             const std::optional<Cursor>& after, int limit) {
  std::vector<Param> params{s(org_id), s(contract_id), std::int64_t{limit}};
  std::string keyset;
  if (after) {
    params.emplace_back(std::get<std::int64_t>(after->key));
    params.emplace_back(after->id);
    keyset = " AND (created_at > $4 OR (created_at = $4 AND id > $5))";
  }
  const auto r = conn_.query("SELECT " + kCommentColumns +
                                 " FROM contract_comments WHERE org_id = $1 AND contract_id = $2" +
                                 keyset + " ORDER BY created_at, id LIMIT $3",
                             params);
  std::vector<Comment> out;
  for (const auto& row : r.rows) out.push_back(comment_from(row));
  return out;
}

bool CommentRepository::update_body(const Comment& c) {
  return conn_
             .query(
                 "UPDATE contract_comments SET body = $3, mentions = $4, updated_at = $5 WHERE "
                 "org_id = $1 AND id = $2 AND deleted_at IS NULL",
                 {c.org_id, c.id, c.body, ids_json(c.mention_ids), c.updated_at})
             .affected == 1;
}

bool CommentRepository::mark_deleted(std::string_view org_id, std::string_view id,
                                     std::int64_t now) {
  return conn_
             .query(
                 "UPDATE contract_comments SET body = '', mentions = '[]', deleted_at = $3, "
                 "updated_at = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
                 {s(org_id), s(id), now})
             .affected == 1;
}

bool WatcherRepository::add(std::string_view org_id, std::string_view contract_id,
                            std::string_view user_id, std::int64_t now) {
  return conn_
             .query(
                 "INSERT INTO contract_watchers (contract_id, user_id, org_id, created_at) "
                 "VALUES ($1, $2, $3, $4) ON CONFLICT (contract_id, user_id) DO NOTHING",
                 {s(contract_id), s(user_id), s(org_id), now})
             .affected == 1;
}

bool WatcherRepository::remove(std::string_view org_id, std::string_view contract_id,
                               std::string_view user_id) {
  return conn_
             .query(
                 "DELETE FROM contract_watchers WHERE org_id = $1 AND contract_id = $2 AND "
                 "user_id = $3",
                 {s(org_id), s(contract_id), s(user_id)})
             .affected == 1;
}

std::vector<std::string> WatcherRepository::user_ids(std::string_view org_id,
                                                     std::string_view contract_id) {
  const auto r = conn_.query(
      "SELECT user_id FROM contract_watchers WHERE org_id = $1 AND contract_id = $2 "
      "ORDER BY created_at, user_id",
      {s(org_id), s(contract_id)});
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(row.text(0));
  return out;
}

bool NotificationRepository::notify(const Notification& n) {
  const auto off = conn_.query(
      "SELECT 1 FROM notification_preferences WHERE user_id = $1 AND kind = $2 AND NOT enabled",
      {n.user_id, s(to_string(n.kind))});
  if (!off.empty()) return false;
  conn_.query("INSERT INTO notifications (" + kNotificationColumns +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)",
              {n.id, n.org_id, n.user_id, s(to_string(n.kind)), n.title, n.entity_type, n.entity_id,
               bj::serialize(n.data), n.created_at});
  return true;
}

std::vector<Notification> NotificationRepository::list(std::string_view org_id,
                                                       std::string_view user_id, bool unread_only,
                                                       const std::optional<Cursor>& after,
                                                       int limit) {
  std::vector<Param> params{s(org_id), s(user_id), std::int64_t{limit}};
  std::string where = " WHERE org_id = $1 AND user_id = $2";
  if (unread_only) where += " AND read_at IS NULL";
  if (after) {
    params.emplace_back(std::get<std::int64_t>(after->key));
    params.emplace_back(after->id);
    where += " AND (created_at < $4 OR (created_at = $4 AND id < $5))";
  }
  const auto r = conn_.query("SELECT " + kNotificationColumns + " FROM notifications" + where +
                                 " ORDER BY created_at DESC, id DESC LIMIT $3",
                             params);
  std::vector<Notification> out;
  for (const auto& row : r.rows) out.push_back(notification_from(row));
  return out;
}

std::int64_t NotificationRepository::unread_count(std::string_view org_id,
                                                  std::string_view user_id) {
  return conn_
      .query(
          "SELECT COUNT(*) FROM notifications WHERE org_id = $1 AND user_id = $2 AND "
          "read_at IS NULL",
          {s(org_id), s(user_id)})
      .rows.at(0)
      .int64(0);
}

bool NotificationRepository::mark_read(std::string_view org_id, std::string_view user_id,
                                       std::string_view id, std::int64_t now) {
  // Reading twice is fine: the row exists for this user either way.
  conn_.query(
      "UPDATE notifications SET read_at = $4 WHERE org_id = $1 AND user_id = $2 AND id = $3 "
      "AND read_at IS NULL",
      {s(org_id), s(user_id), s(id), now});
  return !conn_
              .query("SELECT 1 FROM notifications WHERE org_id = $1 AND user_id = $2 AND id = $3",
                     {s(org_id), s(user_id), s(id)})
              .empty();
}

std::int64_t NotificationRepository::mark_all_read(std::string_view org_id,
                                                   std::string_view user_id, std::int64_t now) {
  return conn_
      .query(
          "UPDATE notifications SET read_at = $3 WHERE org_id = $1 AND user_id = $2 AND "
          "read_at IS NULL",
          {s(org_id), s(user_id), now})
      .affected;
}

std::vector<std::pair<NotificationKind, bool>> NotificationRepository::preferences(
    std::string_view user_id) {
  const auto r = conn_.query(
      "SELECT kind, enabled FROM notification_preferences WHERE user_id = $1", {s(user_id)});
  std::vector<std::pair<NotificationKind, bool>> out;
  for (const auto kind : kAllNotificationKinds) {
    bool enabled = true;
    for (const auto& row : r.rows)
      if (row.text(0) == to_string(kind)) enabled = row.boolean(1);
    out.emplace_back(kind, enabled);
  }
  return out;
}

void NotificationRepository::set_preference(std::string_view user_id, NotificationKind kind,
                                            bool enabled) {
  conn_.query(
      "INSERT INTO notification_preferences (user_id, kind, enabled) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled",
      {s(user_id), s(to_string(kind)), enabled});
}

}  // namespace cm::store
