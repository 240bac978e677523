// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "support/literals.hpp"

namespace cm::json {
namespace {

// "field: message" lines, for compact assertions.
std::vector<std::string> describe(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field + ": " + e.message);
  return out;
}

using Lines = std::vector<std::string>;

TEST(JsonParseObject, AcceptsAnObject) {
  auto r = parse_object(R"({"a": 1, "b": [true, null], "c": {"d": "e"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 3u);
  EXPECT_EQ(r->at("a").as_int64(), 1);
}

TEST(JsonParseObject, RejectsNonObjects) {
  for (const char* body : {"", "[]", "[1, 2]", "\"text\"", "42", "true", "null"}) {
    auto r = parse_object(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().kind(), ErrorKind::bad_request) << body;
    EXPECT_EQ(r.error().detail(), "The request body must be a JSON object.") << body;
  }
}

TEST(JsonParseObject, RejectsInvalidJson) {
  for (const char* body : {"{", "{\"a\": }", "{\"a\": 1,}", "{'a': 1}", "{\"a\": 1} trailing",
                           "{\"a\": 1}{\"b\": 2}", "{\"a\": \"\xff\"}"}) {
    auto r = parse_object(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().kind(), ErrorKind::bad_request) << body;
    EXPECT_EQ(r.error().detail().rfind("The request body is not valid JSON", 0), 0u)
        << r.error().detail();
  }
}

// A validating proxy that keeps the first of two equal keys and a server that keeps the last
// would act on different requests; so neither is kept.
TEST(JsonParseObject, RefusesDuplicateKeysNamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"title": "a", "title": "b"})", "title"},
      {R"({"parties": [{"name": "x"}, {"name": "y", "name": "z"}]})", "parties[1].name"},
      {R"({"customFields": {"k": 1, "k": 2}})", "customFields.k"},
  };
  for (const auto& [body, field] : cases) {
    auto r = parse_object(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().kind(), ErrorKind::bad_request);
    ASSERT_EQ(r.error().fields().size(), 1u) << body;
    EXPECT_EQ(r.error().fields()[0].field, field);
    EXPECT_EQ(r.error().fields()[0].message, "is given more than once");
  }
  // The same key in sibling objects is fine.
  EXPECT_TRUE(parse_object(R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}]})").ok());
}

// SQLite stores a NUL, PostgreSQL refuses it: both backends must answer alike, with a 400.
TEST(JsonParseObject, RefusesNulInStringsAndKeysNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"email": "a\u0000b@example.com"})", "email"},
      {R"({"tags": ["ok", "bad\u0000"]})", "tags[1]"},
      {R"({"k\u0000": 1})", R"(k\u0000)"},
      {R"({"o": {"p": "\u0000"}})", "o.p"},
  };
  for (const auto& [body, field] : cases) {
    auto r = parse_object(body);
    ASSERT_FALSE(r.ok()) << body;
    ASSERT_EQ(r.error().fields().size(), 1u) << body;
    EXPECT_EQ(r.error().fields()[0].field, field) << body;
    EXPECT_EQ(r.error().fields()[0].message, "must not contain a NUL character");
  }
  // Long strings arrive in parts: a NUL in any part is found.
  const std::string long_text = "{\"t\": \"" + std::string(100'000, 'x') + "\\u0000\"}";
  EXPECT_FALSE(parse_object(long_text).ok());
}

std::string nested(int depth) {
  // depth levels of objects: {"a":{"a":...{}...}}
  std::string s;
  for (int i = 1; i < depth; ++i) s += "{\"a\":";
  s += "{}";
  for (int i = 1; i < depth; ++i) s += "}";
  return s;
}

