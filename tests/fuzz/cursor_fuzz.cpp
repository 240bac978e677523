// SPDX-License-Identifier: AGPL-3.0-or-later
// Keyset cursors and the other listing parameters (src/core/pagination). The input is a cursor
// as a client sends it; its first bytes also build a cursor to encode. Properties: decoding
// never throws and rejects with the one `cursor` field error; what decodes re-encodes to a
// cursor that decodes to the same value; every encoded cursor decodes to itself for its own
// sort and for no other; limits are 1-200; sorts are from the allowed list.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/pagination.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace cm;

namespace {

const char* const kSorts[] = {"-createdAt", "createdAt", "title", "-expirationDate", "name"};

bool same(const Cursor& a, const Cursor& b) {
  return a.sort == b.sort && a.key == b.key && a.id == b.id;
}

// A valid UUIDv7-shaped id from 16 bytes.
std::string id_from(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    const auto c = static_cast<unsigned char>(i < bytes.size() ? bytes[i] : 0);
    id += kHex[c >> 4];
    id += kHex[c & 15];
  }
  return id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  fuzz::only_cm_errors([&] {
    for (const char* sort : kSorts) {
      const auto cursor = decode_cursor(input, sort);
      if (!cursor) {
        const auto& e = cursor.error();
        CM_FUZZ_CHECK(e.kind() == ErrorKind::validation && e.fields().size() == 1 &&
                      e.fields()[0].field == "cursor");
        continue;
      }
      CM_FUZZ_CHECK(cursor->sort == sort && cursor->id.size() == 36);
      const auto again = decode_cursor(encode_cursor(*cursor), sort);
      CM_FUZZ_CHECK(again && same(*again, *cursor));
    }

    // A cursor built from the input: id from 16 bytes, a number or text key.
    if (size >= 25) {
      Cursor c;
      c.sort = kSorts[data[0] % std::size(kSorts)];
      c.id = id_from(input.substr(1, 16));
      if (data[17] & 1) {
        std::int64_t n = 0;
        std::memcpy(&n, data + 17, 8);
        c.key = n;
      } else {
        c.key = std::string(input.substr(25, 1024));
      }
      const auto text = encode_cursor(c);
      // Text keys are stored values, validated UTF-8 (JSON cannot carry anything else).
      const auto* key_text = std::get_if<std::string>(&c.key);
      if (text.size() <= 2048 && (!key_text || utf8::is_valid(*key_text))) {
        const auto back = decode_cursor(text, c.sort);
        CM_FUZZ_CHECK(back && same(*back, c));
      }
      CM_FUZZ_CHECK(!decode_cursor(text, std::string(c.sort) + "x"));
    }

    const auto limit = parse_limit(input);
    if (limit) CM_FUZZ_CHECK(*limit >= 1 && *limit <= kMaxLimit);
    const std::vector<std::string> allowed{"createdAt", "title", "expirationDate"};
    const auto sort = parse_sort(input, allowed, SortSpec{"createdAt", true});
    if (sort)
      CM_FUZZ_CHECK(std::find(allowed.begin(), allowed.end(), sort->field) != allowed.end());
  });
  return 0;
}
