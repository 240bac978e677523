// SPDX-License-Identifier: AGPL-3.0-or-later
// HS256 access tokens (src/auth/jwt). Three inputs in one: the raw bytes as a token; a token
// whose header and payload segments are the input (split at the first NUL) signed with the
// right key, so the claim parsing behind the signature check is reached; and claims built from
// the input. Properties: verification never throws; a token with a bad signature or another
// algorithm is always rejected; signed claims verify to themselves, are rejected under another
// key, after expiry, and after any change to their header or payload text.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "auth/jwt.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace cm;
using namespace cm::auth;

namespace {

constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef0123456789";
constexpr std::int64_t kNow = 1'800'000'000;

bool same(const AccessClaims& a, const AccessClaims& b) {
  return a.subject == b.subject && a.org_id == b.org_id && a.role == b.role &&
         a.session_id == b.session_id && a.issued_at == b.issued_at && a.expires_at == b.expires_at;
}

std::int64_t take_int64(std::string_view& in) {
  std::int64_t v = 0;
  std::memcpy(&v, in.data(), std::min<std::size_t>(8, in.size()));
  in.remove_prefix(std::min<std::size_t>(8, in.size()));
  return v;
}

std::string take_string(std::string_view& in) {
  const std::size_t n = in.empty() ? 0 : static_cast<unsigned char>(in[0]) % 48;
  if (!in.empty()) in.remove_prefix(1);
  std::string s(in.substr(0, n));
  in.remove_prefix(std::min(n, in.size()));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  fuzz::only_cm_errors([&] {
    // 1. The input as a token: without the key nobody can make one that verifies.
    const auto raw = verify_jwt(input, kSecret, kNow);
    CM_FUZZ_CHECK(!raw && raw.error().kind() == ErrorKind::unauthenticated);

    // 2. Fuzzed header and payload JSON, correctly signed.
    const auto nul = input.find('\0');
    const std::string header(nul == std::string_view::npos ? R"({"alg":"HS256"})"
                                                           : input.substr(0, nul));
    const std::string payload(nul == std::string_view::npos ? input : input.substr(nul + 1));
    std::string token = crypto::base64url_encode(header) + "." + crypto::base64url_encode(payload);
    token += "." + crypto::base64url_encode(crypto::hmac_sha256(kSecret, token));
    if (const auto claims = verify_jwt(token, kSecret, kNow)) {
      CM_FUZZ_CHECK(claims->expires_at >= kNow - 30);
      const auto resigned = verify_jwt(sign_jwt(*claims, kSecret), kSecret, kNow);
      CM_FUZZ_CHECK(resigned && same(*resigned, *claims));
    }
    CM_FUZZ_CHECK(!verify_jwt(token, "another secret", kNow));

    // 3. Claims from the input.
    std::string_view in = input;
    AccessClaims c;
    c.subject = take_string(in);
    c.org_id = take_string(in);
    c.role = take_string(in);
    c.session_id = take_string(in);
    c.issued_at = take_int64(in);
    c.expires_at = take_int64(in);
    const std::string signed_token = sign_jwt(c, kSecret);
    const std::int64_t now = in.empty() ? kNow : take_int64(in);
    const auto back = verify_jwt(signed_token, kSecret, now);
    // Expired when now is more than 30 s past exp (computed without overflow).
    const bool expired =
        now > c.expires_at &&
        static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(c.expires_at) > 30;
    // Strings that are not valid UTF-8 do not survive JSON; the server only signs valid ones.
    const bool valid_text = utf8::is_valid(c.subject) && utf8::is_valid(c.org_id) &&
                            utf8::is_valid(c.role) && utf8::is_valid(c.session_id);
    if (back) {
      CM_FUZZ_CHECK(!expired && same(*back, c));
    } else {
      CM_FUZZ_CHECK(back.error().kind() == ErrorKind::unauthenticated);
      // Issued more than 30 s after `now`: a token from the future is refused too.
      const bool from_future =
          c.issued_at > now &&
          static_cast<std::uint64_t>(c.issued_at) - static_cast<std::uint64_t>(now) > 30;
      CM_FUZZ_CHECK(expired || from_future || !valid_text || signed_token.size() > 4096);
    }
    if (signed_token.size() <= 4096) {
      const auto dot2 = signed_token.rfind('.');
      std::string tampered = signed_token;
      const std::size_t at = in.empty() ? 0 : static_cast<unsigned char>(in[0]) % dot2;
      tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
      CM_FUZZ_CHECK(!verify_jwt(tampered, kSecret, now));
    }
  });
  return 0;
}
