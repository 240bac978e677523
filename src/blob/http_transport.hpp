// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// One HTTP request at a time over libcurl, for the S3 client. curl.h stays inside
// http_transport.cpp. Thread-safe: each call takes an easy handle from a small pool (so
// connections are reused) and returns it afterwards.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cm::blob {

struct HttpRequest {
  std::string method;                                        // GET, HEAD, PUT, POST, DELETE
  std::string url;                                           // absolute, already encoded
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given
  std::string_view body;                                     // PUT and POST
};

struct HttpResponse {
  long status = 0;              // 0 when the request failed before a response (see transport_error)
  std::string transport_error;  // curl's message, e.g. "Connection refused"
  bool timed_out = false;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header of that (lower-case) name.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpTimeouts {
  std::chrono::milliseconds connect{10'000};
  // A transfer slower than low_speed_bytes per second for low_speed_time is aborted (stalled
  // connection); there is no total limit, so large parts on slow links still finish.
  std::chrono::seconds low_speed_time{30};
  long low_speed_bytes = 1024;
};

class HttpTransport {
 public:
  explicit HttpTransport(HttpTimeouts timeouts, std::size_t max_idle_handles = 8);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Performs the request. The response body is kept up to `max_body` bytes; a longer body aborts
  // the transfer with a transport error. Never throws for network or HTTP failures.
  HttpResponse perform(const HttpRequest& request, std::size_t max_body) const;

  // Parses an HTTP date (RFC 1123 and the older forms) to Unix seconds.
  static std::optional<std::int64_t> parse_http_date(const std::string& text);

 private:
  struct Pool;
  HttpTimeouts timeouts_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace cm::blob
