// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/setup_token.hpp"

#include "core/crypto.hpp"

namespace cm::auth {

std::string setup_token(std::string_view jwt_secret) {
  return crypto::base64url_encode(crypto::hmac_sha256(jwt_secret, "first-run setup\n"));
}

bool is_setup_token(std::string_view jwt_secret, std::string_view candidate) {
  return crypto::constant_time_equals(setup_token(jwt_secret), candidate);
}

std::string setup_url(std::string_view base_url, std::string_view jwt_secret) {
  std::string url(base_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/setup?token=" + setup_token(jwt_secret);
}

}  // namespace cm::auth
