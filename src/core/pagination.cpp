// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/pagination.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/crypto.hpp"
#include "core/ids.hpp"

namespace cm {

namespace bj = boost::json;

std::string encode_cursor(const Cursor& cursor) {
  bj::object o{{"s", cursor.sort}, {"i", cursor.id}};
  if (const auto* n = std::get_if<std::int64_t>(&cursor.key))
    o["k"] = *n;
  else
    o["k"] = std::get<std::string>(cursor.key);
  return crypto::base64url_encode(bj::serialize(o));
}

Result<Cursor> decode_cursor(std::string_view text, std::string_view expected_sort) {
  const Error invalid(ErrorKind::validation, "The cursor is not valid for this listing.",
                      {{"cursor", "is invalid or was made for another sort order"}});
  if (text.size() > 2048) return invalid;
  const auto raw = crypto::base64url_decode(text);
  if (!raw) return invalid;
  boost::system::error_code ec;
  const bj::value v = bj::parse(*raw, ec);
  if (ec || !v.is_object()) return invalid;
  const auto& o = v.as_object();
  const auto* s = o.if_contains("s");
  const auto* i = o.if_contains("i");
  const auto* k = o.if_contains("k");
  if (!s || !i || !k || !s->is_string() || !i->is_string() || s->as_string() != expected_sort ||
      !is_valid_id(i->as_string()))
    return invalid;
  Cursor c{std::string(s->as_string()), std::int64_t{0}, std::string(i->as_string())};
  if (k->is_int64())
    c.key = k->as_int64();
  else if (k->is_string() && k->as_string().size() <= 1024)
    c.key = std::string(k->as_string());
  else
    return invalid;
  return c;
}

Result<int> parse_limit(std::optional<std::string_view> text) {
  if (!text) return kDefaultLimit;
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < 1 || value > kMaxLimit)
    return Error(ErrorKind::validation, "Invalid limit.",
                 {{"limit", "must be an integer from 1 to " + std::to_string(kMaxLimit)}});
  return value;
}

Result<SortSpec> parse_sort(std::optional<std::string_view> text,
                            const std::vector<std::string>& allowed, SortSpec fallback) {
  if (!text || text->empty()) return fallback;
  SortSpec spec;
  std::string_view name = *text;
  if (name.front() == '-') {
    spec.descending = true;
    name.remove_prefix(1);
  } else if (name.front() == '+') {
    name.remove_prefix(1);
  }
  for (const auto& a : allowed)
    if (a == name) {
      spec.field = a;
      return spec;
    }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return Error(ErrorKind::validation, "Invalid sort.",
               {{"sort", "must be one of " + list + ", optionally prefixed with -"}});
}

}  // namespace cm
