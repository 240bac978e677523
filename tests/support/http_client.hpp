// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A small synchronous HTTP client for integration tests (libcurl behind a pimpl, so test files
// never see curl.h). One connection per client is kept alive between requests, like a browser.
// Transport failures (connection refused, timeout) throw TransportError (a std::runtime_error); any
// HTTP status, including 4xx/5xx, is a normal response.

#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cm::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A transport failure: the request got no HTTP response. Derives from std::runtime_error, so
// code that catches that keeps working.
class TransportError : public std::runtime_error {
 public:
  TransportError(const std::string& what, int curl_code, bool connect_failed,
                 bool reused_connection)
      : std::runtime_error(what),
        curl_code_(curl_code),
        connect_failed_(connect_failed),
        reused_connection_(reused_connection) {}
  int curl_code() const noexcept { return curl_code_; }
  // No connection could be made (refused, unreachable, connect timeout): nothing was sent.
  bool connect_failed() const noexcept { return connect_failed_; }
  // The request went out on a connection that an earlier request had already opened.
  bool reused_connection() const noexcept { return reused_connection_; }

 private:
  int curl_code_;
  bool connect_failed_;
  bool reused_connection_;
};

struct HttpResponse {
  long status = 0;
  // Lower-case names; repeated headers are joined with ", " (Set-Cookie with "\n").
  std::map<std::string, std::string> headers;
  std::string body;

  // Parses the body; throws if it is not JSON (the message includes status and body).
  boost::json::value json() const;
  // Case-insensitive; "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

class HttpClient {
 public:
  // e.g. "http://127.0.0.1:8123"; paths passed to request() are appended verbatim.
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const std::string& base_url() const noexcept { return base_url_; }

  // Sent as `Authorization: Bearer <token>` unless a request sets Authorization itself.
  void set_token(std::string token) { token_ = std::move(token); }
  void clear_token() { token_.reset(); }
  const std::optional<std::string>& token() const noexcept { return token_; }

  // Whole-request timeout (default 30 s).
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

  // Any method. A body without a Content-Type header is sent without one (curl's form default
  // is suppressed), so tests can check the 415 path. A header with an empty value is omitted.
  HttpResponse request(std::string method, std::string path, std::string body = {},
                       HeaderList headers = {});

  HttpResponse get(std::string path, HeaderList headers = {});
  HttpResponse head(std::string path, HeaderList headers = {});
  HttpResponse del(std::string path, HeaderList headers = {});
  HttpResponse post(std::string path, std::string body, HeaderList headers = {});
  HttpResponse put(std::string path, std::string body, HeaderList headers = {});
  HttpResponse patch(std::string path, std::string body, HeaderList headers = {});
  // JSON bodies with `Content-Type: application/json`.
  HttpResponse post_json(std::string path, const boost::json::value& body, HeaderList headers = {});
  HttpResponse put_json(std::string path, const boost::json::value& body, HeaderList headers = {});
  HttpResponse patch_json(std::string path, const boost::json::value& body,
                          HeaderList headers = {});

 private:
  struct Impl;
  std::string base_url_;
  std::optional<std::string> token_;
  std::chrono::milliseconds timeout_{30'000};
  std::unique_ptr<Impl> impl_;
};

}  // namespace cm::test
