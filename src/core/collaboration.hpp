// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Comments on contracts (threaded, with @mentions), watchers and in-app notifications: the
// domain rules and the API's JSON shapes. Pure; storage and delivery live elsewhere.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace cm {

inline constexpr std::size_t kMaxCommentChars = 10'000;
inline constexpr std::size_t kMaxMentions = 20;

struct Comment {
  std::string id;
  std::string org_id;
  std::string contract_id;
  std::optional<std::string> parent_id;  // a reply to this comment
  std::string author_id;
  std::string body;  // empty once deleted
  std::vector<std::string> mention_ids;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> deleted_at;
};

// The e-mail addresses mentioned as `@alice@example.com` in a comment body, lower-cased, in
// order of first appearance, without duplicates. An `@` counts only at the start or after a
// character that cannot be part of an address (so `bob@example.com` alone mentions nobody).
std::vector<std::string> mentioned_emails(std::string_view body);

// A comment's text from a request: required, trimmed, 1-10,000 characters of valid UTF-8.
Result<std::string> comment_body(std::string_view text);

boost::json::object to_json(const Comment& c);

// What a user can be notified of. Each user chooses which kinds they want (all by default).
enum class NotificationKind {
  mention,             // someone @mentioned you in a comment
  comment,             // a new comment on a contract you watch
  approval_requested,  // an approval stage waits for you
  approval_decided,    // a decision on an approval of a contract you own or watch
  signature,           // signature requests and completions
  obligation_due,      // an obligation assigned to you is due soon or overdue
  renewal,             // renewal and notice-deadline reminders
};
inline constexpr NotificationKind kAllNotificationKinds[] = {NotificationKind::mention,
                                                             NotificationKind::comment,
                                                             NotificationKind::approval_requested,
                                                             NotificationKind::approval_decided,
                                                             NotificationKind::signature,
                                                             NotificationKind::obligation_due,
                                                             NotificationKind::renewal};
std::string_view to_string(NotificationKind kind) noexcept;
std::optional<NotificationKind> parse_notification_kind(std::string_view text) noexcept;

struct Notification {
  std::string id;
  std::string org_id;
  std::string user_id;
  NotificationKind kind = NotificationKind::mention;
  std::string title;
  std::string entity_type;  // what it is about, e.g. "contract"
  std::string entity_id;
  boost::json::object data;  // kind-specific details (e.g. the comment id)
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

// A notification about a contract (entity type "contract") with a new id.
Notification contract_notification(std::string org_id, std::string contract_id, std::string user_id,
                                   NotificationKind kind, std::string title,
                                   boost::json::object data, std::int64_t created_at);

boost::json::object to_json(const Notification& n);

// A preferences update {"mention": true, "comment": false, ...}: known kinds, boolean values.
Result<std::vector<std::pair<NotificationKind, bool>>> parse_notification_preferences(
    const boost::json::object& body);

}  // namespace cm
