// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// JSON helpers for strict request parsing and canonical serialization.
//
// ObjectReader reads a request object field by field, collecting field errors instead of
// stopping at the first, and reports every field it was never asked about as unknown: a typo in
// a request must never be dropped silently.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"

namespace cm::json {

namespace bj = boost::json;

// Parses untrusted JSON strictly: depth limited, and a key given twice in one object or a NUL
// character in any key or string is a bad_request naming the field (e.g. "parties[0].name").
Result<bj::value> parse_strict(std::string_view text);
// Parses a request body that must be one JSON object, as parse_strict. Errors are bad_request.
Result<bj::object> parse_object(std::string_view body);

// Sorted keys, no insignificant whitespace: the same value always gives the same bytes.
std::string canonical(const bj::value& value);
// A JSON array of the strings, in order.
bj::array string_array(const std::vector<std::string>& items);

struct StringRule {
  std::size_t min = 0;  // in code points
  std::size_t max = 1000;
  bool required = false;
  bool trim = true;  // surrounding white space removed before checks
};

class ObjectReader {
 public:
  explicit ObjectReader(const bj::object& object, std::string prefix = {});

  bool has(std::string_view key);              // present, possibly null; marks the key as known
  bool is_null(std::string_view key);          // present and null
  const bj::value* get(std::string_view key);  // marks known; null if absent

  // Each getter returns nullopt when the key is absent, null, or invalid (then an error is
  // recorded); `required` records "is required" for absent or null.
  std::optional<std::string> string(std::string_view key, StringRule rule);
  std::optional<bool> boolean(std::string_view key, bool required = false);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max,
                                      bool required = false);
  // A field that may be cleared: nullopt when absent (or invalid), an empty inner optional for
  // null, else the value in [min, max].
  std::optional<std::optional<int>> nullable_int(std::string_view key, int min, int max);
  const bj::array* array(std::string_view key, bool required = false);
  const bj::object* object(std::string_view key, bool required = false);

  // Records "is read-only" for each of these keys the client sent (server-managed fields).
  void refuse(std::initializer_list<std::string_view> read_only_keys);
  // Marks every key of the object known (for free-form maps).
  void accept_all();
  void error(std::string_view key, std::string message);
  std::string field(std::string_view key) const;

  // Records unknown fields and returns all errors (empty: the object is valid).
  std::vector<FieldError> finish();
  std::vector<FieldError>& errors() noexcept { return errors_; }

 private:
  const bj::object& object_;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
  std::vector<FieldError> errors_;
};

}  // namespace cm::json
