// SPDX-License-Identifier: AGPL-3.0-or-later
// Comments on contracts (threaded, @mentions), watchers, and the caller's notifications.
// A comment, its audit event and the notifications it causes commit together.

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "api/audit_support.hpp"
#include "api/contract_lookup.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/paging.hpp"
#include "api/transactions.hpp"
#include "core/collaboration.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"
#include "store/collaboration_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/user_repository.hpp"

namespace cm::api {

namespace {

// Resolves `@email` mentions to active users of the organization; unknown ones are a 400.
std::vector<std::string> resolve_mentions(store::Connection& conn, const Principal& p,
                                          std::string_view body) {
  const auto emails = mentioned_emails(body);
  if (emails.size() > kMaxMentions)
    throw validation_failed(
        {{"body", "mentions more than " + std::to_string(kMaxMentions) + " people"}});
  std::vector<std::string> ids;
  store::UserRepository users(conn);
  for (const auto& email : emails) {
    const auto user = users.find_by_email(email);
    if (!user || user->org_id != p.org_id || !user->active)
      throw validation_failed(
          {{"body", "mentions " + email + ", who is not an active user of this organization"}});
    if (std::find(ids.begin(), ids.end(), user->id) == ids.end()) ids.push_back(user->id);
  }
  return ids;
}

Notification notification_for(const Principal& p, const std::string& user_id, NotificationKind kind,
                              std::string title, const Comment& c) {
  return contract_notification(p.org_id, c.contract_id, user_id, kind, std::move(title),
                               bj::object{{"commentId", c.id}, {"authorId", c.author_id}},
                               c.updated_at);
}

class CollaborationHandlers {
 public:
  explicit CollaborationHandlers(const ApiDependencies& deps) : db_(deps.db) {}

