// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The first-run setup token. While the database has no user, `serve` prints a setup URL with
// this token and `POST /api/v1/setup` accepts it to create the organization and its first admin.
// It is derived from the JWT secret (an HMAC under a purpose of its own), so every server of an
// installation and `contractmgmt setup-url` agree on it without storing anything, and it is as
// secret as the key that signs the sessions. It stops working once any user exists.

#include <string>
#include <string_view>

namespace cm::auth {

// base64url of HMAC-SHA256(jwt_secret, "first-run setup\n"): 43 characters.
std::string setup_token(std::string_view jwt_secret);

// Whether `candidate` is the setup token, compared in constant time.
bool is_setup_token(std::string_view jwt_secret, std::string_view candidate);

// The page of the web app that completes the setup: "<base>/setup?token=<token>".
std::string setup_url(std::string_view base_url, std::string_view jwt_secret);

}  // namespace cm::auth
