#include "core/json.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace cm::json {

Result<bj::object> parse_object(std::string_view body) {
  if (body.empty()) return bad_request("The request body must be a JSON object.");
  bj::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  bj::value value = bj::parse(body, ec, {}, options);
  if (ec) return bad_request("The request body is not valid JSON: " + ec.message() + ".");
  if (!value.is_object()) return bad_request("The request body must be a JSON object.");
  return std::move(value.as_object());
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

}  // namespace cm::json
