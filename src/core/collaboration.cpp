// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/collaboration.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "core/utf8.hpp"

namespace cm {

namespace bj = boost::json;

namespace {

bool is_address_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '%' || c == '+' || c == '-';
}

constexpr std::array<std::pair<NotificationKind, std::string_view>, 7> kKinds{{
    {NotificationKind::mention, "mention"},
    {NotificationKind::comment, "comment"},
    {NotificationKind::approval_requested, "approval_requested"},
    {NotificationKind::approval_decided, "approval_decided"},
    {NotificationKind::signature, "signature"},
    {NotificationKind::obligation_due, "obligation_due"},
    {NotificationKind::renewal, "renewal"},
}};

}  // namespace

std::vector<std::string> mentioned_emails(std::string_view body) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '@' || (i > 0 && (is_address_char(body[i - 1]) || body[i - 1] == '@'))) continue;
    // local part, '@', domain with at least one dot; trailing dots are punctuation.
    std::size_t end = i + 1;
    while (end < body.size() && is_address_char(body[end])) ++end;
    if (end == i + 1 || end >= body.size() || body[end] != '@') continue;
    std::size_t domain_end = end + 1;
    while (domain_end < body.size() && is_address_char(body[domain_end])) ++domain_end;
    while (domain_end > end + 1 && body[domain_end - 1] == '.') --domain_end;
    const auto domain = body.substr(end + 1, domain_end - end - 1);
    if (domain.find('.') == std::string_view::npos) continue;
    std::string email = to_lower(body.substr(i + 1, domain_end - i - 1));
    if (std::find(out.begin(), out.end(), email) == out.end()) out.push_back(std::move(email));
    i = domain_end - 1;
  }
  return out;
}

Result<std::string> comment_body(std::string_view text) {
  const auto body = trim(text);
  const auto invalid = [](std::string message) {
    return Error(ErrorKind::validation, "The comment is not valid.",
                 {{"body", std::move(message)}});
  };
  if (!utf8::is_valid(body)) return invalid("must be valid UTF-8");
  const auto length = utf8::length(body);
  if (length == 0) return invalid("must not be empty");
  if (length > kMaxCommentChars)
    return invalid("must be at most " + std::to_string(kMaxCommentChars) + " characters");
  return std::string(body);
}

bj::object to_json(const Comment& c) {
  bj::array mentions;
  for (const auto& id : c.mention_ids) mentions.push_back(bj::string(id));
  bj::object out{{"id", c.id},
                 {"contractId", c.contract_id},
                 {"parentId", c.parent_id ? bj::value(bj::string(*c.parent_id)) : nullptr},
                 {"authorId", c.author_id},
                 {"body", c.body},
                 {"mentions", std::move(mentions)},
                 {"createdAt", format_rfc3339(c.created_at)},
                 {"updatedAt", format_rfc3339(c.updated_at)},
                 {"edited", c.updated_at != c.created_at && !c.deleted_at},
                 {"deleted", c.deleted_at.has_value()}};
  return out;
}

std::string_view to_string(NotificationKind kind) noexcept {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "mention";
}

std::optional<NotificationKind> parse_notification_kind(std::string_view text) noexcept {
  for (const auto& [k, name] : kKinds)
    if (name == text) return k;
  return std::nullopt;
}

bj::object to_json(const Notification& n) {
  return bj::object{{"id", n.id},
                    {"kind", to_string(n.kind)},
                    {"title", n.title},
                    {"entityType", n.entity_type},
                    {"entityId", n.entity_id},
                    {"data", n.data},
                    {"createdAt", format_rfc3339(n.created_at)},
                    {"readAt", n.read_at ? bj::value(bj::string(format_rfc3339(*n.read_at)))
                                         : bj::value(nullptr)}};
}

Result<std::vector<std::pair<NotificationKind, bool>>> parse_notification_preferences(
    const bj::object& body) {
  std::vector<std::pair<NotificationKind, bool>> out;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : body) {
    const auto kind = parse_notification_kind(key);
    if (!kind) {
      errors.push_back({std::string(key), "is not a notification kind"});
    } else if (!value.is_bool()) {
      errors.push_back({std::string(key), "must be true or false"});
    } else {
      out.emplace_back(*kind, value.as_bool());
    }
  }
  if (!errors.empty())
    return Error(ErrorKind::validation, "The preferences are not valid.", std::move(errors));
  if (out.empty()) return nothing_to_change("name at least one notification kind");
  return out;
}

Notification contract_notification(std::string org_id, std::string contract_id, std::string user_id,
                                   NotificationKind kind, std::string title,
                                   boost::json::object data, std::int64_t created_at) {
  Notification n;
  n.id = new_id();
  n.org_id = std::move(org_id);
  n.user_id = std::move(user_id);
  n.kind = kind;
  n.title = std::move(title);
  n.entity_type = "contract";
  n.entity_id = std::move(contract_id);
  n.data = std::move(data);
  n.created_at = created_at;
  return n;
}

}  // namespace cm