  http::Response list_comments(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    const auto page = read_page_params(req, "createdAt");
    std::vector<Comment> rows;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, contract_id);
      rows = store::CommentRepository(conn).list(p.org_id, contract_id, page.after, page.limit + 1);
    });
    return page_response(
        std::move(rows), page, "createdAt", [](const Comment& c) { return to_json(c); },
        [](const Comment& c) { return SortKey{c.created_at}; });
  }

  http::Response create_comment(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot comment.");
    const auto contract_id = id_param(req, "id", "contract");
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    const auto text =
        r.string("body", {.min = 0, .max = kMaxCommentChars * 4, .required = true, .trim = false});
    const auto parent = r.string("parentId", {.min = 1, .max = 36});
    auto errors = r.finish();
    if (!errors.empty()) throw validation_failed(std::move(errors));
    auto comment_text = comment_body(*text);
    if (!comment_text) throw comment_text.error();

    Comment c;
    c.id = new_id();
    c.org_id = p.org_id;
    c.contract_id = contract_id;
    c.author_id = p.user_id;
    c.body = std::move(*comment_text);
    c.created_at = c.updated_at = now_unix_ms();
    in_write_transaction(db_, [&](store::Connection& conn) {
      const auto contract = require_contract(conn, p, contract_id);
      store::CommentRepository comments(conn);
      if (parent) {
        const auto parent_comment = comments.find(p.org_id, contract_id, *parent);
        if (!parent_comment)
          throw validation_failed({{"parentId", "is not a comment of this contract"}});
        c.parent_id = *parent;
      }
      c.mention_ids = resolve_mentions(conn, p, c.body);
      comments.insert(c);
      audit(conn, req, "comment.created", "contract", contract_id,
            bj::object{{"commentId", c.id}, {"mentions", to_json(c).at("mentions")}});
      notify_about(conn, p, contract, c, c.mention_ids);
    });
    auto response = json_response(201, to_json(c));
    response.headers.set("Location", "/api/v1/contracts/" + contract_id + "/comments/" + c.id);
    return response;
  }

  http::Response update_comment(http::Request& req) {
    const auto& p = principal_of(req);
    // An API key's user is its creator: without this a viewer key would edit the admin's words.
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot edit comments.");
    const auto contract_id = id_param(req, "id", "contract");
    const auto comment_id = id_param(req, "commentId", "comment");
    const auto body = read_json_body(req);
    json::ObjectReader r(body);
    const auto text =
        r.string("body", {.min = 0, .max = kMaxCommentChars * 4, .required = true, .trim = false});
    auto errors = r.finish();
    if (!errors.empty()) throw validation_failed(std::move(errors));
    auto comment_text = comment_body(*text);
    if (!comment_text) throw comment_text.error();
    Comment c;
    in_write_transaction(db_, [&](store::Connection& conn) {
      const auto contract = require_contract(conn, p, contract_id);
      store::CommentRepository comments(conn);
      auto current = comments.find(p.org_id, contract_id, comment_id);
      if (!current || current->deleted_at) throw not_found("comment");
      if (current->author_id != p.user_id) throw forbidden("You can only edit your own comments.");
      c = *current;
      c.body = std::move(*comment_text);
      c.mention_ids = resolve_mentions(conn, p, c.body);
      c.updated_at = now_unix_ms();
      if (!comments.update_body(c)) throw not_found("comment");
      audit(conn, req, "comment.updated", "contract", contract_id, bj::object{{"commentId", c.id}});
      // Only people mentioned for the first time hear about it.
      std::vector<std::string> newly;
      for (const auto& id : c.mention_ids)
        if (std::find(current->mention_ids.begin(), current->mention_ids.end(), id) ==
            current->mention_ids.end())
          newly.push_back(id);
      notify_mentions(conn, p, contract, c, newly);
    });
    return json_response(200, to_json(c));
  }

  http::Response delete_comment(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot delete comments.");
    const auto contract_id = id_param(req, "id", "contract");
    const auto comment_id = id_param(req, "commentId", "comment");
    in_write_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, contract_id);
      store::CommentRepository comments(conn);
      const auto current = comments.find(p.org_id, contract_id, comment_id);
      if (!current || current->deleted_at) throw not_found("comment");
      if (current->author_id != p.user_id)
        throw forbidden("You can only delete your own comments.");
      comments.mark_deleted(p.org_id, comment_id, now_unix_ms());
      audit(conn, req, "comment.deleted", "contract", contract_id,
            bj::object{{"commentId", comment_id}});
    });
    return http::Response::empty(204);
  }

  http::Response list_watchers(http::Request& req) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    bj::array items;
    in_read_transaction(db_, [&](store::Connection& conn) {
      const auto contract = require_contract(conn, p, contract_id);
      items.push_back(bj::object{{"userId", contract.owner_id}, {"reason", "owner"}});
      for (const auto& id : store::WatcherRepository(conn).user_ids(p.org_id, contract_id))
        if (id != contract.owner_id)
          items.push_back(bj::object{{"userId", id}, {"reason", "following"}});
    });
    return json_response(200, bj::object{{"items", std::move(items)}});
  }

  http::Response watch(http::Request& req, bool follow) {
    const auto& p = principal_of(req);
    const auto contract_id = id_param(req, "id", "contract");
    in_write_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, contract_id);
      store::WatcherRepository watchers(conn);
      if (follow)
        watchers.add(p.org_id, contract_id, p.user_id, now_unix_ms());
      else
        watchers.remove(p.org_id, contract_id, p.user_id);
    });
    return http::Response::empty(204);
  }

  http::Response list_notifications(http::Request& req) {
    const auto& p = principal_of(req);
    const auto page = read_page_params(req, "-createdAt", {"unread"});
    const auto unread = req.query_param("unread");
    if (unread && *unread != "true" && *unread != "false")
      throw validation_failed({{"unread", "must be true or false"}});
    std::vector<Notification> rows;
    in_read_transaction(db_, [&](store::Connection& conn) {
      rows = store::NotificationRepository(conn).list(p.org_id, p.user_id, unread == "true",
                                                      page.after, page.limit + 1);
    });
    return page_response(
        std::move(rows), page, "-createdAt", [](const Notification& n) { return to_json(n); },
        [](const Notification& n) { return SortKey{n.created_at}; });
  }

  http::Response unread_count(http::Request& req) {
    const auto& p = principal_of(req);
    std::int64_t count = 0;
    in_read_transaction(db_, [&](store::Connection& conn) {
      count = store::NotificationRepository(conn).unread_count(p.org_id, p.user_id);
    });
    return json_response(200, bj::object{{"count", count}});
  }

  http::Response mark_read(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "notificationId", "notification");
    bool found = false;
    in_write_transaction(db_, [&](store::Connection& conn) {
      found = store::NotificationRepository(conn).mark_read(p.org_id, p.user_id, id, now_unix_ms());
    });
    if (!found) throw not_found("notification");
    return http::Response::empty(204);
  }

  http::Response mark_all_read(http::Request& req) {
    const auto& p = principal_of(req);
    std::int64_t marked = 0;
    in_write_transaction(db_, [&](store::Connection& conn) {
      marked =
          store::NotificationRepository(conn).mark_all_read(p.org_id, p.user_id, now_unix_ms());
    });
    return json_response(200, bj::object{{"marked", marked}});
  }

  http::Response get_preferences(http::Request& req) {
    const auto& p = principal_of(req);
    std::vector<std::pair<NotificationKind, bool>> prefs;
    in_read_transaction(db_, [&](store::Connection& conn) {
      prefs = store::NotificationRepository(conn).preferences(p.user_id);
    });
    return json_response(200, preferences_json(prefs));
  }

  http::Response put_preferences(http::Request& req) {
    const auto& p = principal_of(req);
    const auto body = read_json_body(req);
    const auto changes = parse_notification_preferences(body);
    if (!changes) throw changes.error();
    std::vector<std::pair<NotificationKind, bool>> prefs;
    in_write_transaction(db_, [&](store::Connection& conn) {
      store::NotificationRepository repo(conn);
      for (const auto& [kind, enabled] : *changes) repo.set_preference(p.user_id, kind, enabled);
      prefs = repo.preferences(p.user_id);
    });
    return json_response(200, preferences_json(prefs));
  }

 private:
  static bj::object preferences_json(const std::vector<std::pair<NotificationKind, bool>>& prefs) {
    bj::object out;
    for (const auto& [kind, enabled] : prefs) out[to_string(kind)] = enabled;
    return out;
  }

  static std::string author_name(store::Connection& conn, const Principal& p) {
    const auto user = store::UserRepository(conn).find(p.org_id, p.user_id);
    return user ? user->name : "Someone";
  }

  static void notify_mentions(store::Connection& conn, const Principal& p, const Contract& contract,
                              const Comment& c, const std::vector<std::string>& mentioned) {
    store::NotificationRepository notifications(conn);
    const auto who = author_name(conn, p);
    for (const auto& user_id : mentioned)
      if (user_id != c.author_id)
        notifications.notify(notification_for(p, user_id, NotificationKind::mention,
                                              who + " mentioned you on " + contract.title, c));
  }

  // Mentioned people get a mention; the other watchers (the owner included) a comment notice.
  static void notify_about(store::Connection& conn, const Principal& p, const Contract& contract,
                           const Comment& c, const std::vector<std::string>& mentioned) {
    notify_mentions(conn, p, contract, c, mentioned);
    std::set<std::string> watchers{contract.owner_id};
    for (const auto& id : store::WatcherRepository(conn).user_ids(p.org_id, contract.id))
      watchers.insert(id);
    store::NotificationRepository notifications(conn);
    const auto who = author_name(conn, p);
    for (const auto& user_id : watchers) {
      if (user_id == c.author_id ||
          std::find(mentioned.begin(), mentioned.end(), user_id) != mentioned.end())
        continue;
      notifications.notify(notification_for(p, user_id, NotificationKind::comment,
                                            who + " commented on " + contract.title, c));
    }
  }

  store::Database& db_;
};

}  // namespace

