// SPDX-License-Identifier: AGPL-3.0-or-later
// Request bodies through the strict JSON readers (src/core/json) and the contract body
// (src/core/contract: the body of POST and PATCH /api/v1/contracts). Properties: parsing never
// throws and either yields an object or a bad_request; canonical() is a fixed point (parse the
// canonical form and you get it back); the readers only hand out valid UTF-8 within the rules'
// bounds; a body the create reader accepts builds a contract whose JSON is an object; every
// rejection is a validation error with field errors. Plus is_valid_utf8 against a model decoder.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/contract.hpp"
#include "core/json.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace cm;
namespace bj = boost::json;

namespace {

// RFC 3629: the shortest form, no surrogates, at most U+10FFFF.
bool model_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t min = 0, cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      min = 0x80;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      min = 0x800;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      min = 0x10000;
      cp = c & 0x07;
    } else
      return false;
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

void check_text(const std::optional<std::string>& s, std::size_t max_chars) {
  if (!s) return;
  CM_FUZZ_CHECK(utf8::is_valid(*s));
  CM_FUZZ_CHECK(utf8::length(*s) <= max_chars);
}

void read_contract(const bj::object& body) {
  for (const auto mode : {ChangeMode::create, ChangeMode::update}) {
    const auto changes = parse_contract_changes(body, mode);
    if (!changes) {
      CM_FUZZ_CHECK(changes.error().kind() == ErrorKind::validation);
      CM_FUZZ_CHECK(!changes.error().fields().empty());
      continue;
    }
    if (mode == ChangeMode::create) CM_FUZZ_CHECK(changes->title.has_value());
    check_text(changes->title, 300);
    check_text(changes->type, 50);
    check_text(changes->description, 10'000);
    Contract contract;
    contract.id = "0190a8f0-0000-7000-8000-000000000001";
    apply_changes(contract, *changes);
    (void)validate_contract(contract, {"msa", "nda", "sow"});
    const bj::value json = to_json(contract);
    CM_FUZZ_CHECK(json.is_object());
    (void)json::canonical(json);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  CM_FUZZ_CHECK(utf8::is_valid(input) == model_utf8(input));

  fuzz::only_cm_errors([&] {
    auto parsed = json::parse_object(input);
    if (!parsed) {
      CM_FUZZ_CHECK(parsed.error().kind() == ErrorKind::bad_request);
      return;
    }
    const bj::object& body = *parsed;
    const std::string canonical = json::canonical(body);
    auto again = json::parse_object(canonical);
    CM_FUZZ_CHECK(again.ok());
    CM_FUZZ_CHECK(json::canonical(*again) == canonical);

    // The generic readers, on whatever keys the body has.
    json::ObjectReader reader(body, "body.");
    for (const auto& kv : body) {
      const std::string_view key = kv.key();
      check_text(reader.string(key, {.min = 0, .max = 20}), 20);
      (void)reader.boolean(key);
      if (const auto n = reader.integer(key, -1000, 1000)) CM_FUZZ_CHECK(*n >= -1000 && *n <= 1000);
      if (const auto n = reader.nullable_int(key, 0, 10); n && *n)
        CM_FUZZ_CHECK(**n >= 0 && **n <= 10);
      (void)reader.array(key);
      (void)reader.object(key);
    }
    for (const auto& error : reader.finish()) CM_FUZZ_CHECK(error.field.starts_with("body."));

    read_contract(body);
  });
  return 0;
}
