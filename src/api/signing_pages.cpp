// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/signing_pages.hpp"

#include <cstdio>

#include "core/crypto.hpp"
#include "core/markup.hpp"

namespace cm::api {

namespace {

// The web app's look (web/src/styles/tokens.css and global.css: colours, type, radius,
// spacing, focus ring, under the tokens' own names), repeated here because the page loads
// nothing: change both together. Every pair of text and
// background colours meets WCAG AA. One column up to 720 px, full width with smaller margins on
// phones.
constexpr std::string_view kStyle =
    ":root{--color-bg:#f6f7f9;--color-surface:#fff;--color-border:#d5d9e0;--color-text:#1b1f27;"
    "--color-text-muted:#535b69;--color-primary:#1f4fd1;--color-primary-hover:#173da6;"
    "--color-danger:#b42318;--color-danger-bg:#fef3f2;--color-success:#067647;"
    "--color-success-bg:#ecfdf3;--color-warning:#93370d;--color-warning-bg:#fffaeb;"
    "--color-focus:#1f4fd1;--color-sidebar:#111827;--color-sidebar-text:#e5e7eb;--radius:6px;"
    "--font:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;"
    "--font-mono:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace}"
    "*,*::before,*::after{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;font-family:var(--font);font-size:.9375rem;line-height:1.45;"
    "color:var(--color-text);background:var(--color-bg)}"
    ".bar{display:flex;justify-content:space-between;align-items:center;gap:12px;"
    "padding:12px 24px;background:var(--color-sidebar);color:var(--color-sidebar-text)}"
    ".brand{font-weight:600}.bar-note{font-size:.8125rem}"
    ".page{max-width:720px;margin:0 auto;padding:32px 16px 48px}"
    ".card{background:var(--color-surface);border:1px solid var(--color-border);"
    "border-radius:var(--radius);padding:32px}"
    ".card.problem{border-left:4px solid var(--color-danger)}h1,h2{line-height:1.25;margin:0}"
    "h1{font-size:1.5rem;margin-bottom:8px}h2{font-size:1.125rem;margin-bottom:8px}"
    "p{margin:0 0 8px}ul.details{margin:8px 0 0;padding-left:20px}"
    "section{margin-top:24px;padding-top:24px;border-top:1px solid var(--color-border)}"
    ".eyebrow{margin-bottom:4px;color:var(--color-text-muted);font-size:.8125rem;font-weight:600;"
    "text-transform:uppercase;letter-spacing:.04em}"
    ".muted{color:var(--color-text-muted);font-size:.8125rem}a{color:var(--color-primary)}"
    "a:hover{color:var(--color-primary-hover)}"
    ":focus-visible{outline:2px solid var(--color-focus);outline-offset:2px}"
    "code{font-family:var(--font-mono);font-size:.8125rem;word-break:break-all}"
    "blockquote{margin:16px 0 0;padding:12px 16px;background:var(--color-bg);"
    "border-left:3px solid var(--color-primary);border-radius:0 var(--radius) var(--radius) 0;"
    "white-space:pre-wrap}.list{margin:0;padding:0;list-style:none}"
    ".list li{display:flex;justify-content:space-between;align-items:center;gap:12px;"
    "padding:8px 0;border-bottom:1px solid var(--color-border)}"
    ".list li:last-child{border-bottom:0}"
    ".badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:.8125rem;"
    "font-weight:600;white-space:nowrap}"
    ".badge-signed{background:var(--color-success-bg);color:var(--color-success)}"
    ".badge-declined{background:var(--color-danger-bg);color:var(--color-danger)}"
    ".badge-pending{background:var(--color-warning-bg);color:var(--color-warning)}"
    ".doc{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;margin-bottom:8px}"
    ".doc p{margin:0}"
    ".field{display:flex;flex-direction:column;gap:4px;margin:0 0 16px}"
    "label{font-size:.8125rem;font-weight:600}"
    "input[type=text],textarea{width:100%;min-height:40px;padding:8px 10px;font:inherit;"
    "color:var(--color-text);background:var(--color-surface);"
    "border:1px solid var(--color-border);border-radius:var(--radius)}textarea{resize:vertical}"
    ".check{display:flex;align-items:flex-start;gap:8px;margin:0 0 16px}"
    ".check input{flex:none;width:18px;height:18px;margin:2px 0 0;"
    "accent-color:var(--color-primary)}.check label{font-size:inherit;font-weight:400}"
    ".button{display:inline-flex;align-items:center;justify-content:center;min-height:40px;"
    "padding:8px 16px;font:inherit;font-weight:600;color:var(--color-text);"
    "background:var(--color-surface);border:1px solid var(--color-border);"
    "border-radius:var(--radius);text-decoration:none;cursor:pointer}"
    ".button:hover{color:var(--color-text);background:var(--color-bg)}"
    ".primary{color:#fff;background:var(--color-primary);border-color:var(--color-primary)}"
    ".primary:hover{color:#fff;background:var(--color-primary-hover)}"
    ".danger{color:var(--color-danger);border-color:var(--color-danger)}"
    ".danger:hover{color:var(--color-danger);background:var(--color-danger-bg)}"
    "details{margin-top:16px}"
    "summary{padding:8px 0;color:var(--color-danger);font-weight:600;cursor:pointer}"
    "details form{margin-top:8px}"
    ".footnote{margin:24px 0 0;color:var(--color-text-muted);font-size:.8125rem}"
    "@media (max-width:600px){.bar{padding:12px 16px}.page{padding:16px 12px 32px}.card{"
    "padding:20px 16px}.button{width:100%}}";

// default-src 'none': the page loads nothing; its one inline style is allowed by its hash (no
// 'unsafe-inline'); forms post only back to this server.
const std::string& policy() {
  static const std::string kPolicy =
      "default-src 'none'; style-src 'sha256-" + crypto::base64_encode(crypto::sha256(kStyle)) +
      "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  return kPolicy;
}

http::Response html(int status, const std::string& title, const std::string& body,
                    bool problem = false) {
  auto r = http::Response::text(
      status,
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><meta name=\"color-scheme\" content=\"light\">"
      "<title>" +
          escape_markup(title) + "</title><style>" + std::string(kStyle) +
          "</style></head><body>\n<header class=\"bar\"><span class=\"brand\">contractmgmt</span>"
          "<span class=\"bar-note\">Electronic signature</span></header>\n"
          "<main class=\"page\"><div class=\"card" +
          (problem ? " problem" : "") + "\">\n" + body + "</div></main></body></html>\n",
      "text/html; charset=utf-8");
  r.headers.set("Content-Security-Policy", policy());
  r.headers.set("Cache-Control", "no-store");
  return r;
}

std::string readable_size(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  char out[32];
  const double kib = static_cast<double>(bytes) / 1024.0;
  if (kib < 1024.0)
    std::snprintf(out, sizeof out, "%.1f KB", kib);
  else
    std::snprintf(out, sizeof out, "%.1f MB", kib / 1024.0);
  return out;
}

// "2026-12-17T10:00:00.000Z" as "2026-12-17 10:00 UTC"; anything else as it is.
std::string readable_instant(const std::string& rfc3339) {
  if (rfc3339.size() >= 17 && rfc3339[10] == 'T' && rfc3339.back() == 'Z')
    return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 5) + " UTC";
  return rfc3339;
}

std::string status_badge(const std::string& status) {
  std::string label = status;
  if (status == "pending") label = "Waiting";
  if (status == "signed") label = "Signed";
  if (status == "declined") label = "Declined";
  const bool known = status == "pending" || status == "signed" || status == "declined";
  return "<span class=\"badge" + (known ? " badge-" + status : std::string()) + "\">" +
         escape_markup(label) + "</span>";
}

}  // namespace

