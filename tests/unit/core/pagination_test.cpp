// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/pagination.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto.hpp"

namespace cm {
namespace {

constexpr const char* kId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

void expect_invalid_cursor(std::string_view text, std::string_view sort) {
  auto r = decode_cursor(text, sort);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.error().kind(), ErrorKind::validation);
  ASSERT_EQ(r.error().fields().size(), 1u);
  EXPECT_EQ(r.error().fields().front().field, "cursor");
}

TEST(Cursor, RoundTripsAnIntegerKey) {
  const Cursor c{"-createdAt", std::int64_t{1'700'000'000'123}, kId};
  const auto text = encode_cursor(c);
  auto back = decode_cursor(text, "-createdAt");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->sort, "-createdAt");
  EXPECT_EQ(back->key, SortKey(std::int64_t{1'700'000'000'123}));
  EXPECT_EQ(back->id, kId);
}

TEST(Cursor, RoundTripsAStringKey) {
  const Cursor c{"title", std::string("Zoë's \"NDA\" / 2024"), kId};
  auto back = decode_cursor(encode_cursor(c), "title");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->key, SortKey(std::string("Zoë's \"NDA\" / 2024")));
  EXPECT_EQ(back->id, kId);
}

TEST(Cursor, RoundTripsNegativeAndEmptyKeys) {
  auto neg = decode_cursor(encode_cursor({"value", std::int64_t{-5}, kId}), "value");
  ASSERT_TRUE(neg.ok());
  EXPECT_EQ(neg->key, SortKey(std::int64_t{-5}));
  auto empty = decode_cursor(encode_cursor({"title", std::string(), kId}), "title");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->key, SortKey(std::string()));
}

TEST(Cursor, IsOpaqueUrlSafeText) {
  const auto text = encode_cursor({"-createdAt", std::int64_t{42}, kId});
  for (char c : text) {
    EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_')
        << text;
  }
}

TEST(Cursor, RejectsACursorMadeForAnotherSort) {
  const auto text = encode_cursor({"-createdAt", std::int64_t{42}, kId});
  expect_invalid_cursor(text, "createdAt");
  expect_invalid_cursor(text, "-updatedAt");
  EXPECT_TRUE(decode_cursor(text, "-createdAt").ok());
}

TEST(Cursor, RejectsGarbage) {
  for (const char* bad : {"", "garbage", "!!!!", "e30", /* {} */
                          "bnVsbA" /* null */, "W10" /* [] */, "eyJzIjoi"}) {
    expect_invalid_cursor(bad, "-createdAt");
  }
  expect_invalid_cursor(std::string(3000, 'A'), "-createdAt");
}

std::string b64(std::string_view json) {
  return crypto::base64url_encode(json);
}

TEST(Cursor, RejectsWellFormedJsonWithTheWrongShape) {
  const std::string id = kId;
  expect_invalid_cursor(b64(R"({"s":"title","k":"a"})"), "title");                      // no id
  expect_invalid_cursor(b64(R"({"s":"title","i":")" + id + R"("})"), "title");          // no key
  expect_invalid_cursor(b64(R"({"k":"a","i":")" + id + R"("})"), "title");              // no sort
  expect_invalid_cursor(b64(R"({"s":"title","k":"a","i":"not-an-id"})"), "title");      // bad id
  expect_invalid_cursor(b64(R"({"s":"title","k":1.5,"i":")" + id + R"("})"), "title");  // double
  expect_invalid_cursor(b64(R"({"s":"title","k":[1],"i":")" + id + R"("})"), "title");
  expect_invalid_cursor(b64(R"({"s":"title","k":null,"i":")" + id + R"("})"), "title");
  expect_invalid_cursor(b64(R"({"s":1,"k":"a","i":")" + id + R"("})"), "title");
  expect_invalid_cursor(
      b64(R"({"s":"title","k":")" + std::string(1025, 'x') + R"(","i":")" + id + R"("})"), "title");
  // The same shape with valid members is accepted (so the rejections above are for the reasons
  // given).
  EXPECT_TRUE(decode_cursor(b64(R"({"s":"title","k":"a","i":")" + id + R"("})"), "title").ok());
}

TEST(Cursor, RejectsTamperedText) {
  const auto text = encode_cursor({"-createdAt", std::int64_t{1'700'000'000'123}, kId});
  // Flip one character at a time: the result is either not base64url, not JSON, or a cursor
  // whose members no longer check out; it never decodes to the same cursor.
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string t = text;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    auto r = decode_cursor(t, "-createdAt");
    if (r.ok()) {
      const bool same = r->key == SortKey(std::int64_t{1'700'000'000'123}) && r->id == kId;
      EXPECT_FALSE(same) << t;
    }
  }
  // Padding or trailing garbage is refused.
  expect_invalid_cursor(text + "=", "-createdAt");
  expect_invalid_cursor(text + "$", "-createdAt");
  expect_invalid_cursor(" " + text, "-createdAt");
}

TEST(Limit, DefaultsAndBounds) {
  EXPECT_EQ(*parse_limit(std::nullopt), kDefaultLimit);
  EXPECT_EQ(*parse_limit("1"), 1);
  EXPECT_EQ(*parse_limit("200"), 200);
  EXPECT_EQ(*parse_limit("50"), 50);
  for (const char* bad :
       {"0", "201", "-1", "", "abc", "10abc", "1.5", " 5", "+5", "99999999999999999999"}) {
    auto r = parse_limit(std::string_view(bad));
    ASSERT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.error().fields().size(), 1u);
    EXPECT_EQ(r.error().fields().front().field, "limit");
    EXPECT_EQ(r.error().fields().front().message, "must be an integer from 1 to 200");
  }
}

TEST(Sort, ParsesDirectionAndField) {
  const std::vector<std::string> allowed = {"createdAt", "title"};
  const SortSpec fallback{"createdAt", true};
  auto asc = parse_sort("title", allowed, fallback);
  ASSERT_TRUE(asc.ok());
  EXPECT_EQ(asc->field, "title");
  EXPECT_FALSE(asc->descending);
  EXPECT_EQ(asc->text(), "title");
  auto desc = parse_sort("-title", allowed, fallback);
  ASSERT_TRUE(desc.ok());
  EXPECT_TRUE(desc->descending);
  EXPECT_EQ(desc->text(), "-title");
  auto plus = parse_sort("+createdAt", allowed, fallback);
  ASSERT_TRUE(plus.ok());
  EXPECT_FALSE(plus->descending);
  EXPECT_EQ(plus->field, "createdAt");
  EXPECT_EQ(parse_sort(std::nullopt, allowed, fallback)->text(), "-createdAt");
  EXPECT_EQ(parse_sort("", allowed, fallback)->text(), "-createdAt");
}

TEST(Sort, RejectsUnknownFields) {
  const std::vector<std::string> allowed = {"createdAt", "title"};
  for (const char* bad : {"status", "-", "--title", "Title", "title,createdAt", "-+title"}) {
    auto r = parse_sort(std::string_view(bad), allowed, {"createdAt", true});
    ASSERT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.error().fields().size(), 1u);
    EXPECT_EQ(r.error().fields().front().field, "sort");
    EXPECT_EQ(r.error().fields().front().message,
              "must be one of createdAt, title, optionally prefixed with -");
  }
}

}  // namespace
}  // namespace cm
