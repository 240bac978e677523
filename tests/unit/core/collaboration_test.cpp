// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/collaboration.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cm {
namespace {

using Emails = std::vector<std::string>;

TEST(Mentions, FindAddressesAfterAnAtSign) {
  EXPECT_EQ(mentioned_emails("@Alice@Example.com please look"), Emails{"alice@example.com"});
  EXPECT_EQ(mentioned_emails("cc @bob@corp.example.org, @carol@x.io."),
            (Emails{"bob@corp.example.org", "carol@x.io"}));
  EXPECT_EQ(mentioned_emails("(@dan@a.b) and again @dan@a.b"), Emails{"dan@a.b"});
}

TEST(Mentions, IgnorePlainAddressesAndIncompleteOnes) {
  EXPECT_TRUE(mentioned_emails("write to legal@example.com").empty());
  EXPECT_TRUE(mentioned_emails("@everyone @alice @alice@localhost @ @@x@y.z").empty());
  EXPECT_TRUE(mentioned_emails("").empty());
}

TEST(CommentBody, IsTrimmedAndBounded) {
  EXPECT_EQ(*comment_body("  hello \n"), "hello");
  EXPECT_FALSE(comment_body("   ").ok());
  EXPECT_FALSE(comment_body(std::string(kMaxCommentChars + 1, 'x')).ok());
  EXPECT_TRUE(comment_body(std::string(kMaxCommentChars, 'x')).ok());
  EXPECT_FALSE(comment_body("bad \xFF").ok());
}

TEST(NotificationPreferences, KnownKindsAndBooleansOnly) {
  auto ok = parse_notification_preferences(boost::json::parse(R"({"comment": false})").as_object());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->at(0).first, NotificationKind::comment);
  EXPECT_FALSE(ok->at(0).second);
  EXPECT_FALSE(
      parse_notification_preferences(boost::json::parse(R"({"x": true})").as_object()).ok());
  EXPECT_FALSE(
      parse_notification_preferences(boost::json::parse(R"({"mention": 1})").as_object()).ok());
  EXPECT_FALSE(parse_notification_preferences(boost::json::object{}).ok());
  for (const auto kind : kAllNotificationKinds)
    EXPECT_EQ(parse_notification_kind(to_string(kind)), kind);
}

}  // namespace
}  // namespace cm