TEST(JsonParseObject, LimitsNestingDepth) {
  EXPECT_TRUE(parse_object(nested(2)).ok());
  EXPECT_TRUE(parse_object(nested(32)).ok());
  auto too_deep = parse_object(nested(33));
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().kind(), ErrorKind::bad_request);
  EXPECT_FALSE(parse_object(nested(10'000)).ok());
  // Arrays count towards the depth as well.
  std::string arrays = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_FALSE(parse_object(arrays).ok());
}

// Found by tests/fuzz/json_fuzz (canonical() was not a fixed point). Boost.JSON 1.81 reads 1e999
// as infinity and writes it back as `Infinity`, which no JSON parser reads, so a contract with
// {"customFields":{"n":1e999}} was stored and then failed every read; and it writes
// 1844674446744073709551644 as a double that reads back as another one, so an audit event with
// it hashed differently at `audit verify` than when it was written. Such numbers are refused;
// ordinary and large finite ones pass and keep their canonical form.
TEST(JsonParseObject, RejectsNumbersThatCannotBeStoredExactly) {
  for (const char* body :
       {R"({"title":"x","customFields":{"n":1e999}})", R"({"a":[1,-1.5e600]})",
        R"({"a":{"b":[{"c":1E400}]}})", R"({"customFields":{"n":1844674446744073709551644}})",
        R"({"a":2.5e-300})"}) {
    SCOPED_TRACE(body);
    auto r = parse_object(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::bad_request);
  }
  auto fine = parse_object(
      R"({"a":1.7976931348623157e308,"b":18446744073709551615,"c":1e-999,"d":0.1,"e":1234.56,)"
      R"("f":6.02214076e23,"g":-9223372036854775808})");
  ASSERT_TRUE(fine.ok());
  const auto text = canonical(*fine);
  auto again = parse_object(text);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(canonical(*again), text);
}

TEST(JsonCanonical, SortsKeysRecursivelyWithoutWhitespace) {
  const auto v = bj::parse(R"({"b": 1, "a": {"z": [3, {"y": 1, "x": 2}], "c": null}, "A": "s"})");
  EXPECT_EQ(canonical(v), R"({"A":"s","a":{"c":null,"z":[3,{"x":2,"y":1}]},"b":1})");
}

TEST(JsonCanonical, IsIndependentOfInsertionOrder) {
  const auto one = bj::parse(R"({"x": 1, "y": {"p": true, "q": false}, "z": [1, 2]})");
  const auto two = bj::parse(R"({"z": [1, 2], "y": {"q": false, "p": true}, "x": 1})");
  EXPECT_EQ(canonical(one), canonical(two));
  EXPECT_EQ(canonical(one), canonical(one));
  // Array order is significant.
  const auto three = bj::parse(R"({"x": 1, "y": {"p": true, "q": false}, "z": [2, 1]})");
  EXPECT_NE(canonical(one), canonical(three));
}

TEST(JsonCanonical, EscapesStringsAndKeys) {
  const auto v = bj::parse(R"({"k\"ey": "line\nbreak", "\u00e9": "\u00e9"})");
  const std::string c = canonical(v);
  EXPECT_EQ(c, "{\"k\\\"ey\":\"line\\nbreak\",\"\xc3\xa9\":\"\xc3\xa9\"}");
  // Canonical output is itself valid JSON that reproduces the value.
  EXPECT_EQ(bj::parse(c), v);
}

TEST(JsonCanonical, Scalars) {
  EXPECT_EQ(canonical(bj::value(nullptr)), "null");
  EXPECT_EQ(canonical(bj::value(true)), "true");
  EXPECT_EQ(canonical(bj::value(-5)), "-5");
  EXPECT_EQ(canonical(bj::value("s")), "\"s\"");
  EXPECT_EQ(canonical(bj::value(bj::array{})), "[]");
  EXPECT_EQ(canonical(bj::value(bj::object{})), "{}");
}

TEST(ObjectReader, ReadsStringsWithTrimAndLengthRules) {
  const auto o =
      test::json_object(R"({"name": "  Ada  ", "raw": "  Ada  ", "accent": "\u00e9\u00e9\u00e9"})");
  ObjectReader r(o);
  EXPECT_EQ(r.string("name", {.min = 1, .max = 3}), "Ada");
  EXPECT_EQ(r.string("raw", {.max = 7, .trim = false}), "  Ada  ");
  // 3 code points (6 bytes) fit a 3-character limit.
  EXPECT_EQ(r.string("accent", {.max = 3}), "\xc3\xa9\xc3\xa9\xc3\xa9");
  EXPECT_TRUE(r.finish().empty());
}

TEST(ObjectReader, StringLengthErrors) {
  const auto o = test::json_object(
      R"({"empty": "   ", "short": "ab", "long": "abcd", "accent": "\u00e9\u00e9\u00e9\u00e9"})");
  ObjectReader r(o);
  EXPECT_FALSE(r.string("empty", {.min = 1}));
  EXPECT_FALSE(r.string("short", {.min = 3}));
  EXPECT_FALSE(r.string("long", {.max = 3}));
  EXPECT_FALSE(r.string("accent", {.max = 3}));
  EXPECT_EQ(describe(r.finish()),
            (Lines{"empty: must not be empty", "short: must be at least 3 characters",
                   "long: must be at most 3 characters", "accent: must be at most 3 characters"}));
}

TEST(ObjectReader, RequiredAbsentAndNull) {
  const auto o = test::json_object(R"({"n": null})");
  ObjectReader r(o);
  EXPECT_FALSE(r.string("missing", {.required = true}));
  EXPECT_FALSE(r.string("n", {.required = true}));
  EXPECT_FALSE(r.boolean("b", true));
  EXPECT_FALSE(r.integer("i", 0, 10, true));
  EXPECT_EQ(r.array("a", true), nullptr);
  EXPECT_EQ(r.object("o", true), nullptr);
  EXPECT_EQ(describe(r.finish()), (Lines{"missing: is required", "n: is required", "b: is required",
                                         "i: is required", "a: is required", "o: is required"}));
}

TEST(ObjectReader, OptionalAbsentOrNullIsNoError) {
  const auto o = test::json_object(R"({"n": null})");
  ObjectReader r(o);
  EXPECT_FALSE(r.string("n", {}));
  EXPECT_FALSE(r.string("missing", {}));
  EXPECT_FALSE(r.boolean("missing"));
  EXPECT_FALSE(r.integer("missing", 0, 1));
  EXPECT_TRUE(r.has("n"));
  EXPECT_TRUE(r.is_null("n"));
  EXPECT_FALSE(r.has("missing"));
  EXPECT_FALSE(r.is_null("missing"));
  EXPECT_TRUE(r.finish().empty());
}

TEST(ObjectReader, TypeErrors) {
  const auto o =
      test::json_object(R"({"s": 1, "b": "true", "i": "5", "f": 1.5, "a": {}, "o": []})");
  ObjectReader r(o);
  EXPECT_FALSE(r.string("s", {}));
  EXPECT_FALSE(r.boolean("b"));
  EXPECT_FALSE(r.integer("i", 0, 10));
  EXPECT_FALSE(r.integer("f", 0, 10));
  EXPECT_EQ(r.array("a"), nullptr);
  EXPECT_EQ(r.object("o"), nullptr);
  EXPECT_EQ(describe(r.finish()),
            (Lines{"s: must be a string", "b: must be true or false", "i: must be an integer",
                   "f: must be an integer", "a: must be an array", "o: must be an object"}));
}

TEST(ObjectReader, Integers) {
  const auto o = test::json_object(
      R"({"a": 5, "b": 10.0, "c": 11, "d": -1, "e": 18446744073709551615, "f": 1e300, "g": 0})");
  ObjectReader r(o);
  EXPECT_EQ(r.integer("a", 0, 10), 5);
  EXPECT_EQ(r.integer("b", 0, 10), 10);  // integral double
  EXPECT_FALSE(r.integer("c", 0, 10));
  EXPECT_FALSE(r.integer("d", 0, 10));
  EXPECT_FALSE(r.integer("e", 0, 10));
  EXPECT_FALSE(r.integer("f", 0, 10));
  EXPECT_EQ(r.integer("g", 0, 10), 0);
  const auto errors = r.finish();
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(describe({errors[0], errors[1]}),
            (Lines{"c: must be between 0 and 10", "d: must be between 0 and 10"}));
  // Out of int64 range: rejected (the exact wording is not part of the contract).
  EXPECT_EQ(errors[2].field, "e");
  EXPECT_EQ(errors[3].field, "f");
}

TEST(ObjectReader, BooleansArraysObjects) {
  const auto o = test::json_object(R"({"t": true, "f": false, "a": [1, 2], "o": {"x": 1}})");
  ObjectReader r(o);
  EXPECT_EQ(r.boolean("t"), true);
  EXPECT_EQ(r.boolean("f"), false);
  ASSERT_NE(r.array("a"), nullptr);
  EXPECT_EQ(r.array("a")->size(), 2u);
  ASSERT_NE(r.object("o"), nullptr);
  EXPECT_TRUE(r.object("o")->contains("x"));
  EXPECT_TRUE(r.finish().empty());
}

TEST(ObjectReader, ReportsUnknownFields) {
  const auto o = test::json_object(R"({"title": "x", "titel": "typo", "extra": null})");
  ObjectReader r(o);
  EXPECT_EQ(r.string("title", {}), "x");
  const auto errors = describe(r.finish());
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_NE(std::find(errors.begin(), errors.end(), "titel: unknown field"), errors.end());
  EXPECT_NE(std::find(errors.begin(), errors.end(), "extra: unknown field"), errors.end());
}

TEST(ObjectReader, HasAndGetMarkKeysKnown) {
  const auto o = test::json_object(R"({"a": 1, "b": 2, "c": 3})");
  ObjectReader r(o);
  EXPECT_TRUE(r.has("a"));
  ASSERT_NE(r.get("b"), nullptr);
  EXPECT_EQ(describe(r.finish()), (Lines{"c: unknown field"}));
  ObjectReader all(o);
  all.accept_all();
  EXPECT_TRUE(all.finish().empty());
}

TEST(ObjectReader, PrefixesFieldNames) {
  const auto o = test::json_object(R"({"currency": 5, "bogus": 1})");
  ObjectReader r(o, "value.");
  EXPECT_FALSE(r.string("currency", {}));
  EXPECT_EQ(r.field("amount"), "value.amount");
  r.error("amount", "is required");
  EXPECT_EQ(describe(r.finish()),
            (Lines{"value.currency: must be a string", "value.amount: is required",
                   "value.bogus: unknown field"}));
}

TEST(ObjectReader, RejectsInvalidUtf8InStrings) {
  // Boost.JSON's parser refuses invalid UTF-8, but objects built in code can still carry it.
  bj::object o;
  o["bad"] = bj::string("ab\xff");
  o["surrogate"] = bj::string("\xed\xa0\x80");
  ObjectReader r(o);
  EXPECT_FALSE(r.string("bad", {}));
  EXPECT_FALSE(r.string("surrogate", {}));
  EXPECT_EQ(describe(r.finish()),
            (Lines{"bad: must be valid UTF-8", "surrogate: must be valid UTF-8"}));
}

TEST(ObjectReader, CollectsEveryErrorInsteadOfStoppingAtTheFirst) {
  const auto o = test::json_object(R"({"a": 1, "b": 2, "u1": 0, "u2": 0})");
  ObjectReader r(o);
  (void)r.string("a", {});
  (void)r.string("b", {});
  (void)r.string("c", {.required = true});
  EXPECT_EQ(r.finish().size(), 5u);
}

}  // namespace
}  // namespace cm::json