void add_collaboration_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<CollaborationHandlers>(deps);
  const std::string comments = "/api/v1/contracts/{id}/comments";
  router.add("GET", comments, [h](http::Request& r) { return h->list_comments(r); });
  router.add("POST", comments, [h](http::Request& r) { return h->create_comment(r); });
  router.add("PATCH", comments + "/{commentId}",
             [h](http::Request& r) { return h->update_comment(r); });
  router.add("DELETE", comments + "/{commentId}",
             [h](http::Request& r) { return h->delete_comment(r); });
  const std::string watchers = "/api/v1/contracts/{id}/watchers";
  router.add("GET", watchers, [h](http::Request& r) { return h->list_watchers(r); });
  router.add("PUT", watchers + "/me", [h](http::Request& r) { return h->watch(r, true); });
  router.add("DELETE", watchers + "/me", [h](http::Request& r) { return h->watch(r, false); });
  const std::string notifications = "/api/v1/notifications";
  router.add("GET", notifications, [h](http::Request& r) { return h->list_notifications(r); });
  router.add("GET", notifications + "/unread-count",
             [h](http::Request& r) { return h->unread_count(r); });
  router.add("POST", notifications + "/read-all",
             [h](http::Request& r) { return h->mark_all_read(r); });
  router.add("GET", notifications + "/preferences",
             [h](http::Request& r) { return h->get_preferences(r); });
  router.add("PUT", notifications + "/preferences",
             [h](http::Request& r) { return h->put_preferences(r); });
  router.add("POST", notifications + "/{notificationId}/read",
             [h](http::Request& r) { return h->mark_read(r); });
}

}  // namespace cm::api