http::Response signing_page_html(const SigningPage& p) {
  const auto e = [](std::string_view s) { return escape_markup(s); };
  std::string b;
  b += "<p class=\"eyebrow\">Signature requested</p>\n<h1>" + e(p.contract_title) + "</h1>\n";
  b += "<p>" + e(p.requester_name) + " asks you, " + e(p.signer_name) + " (" + e(p.signer_email) +
       "), to sign this contract.</p>\n";
  if (p.message)
    b += "<blockquote><span class=\"muted\">Message from " + e(p.requester_name) + ":</span>\n" +
         e(*p.message) + "</blockquote>\n";

  b += "<section aria-labelledby=\"document-heading\"><h2 id=\"document-heading\">Document</h2>"
       "<div class=\"doc\"><a class=\"button\" href=\"" +
       e(p.link_path) + "/document\">Open " + e(p.document_name) +
       "</a><p class=\"muted\">Version " + std::to_string(p.document_version) + ", " +
       readable_size(p.document_size) +
       "</p></div>"
       "<p class=\"muted\">SHA-256: <code>" +
       e(p.document_sha256) + "</code></p></section>\n";
  if (!p.parties.empty()) {
    b += "<section aria-labelledby=\"parties-heading\"><h2 id=\"parties-heading\">Parties</h2>"
         "<ul class=\"list\">";
    for (const auto& [name, role] : p.parties)
      b += "<li><span>" + e(name) + "</span><span class=\"muted\">" + e(role) + "</span></li>";
    b += "</ul></section>\n";
  }
  if (p.signers.size() > 1) {
    b += "<section aria-labelledby=\"signers-heading\"><h2 id=\"signers-heading\">Signers</h2>"
         "<ol class=\"list\">";
    for (const auto& [name, status] : p.signers)
      b += "<li><span>" + e(name) + "</span>" + status_badge(status) + "</li>";
    b += "</ol></section>\n";
  }

  b += "<section aria-labelledby=\"sign-heading\"><h2 id=\"sign-heading\">Sign</h2>"
       "<form method=\"post\" action=\"" +
       e(p.link_path) +
       "\"><input type=\"hidden\" name=\"action\" value=\"sign\">"
       "<input type=\"hidden\" name=\"documentSha256\" value=\"" +
       e(p.document_sha256) +
       "\"><div class=\"field\"><label for=\"full-name\">Your full name</label>"
       "<input type=\"text\" id=\"full-name\" name=\"fullName\" required minlength=\"2\" "
       "maxlength=\"200\" autocomplete=\"name\" aria-describedby=\"full-name-hint\">"
       "<span class=\"muted\" id=\"full-name-hint\">Your typed name is your signature.</span>"
       "</div><div class=\"check\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" "
       "value=\"true\" required><label for=\"consent\">I have read the document above and agree "
       "to sign it electronically; my typed name is my signature.</label></div>"
       "<button type=\"submit\" class=\"button primary\">Sign</button></form>\n";
  b += "<details><summary>Decline to sign</summary><form method=\"post\" action=\"" +
       e(p.link_path) +
       "\"><input type=\"hidden\" name=\"action\" value=\"decline\"><div class=\"field\">"
       "<label for=\"reason\">Why do you decline?</label><textarea id=\"reason\" name=\"reason\" "
       "rows=\"3\" required maxlength=\"2000\"></textarea></div>"
       "<button type=\"submit\" class=\"button danger\">Decline to sign</button></form>"
       "</details></section>\n";
  b += "<p class=\"footnote\">This link is personal, works once and expires on <time datetime=\"" +
       e(p.expires_at) + "\">" + e(readable_instant(p.expires_at)) +
       "</time>. Your IP address and browser are recorded with your answer.</p>\n";
  return html(200, "Sign: " + p.contract_title, b);
}

http::Response message_page_html(int status, const std::string& heading, const std::string& text,
                                 const std::vector<std::string>& details) {
  std::string b = "<h1>" + escape_markup(heading) + "</h1>\n<p>" + escape_markup(text) + "</p>\n";
  if (!details.empty()) {
    b += "<ul class=\"details\">";
    for (const auto& d : details) b += "<li>" + escape_markup(d) + "</li>";
    b += "</ul>\n";
  }
  return html(status, heading, b, status >= 400);
}

}  // namespace cm::api
