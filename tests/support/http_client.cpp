// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/http_client.hpp"

#include <curl/curl.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>
#include <stdexcept>

#include "core/strings.hpp"
#include "support/response_log.hpp"

namespace cm::test {
namespace {

bool has_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (to_lower(k) == name) return true;
  }
  return false;
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const std::string_view line(data, size * count);
  // A new status line (after 100 Continue or a redirect) starts a fresh header block.
  if (line.starts_with("HTTP/")) {
    response->headers.clear();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  const std::string name = to_lower(trim(line.substr(0, colon)));
  const std::string value(trim(line.substr(colon + 1)));
  auto [it, inserted] = response->headers.emplace(name, value);
  if (!inserted) it->second += (name == "set-cookie" ? "\n" : ", ") + value;
  return size * count;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

boost::json::value HttpResponse::json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) {
    throw std::runtime_error("response is not JSON (status " + std::to_string(status) +
                             "): " + ec.message() + "; body: " + body.substr(0, 2000));
  }
  return value;
}

std::string HttpResponse::header(std::string_view name) const {
  const auto it = headers.find(to_lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

bool HttpResponse::has_header(std::string_view name) const {
  return headers.find(to_lower(name)) != headers.end();
}

struct HttpClient::Impl {
  CURL* curl = nullptr;
  Impl() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl = curl_easy_init();
    if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  }
  ~Impl() { curl_easy_cleanup(curl); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
};

HttpClient::HttpClient(std::string base_url)
    : base_url_(std::move(base_url)), impl_(std::make_unique<Impl>()) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::request(std::string method, std::string path, std::string body,
                                 HeaderList headers) {
  CURL* curl = impl_->curl;
  // Reset clears the previous request's options but keeps the open connection for keep-alive.
  curl_easy_reset(curl);

  const std::string url = base_url_ + path;
  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {};

  if (token_ && !has_header(headers, "authorization")) {
    headers.emplace_back("Authorization", "Bearer " + *token_);
  }
  // curl would otherwise add its own defaults.
  if (!has_header(headers, "content-type")) headers.emplace_back("Content-Type", "");
  if (!has_header(headers, "expect")) headers.emplace_back("Expect", "");

  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  for (const auto& [name, value] : headers) {
    // An empty value ("Name:") tells curl to drop that header rather than send it empty.
    const std::string line = value.empty() ? name + ":" : name + ": " + value;
    curl_slist* next = curl_slist_append(header_list.get(), line.c_str());
    if (next == nullptr) throw std::runtime_error("curl_slist_append failed");
    static_cast<void>(header_list.release());
    header_list.reset(next);
  }

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // Tests talk to loopback; a developer's http_proxy must never intercept them.
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &write_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &write_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);

  if (method == "GET" && body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
  }

  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    long new_connects = 0;
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connects);
    const bool connect_failed = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST;
    throw TransportError(method + " " + url + " failed: " +
                             (error_buffer[0] != '\0' ? std::string(error_buffer)
                                                      : std::string(curl_easy_strerror(rc))),
                         static_cast<int>(rc), connect_failed,
                         !connect_failed && new_connects == 0);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  log_response(method, path, response.status, response.header("content-type"), response.body);
  return response;
}

HttpResponse HttpClient::get(std::string path, HeaderList headers) {
  return request("GET", std::move(path), {}, std::move(headers));
}
HttpResponse HttpClient::head(std::string path, HeaderList headers) {
  return request("HEAD", std::move(path), {}, std::move(headers));
}
HttpResponse HttpClient::del(std::string path, HeaderList headers) {
  return request("DELETE", std::move(path), {}, std::move(headers));
}
HttpResponse HttpClient::post(std::string path, std::string body, HeaderList headers) {
  return request("POST", std::move(path), std::move(body), std::move(headers));
}
HttpResponse HttpClient::put(std::string path, std::string body, HeaderList headers) {
  return request("PUT", std::move(path), std::move(body), std::move(headers));
}
HttpResponse HttpClient::patch(std::string path, std::string body, HeaderList headers) {
  return request("PATCH", std::move(path), std::move(body), std::move(headers));
}

namespace {
HeaderList with_json_type(HeaderList headers) {
  if (!has_header(headers, "content-type"))
    headers.emplace_back("Content-Type", "application/json");
  return headers;
}
}  // namespace

HttpResponse HttpClient::post_json(std::string path, const boost::json::value& body,
                                   HeaderList headers) {
  return request("POST", std::move(path), boost::json::serialize(body),
                 with_json_type(std::move(headers)));
}
HttpResponse HttpClient::put_json(std::string path, const boost::json::value& body,
                                  HeaderList headers) {
  return request("PUT", std::move(path), boost::json::serialize(body),
                 with_json_type(std::move(headers)));
}
HttpResponse HttpClient::patch_json(std::string path, const boost::json::value& body,
                                    HeaderList headers) {
  return request("PATCH", std::move(path), boost::json::serialize(body),
                 with_json_type(std::move(headers)));
}

}  // namespace cm::test
