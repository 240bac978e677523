// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/signing_pages.hpp"

#include "core/markup.hpp"

namespace cm::api {

namespace {

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;"
    "line-height:1.45;color:#222}h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.5em}"
    "code{word-break:break-all}blockquote{border-left:3px solid #ccc;margin:1em 0;"
    "padding-left:1em;white-space:pre-wrap}label{display:block;margin:.8em 0}"
    "input[type=text],textarea{width:100%;padding:.4em;font-size:1em;box-sizing:border-box}"
    "button{font-size:1em;padding:.5em 1.5em;margin-top:.5em}.muted{color:#666;font-size:.9em}";

// default-src 'none': the page loads nothing; forms post only back to this server.
constexpr const char* kPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

http::Response html(int status, const std::string& title, const std::string& body) {
  auto r = http::Response::text(
      status,
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>" +
          escape_markup(title) + "</title><style>" + kStyle + "</style></head><body><main>\n" +
          body + "</main></body></html>\n",
      "text/html; charset=utf-8");
  r.headers.set("Content-Security-Policy", kPolicy);
  r.headers.set("Cache-Control", "no-store");
  return r;
}

}  // namespace

http::Response signing_page_html(const SigningPage& p) {
  const auto e = [](std::string_view s) { return escape_markup(s); };
  std::string b;
  b += "<h1>" + e(p.contract_title) + "</h1>\n";
  b += "<p>" + e(p.requester_name) + " asks you, " + e(p.signer_name) + " (" + e(p.signer_email) +
       "), to sign this contract.</p>\n";
  if (p.message) b += "<blockquote>" + e(*p.message) + "</blockquote>\n";
  if (!p.parties.empty()) {
    b += "<h2>Parties</h2><ul>";
    for (const auto& [name, role] : p.parties) b += "<li>" + e(name) + " (" + e(role) + ")</li>";
    b += "</ul>\n";
  }
  b += "<h2>Document</h2><p><a href=\"" + e(p.link_path) + "/document\">" + e(p.document_name) +
       "</a> (version " + std::to_string(p.document_version) + ", " +
       std::to_string(p.document_size) + " bytes)<br><span class=\"muted\">SHA-256: <code>" +
       e(p.document_sha256) + "</code></span></p>\n";
  if (p.signers.size() > 1) {
    b += "<h2>Signers</h2><ol>";
    for (const auto& [name, status] : p.signers) b += "<li>" + e(name) + ": " + e(status) + "</li>";
    b += "</ol>\n";
  }
  b += "<h2>Sign</h2><form method=\"post\" action=\"" + e(p.link_path) +
       "\"><input type=\"hidden\" name=\"action\" value=\"sign\">"
       "<input type=\"hidden\" name=\"documentSha256\" value=\"" +
       e(p.document_sha256) +
       "\"><label>Your full name<br><input type=\"text\" name=\"fullName\" required "
       "minlength=\"2\" maxlength=\"200\" autocomplete=\"name\"></label>"
       "<label><input type=\"checkbox\" name=\"consent\" value=\"true\" required> I have read "
       "the document above and agree to sign it electronically; my typed name is my "
       "signature.</label><button type=\"submit\">Sign</button></form>\n";
  b += "<h2>Decline</h2><form method=\"post\" action=\"" + e(p.link_path) +
       "\"><input type=\"hidden\" name=\"action\" value=\"decline\"><label>Why do you decline?"
       "<br><textarea name=\"reason\" rows=\"3\" required maxlength=\"2000\"></textarea></label>"
       "<button type=\"submit\">Decline to sign</button></form>\n";
  b += "<p class=\"muted\">This link is personal, works once and expires at " + e(p.expires_at) +
       ". Your IP address and browser are recorded with your answer.</p>\n";
  return html(200, "Sign: " + p.contract_title, b);
}

http::Response message_page_html(int status, const std::string& heading, const std::string& text,
                                 const std::vector<std::string>& details) {
  std::string b = "<h1>" + escape_markup(heading) + "</h1>\n<p>" + escape_markup(text) + "</p>\n";
  if (!details.empty()) {
    b += "<ul>";
    for (const auto& d : details) b += "<li>" + escape_markup(d) + "</li>";
    b += "</ul>\n";
  }
  return html(status, heading, b);
}

}  // namespace cm::api
