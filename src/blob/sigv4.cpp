// SPDX-License-Identifier: AGPL-3.0-or-later
#include "blob/sigv4.hpp"

#include <algorithm>
#include <ctime>
#include <map>

#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace cm::blob::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Trims the value and collapses runs of spaces and tabs into one space.
std::string normalize_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Lower-case name -> values joined with ',' (repeated headers), sorted by name.
std::map<std::string, std::string> canonical_header_map(const Pairs& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = out.try_emplace(to_lower(name), normalize_value(value));
    if (!inserted) it->second += "," + normalize_value(value);
  }
  return out;
}

void set_header(Pairs& headers, std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return to_lower(h.first) == name; });
  headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace

std::string uri_encode(std::string_view text, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (is_unreserved(c) || (c == '/' && !encode_slash)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  const auto n = std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return {buffer, n};
}

std::string canonical_query_string(const Pairs& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(uri_encode(name, true), uri_encode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string canonical_headers(const Pairs& headers) {
  std::string out;
  for (const auto& [name, value] : canonical_header_map(headers)) {
    out += name;
    out += ':';
    out += value;
    out += '\n';
  }
  return out;
}

std::string signed_headers(const Pairs& headers) {
  std::string out;
  for (const auto& entry : canonical_header_map(headers)) {
    if (!out.empty()) out += ';';
    out += entry.first;
  }
  return out;
}

std::string canonical_request(const Request& request) {
  std::string out = request.method;
  out += '\n';
  out += request.canonical_uri.empty() ? "/" : request.canonical_uri;
  out += '\n';
  out += canonical_query_string(request.query);
  out += '\n';
  out += canonical_headers(request.headers);
  out += '\n';
  out += signed_headers(request.headers);
  out += '\n';
  out += request.payload_sha256;
  return out;
}

std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service) {
  std::string out(date);
  out += '/';
  out += region;
  out += '/';
  out += service;
  out += "/aws4_request";
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out += '\n';
  out += amz_date;
  out += '\n';
  out += scope;
  out += '\n';
  out += crypto::sha256_hex(canonical_request);
  return out;
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
  std::string key = "AWS4";
  key += secret;
  key = crypto::hmac_sha256(key, date);
  key = crypto::hmac_sha256(key, region);
  key = crypto::hmac_sha256(key, service);
  return crypto::hmac_sha256(key, "aws4_request");
}

std::string signature(std::string_view signing_key, std::string_view string_to_sign) {
  return crypto::hex_encode(crypto::hmac_sha256(signing_key, string_to_sign));
}

std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view signature) {
  std::string out(kAlgorithm);
  out += " Credential=";
  out += access_key_id;
  out += '/';
  out += scope;
  out += ", SignedHeaders=";
  out += signed_headers;
  out += ", Signature=";
  out += signature;
  return out;
}

std::string sign(Request& request, const Credentials& credentials, std::string_view region,
                 std::string_view service, std::chrono::system_clock::time_point at) {
  const std::string date_time = amz_date(at);
  set_header(request.headers, "x-amz-date", date_time);
  if (!credentials.session_token.empty()) {
    set_header(request.headers, "x-amz-security-token", credentials.session_token);
  }
  if (service == "s3") set_header(request.headers, "x-amz-content-sha256", request.payload_sha256);

  const std::string scope = credential_scope(date_stamp(date_time), region, service);
  const std::string to_sign = string_to_sign(date_time, scope, canonical_request(request));
  const std::string key =
      signing_key(credentials.secret_access_key, date_stamp(date_time), region, service);
  return authorization_header(credentials.access_key_id, scope, signed_headers(request.headers),
                              signature(key, to_sign));
}

}  // namespace cm::blob::sigv4
