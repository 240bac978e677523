// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/json.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace cm::json {

namespace {

constexpr std::size_t kMaxDepth = 32;

// A first pass over the text that finds what Boost.JSON's DOM silently accepts: a key given
// twice (the last would win, while a validating proxy in front may take the first) and NUL
// characters in keys or strings (SQLite would store them, PostgreSQL refuses them). It builds
// nothing; the path of the offending member names it in the error.
class StrictnessCheck {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::optional<FieldError> problem;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) {
    push_container(true);
    return true;
  }
  bool on_object_end(std::size_t, boost::system::error_code&) { return pop_container(); }
  bool on_array_begin(boost::system::error_code&) {
    push_container(false);
    return true;
  }
  bool on_array_end(std::size_t, boost::system::error_code&) { return pop_container(); }
  bool on_key_part(std::string_view part, std::size_t, boost::system::error_code&) {
    key_ += part;
    return true;
  }
  bool on_key(std::string_view part, std::size_t, boost::system::error_code& ec) {
    key_ += part;
    auto& level = levels_.back();
    level.key = std::move(key_);
    key_.clear();
    if (level.key.find('\0') != std::string::npos) {
      // Named as JSON writes it: a raw NUL must not travel on into the error either.
      std::string shown;
      for (const char c : level.key)
        shown += c == '\0' ? std::string("\\u0000") : std::string(1, c);
      level.key = std::move(shown);
      return fail(ec, {path(), "must not contain a NUL character"});
    }
    if (!level.keys.insert(level.key).second) return fail(ec, {path(), "is given more than once"});
    return true;
  }
  bool on_string_part(std::string_view part, std::size_t, boost::system::error_code& ec) {
    return part.find('\0') == std::string_view::npos || nul_in_value(ec);
  }
  bool on_string(std::string_view part, std::size_t, boost::system::error_code& ec) {
    if (part.find('\0') != std::string_view::npos) return nul_in_value(ec);
    return scalar();
  }
  bool on_number_part(std::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t, std::string_view, boost::system::error_code&) { return scalar(); }
  bool on_uint64(std::uint64_t, std::string_view, boost::system::error_code&) { return scalar(); }
  bool on_double(double, std::string_view, boost::system::error_code&) { return scalar(); }
  bool on_bool(bool, boost::system::error_code&) { return scalar(); }
  bool on_null(boost::system::error_code&) { return scalar(); }
  bool on_comment_part(std::string_view, boost::system::error_code&) { return true; }
  bool on_comment(std::string_view, boost::system::error_code&) { return true; }

 private:
  struct Level {
    bool is_object = false;
    std::size_t index = 0;  // arrays: the element being read
    std::string key;        // objects: the member being read
    std::set<std::string, std::less<>> keys;
  };

  void push_container(bool is_object) { levels_.push_back({is_object, 0, {}, {}}); }
  bool pop_container() {
    levels_.pop_back();
    return scalar();
  }
  // A value ended: the next one in an array has the next index.
  bool scalar() {
    if (!levels_.empty() && !levels_.back().is_object) ++levels_.back().index;
    return true;
  }
  bool nul_in_value(boost::system::error_code& ec) {
    return fail(ec, {path(), "must not contain a NUL character"});
  }
  bool fail(boost::system::error_code& ec, FieldError error) {
    problem = std::move(error);
    ec = bj::error::syntax;  // stops the parser; `problem` says why
    return false;
  }
  // "parties[1].name", as ObjectReader names fields.
  std::string path() const {
    std::string out;
    for (const auto& level : levels_) {
      if (level.is_object) {
        if (!out.empty()) out += '.';
        out += level.key;
      } else {
        out += '[' + std::to_string(level.index) + ']';
      }
    }
    return out;
  }

  std::vector<Level> levels_;
  std::string key_;
};

// A number Boost.JSON 1.81 cannot store and read back as the same value: beyond the range of
// double (1e999 reads as infinity and is written as `Infinity`, which is not JSON), or with
// digits its parser does not round correctly (1844674446744073709551644 is written as
// 1.8446744467440738E24, which reads back as another double). Stored, the first fails every
// later read of the row; the second changes the canonical JSON of an audit event between the
// write and `audit verify`, which then reports an intact event as edited.
bool has_unstorable_number(const bj::value& value) {
  switch (value.kind()) {
    case bj::kind::double_: {
      const double d = value.get_double();
      if (!std::isfinite(d)) return true;
      boost::system::error_code ec;
      const bj::value again = bj::parse(bj::serialize(value), ec);
      return ec || !again.is_double() || again.get_double() != d;
    }
    case bj::kind::array:
      return std::any_of(value.get_array().begin(), value.get_array().end(),
                         [](const bj::value& v) { return has_unstorable_number(v); });
    case bj::kind::object:
      return std::any_of(
          value.get_object().begin(), value.get_object().end(),
          [](const bj::key_value_pair& kv) { return has_unstorable_number(kv.value()); });
    default:
      return false;
  }
}

}  // namespace

Result<bj::value> parse_strict(std::string_view text) {
  bj::parse_options options;
  options.max_depth = kMaxDepth;
  bj::basic_parser<StrictnessCheck> check(options);
  boost::system::error_code ec;
  check.write_some(false, text.data(), text.size(), ec);
  if (const auto& problem = check.handler().problem)
    return Error(ErrorKind::bad_request, "The request body has an invalid field.", {*problem});
  if (ec) return bad_request("The request body is not valid JSON: " + ec.message() + ".");
  bj::value value = bj::parse(text, ec, {}, options);
  if (ec) return bad_request("The request body is not valid JSON: " + ec.message() + ".");
  if (has_unstorable_number(value))  // recursion bounded by max_depth
    return bad_request(
        "The request body has a number that cannot be stored exactly (too large, or too many "
        "digits).");
  return value;
}

