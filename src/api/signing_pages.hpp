// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The small, self-contained HTML pages of a signing link (GET /sign/{token}), for signers who
// arrive from an e-mail without the web UI: the document's facts, a link to its bytes, and plain
// HTML forms (no JavaScript) posting back to the same URL to sign or decline. Every value is
// HTML-escaped; the pages load nothing else. They look like the web app (its colours, type and
// spacing in one inline style, which the Content-Security-Policy allows by its SHA-256 alone).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/response.hpp"

namespace cm::api {

struct SigningPage {
  std::string link_path;  // /sign/<token>
  std::string contract_title;
  std::vector<std::pair<std::string, std::string>> parties;  // name, role
  std::string requester_name;
  std::optional<std::string> message;
  std::string signer_name;
  std::string signer_email;
  std::string document_name;
  int document_version = 0;
  std::uint64_t document_size = 0;
  std::string document_sha256;
  std::string expires_at;                                    // RFC 3339
  std::vector<std::pair<std::string, std::string>> signers;  // name, status
};

// The signing page (200).
http::Response signing_page_html(const SigningPage& page);
// A page with a heading and a message (results and errors), with `status`.
http::Response message_page_html(int status, const std::string& heading, const std::string& text,
                                 const std::vector<std::string>& details = {});

}  // namespace cm::api
