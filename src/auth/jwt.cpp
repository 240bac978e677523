// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/jwt.hpp"

#include <boost/json.hpp>

#include "core/crypto.hpp"

namespace cm::auth {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kLeewaySeconds = 30;

// a > b + leeway for every a and b: the claims are any 64-bit numbers, and `*exp + 30` overflowed
// for exp = INT64_MAX (found by the jwt fuzz target). When a > b, a - b fits in 64 unsigned bits.
bool later_than(std::int64_t a, std::int64_t b) noexcept {
  return a > b && static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b) >
                      static_cast<std::uint64_t>(kLeewaySeconds);
}

Error invalid_token(std::string why) {
  return {ErrorKind::unauthenticated, std::move(why)};
}

}  // namespace

std::string sign_jwt(const AccessClaims& c, std::string_view secret) {
  static const std::string header = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  const bj::object payload{{"sub", c.subject},    {"org", c.org_id},    {"role", c.role},
                           {"sid", c.session_id}, {"iat", c.issued_at}, {"exp", c.expires_at}};
  std::string token = header + "." + crypto::base64url_encode(bj::serialize(payload));
  token += "." + crypto::base64url_encode(crypto::hmac_sha256(secret, token));
  return token;
}

Result<AccessClaims> verify_jwt(std::string_view token, std::string_view secret, std::int64_t now) {
  if (token.size() > 4096) return invalid_token("The access token is malformed.");
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return invalid_token("The access token is malformed.");
  const auto header = crypto::base64url_decode(token.substr(0, dot1));
  const auto payload = crypto::base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto signature = crypto::base64url_decode(token.substr(dot2 + 1));
  if (!header || !payload || !signature) return invalid_token("The access token is malformed.");
  boost::system::error_code ec;
  const bj::value h = bj::parse(*header, ec);
  if (ec || !h.is_object()) return invalid_token("The access token is malformed.");
  const auto* alg = h.as_object().if_contains("alg");
  if (!alg || !alg->is_string() || alg->as_string() != "HS256")
    return invalid_token("The access token uses an unsupported algorithm.");
  const auto expected = crypto::hmac_sha256(secret, token.substr(0, dot2));
  if (!crypto::constant_time_equals(expected, *signature))
    return invalid_token("The access token signature is invalid.");
  const bj::value p = bj::parse(*payload, ec);
  if (ec || !p.is_object()) return invalid_token("The access token is malformed.");
  const auto& o = p.as_object();
  const auto str = [&](const char* k) -> std::optional<std::string> {
    const auto* v = o.if_contains(k);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
  };
  const auto num = [&](const char* k) -> std::optional<std::int64_t> {
    const auto* v = o.if_contains(k);
    if (!v || !v->is_int64()) return std::nullopt;
    return v->as_int64();
  };
  auto sub = str("sub"), org = str("org"), role = str("role"), sid = str("sid");
  auto iat = num("iat"), exp = num("exp");
  if (!sub || !org || !role || !sid || !iat || !exp)
    return invalid_token("The access token is malformed.");
  // We never issue `nbf`, but a token that carries one must honour it.
  const auto nbf = num("nbf");
  if (o.contains("nbf") && !nbf) return invalid_token("The access token is malformed.");
  if (later_than(now, *exp)) return invalid_token("The access token has expired.");
  if (later_than(*iat, now) || (nbf && later_than(*nbf, now)))
    return invalid_token("The access token is not valid yet.");
  return AccessClaims{*sub, *org, *role, *sid, *iat, *exp};
}

}  // namespace cm::auth