Result<bj::object> parse_object(std::string_view body) {
  if (body.empty()) return bad_request("The request body must be a JSON object.");
  auto value = parse_strict(body);
  if (!value) return value.error();
  if (!value->is_object()) return bad_request("The request body must be a JSON object.");
  return std::move(value->as_object());
}

namespace {

void write_canonical(const bj::value& value, std::string& out) {
  switch (value.kind()) {
    case bj::kind::object: {
      const auto& obj = value.as_object();
      std::vector<const bj::key_value_pair*> members;
      members.reserve(obj.size());
      for (const auto& kv : obj) members.push_back(&kv);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return a->key() < b->key(); });
      out += '{';
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (i) out += ',';
        out += bj::serialize(bj::string(members[i]->key()));
        out += ':';
        write_canonical(members[i]->value(), out);
      }
      out += '}';
      return;
    }
    case bj::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.as_array()) {
        if (!first) out += ',';
        first = false;
        write_canonical(item, out);
      }
      out += ']';
      return;
    }
    default:
      out += bj::serialize(value);
  }
}

}  // namespace

std::string canonical(const bj::value& value) {
  std::string out;
  write_canonical(value, out);
  return out;
}

ObjectReader::ObjectReader(const bj::object& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

void ObjectReader::refuse(std::initializer_list<std::string_view> read_only_keys) {
  for (const auto key : read_only_keys)
    if (has(key)) error(key, "is read-only");
}

std::string ObjectReader::field(std::string_view key) const {
  return prefix_ + std::string(key);
}

bool ObjectReader::has(std::string_view key) {
  return get(key) != nullptr;
}

bool ObjectReader::is_null(std::string_view key) {
  const auto* v = get(key);
  return v && v->is_null();
}

const bj::value* ObjectReader::get(std::string_view key) {
  seen_.emplace(key);
  return object_.if_contains(key);
}

void ObjectReader::error(std::string_view key, std::string message) {
  errors_.push_back({field(key), std::move(message)});
}

void ObjectReader::accept_all() {
  for (const auto& kv : object_) seen_.emplace(kv.key());
}

std::optional<std::string> ObjectReader::string(std::string_view key, StringRule rule) {
  const auto* v = get(key);
  if (!v || v->is_null()) {
    if (rule.required) error(key, "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    error(key, "must be a string");
    return std::nullopt;
  }
  std::string text(v->as_string());
  if (!utf8::is_valid(text)) {
    error(key, "must be valid UTF-8");
    return std::nullopt;
  }
  if (rule.trim) text = std::string(trim(text));
  const auto length = utf8::length(text);
  if (length < rule.min) {
    error(key, rule.min == 1 ? "must not be empty"
                             : "must be at least " + std::to_string(rule.min) + " characters");
    return std::nullopt;
  }
  if (length > rule.max) {
    error(key, "must be at most " + std::to_string(rule.max) + " characters");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> ObjectReader::boolean(std::string_view key, bool required) {
  const auto* v = get(key);
  if (!v || v->is_null()) {
    if (required) error(key, "is required");
    return std::nullopt;
  }
  if (!v->is_bool()) {
    error(key, "must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::optional<int>> ObjectReader::nullable_int(std::string_view key, int min,
                                                             int max) {
  if (!has(key)) return std::nullopt;
  if (is_null(key)) return std::optional<int>{};
  const auto v = integer(key, min, max);
  if (!v) return std::nullopt;
  return std::optional<int>{static_cast<int>(*v)};
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, std::int64_t min,
                                                  std::int64_t max, bool required) {
  const auto* v = get(key);
  if (!v || v->is_null()) {
    if (required) error(key, "is required");
    return std::nullopt;
  }
  std::optional<std::int64_t> value;
  if (v->is_int64())
    value = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(max))
    value = static_cast<std::int64_t>(v->as_uint64());
  else if (v->is_double()) {
    const double d = v->as_double();
    // Range first: converting an out-of-range double to int64 is undefined behaviour.
    if (d >= -9e15 && d <= 9e15 && d == static_cast<double>(static_cast<std::int64_t>(d)))
      value = static_cast<std::int64_t>(d);
  }
  if (!value) {
    error(key, "must be an integer");
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

const bj::array* ObjectReader::array(std::string_view key, bool required) {
  const auto* v = get(key);
  if (!v || v->is_null()) {
    if (required) error(key, "is required");
    return nullptr;
  }
  if (!v->is_array()) {
    error(key, "must be an array");
    return nullptr;
  }
  return &v->as_array();
}

const bj::object* ObjectReader::object(std::string_view key, bool required) {
  const auto* v = get(key);
  if (!v || v->is_null()) {
    if (required) error(key, "is required");
    return nullptr;
  }
  if (!v->is_object()) {
    error(key, "must be an object");
    return nullptr;
  }
  return &v->as_object();
}

std::vector<FieldError> ObjectReader::finish() {
  for (const auto& kv : object_)
    if (!seen_.contains(std::string_view(kv.key())))
      errors_.push_back({field(kv.key()), "unknown field"});
  return errors_;
}

bj::array string_array(const std::vector<std::string>& items) {
  bj::array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(bj::string(item));
  return out;
}

}  // namespace cm::json
