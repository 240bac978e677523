// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/response_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <string>

namespace cm::test {

namespace {

bool is_json_type(std::string_view content_type) {
  const auto base = content_type.substr(0, content_type.find(';'));
  return base == "application/json" || base == "application/problem+json";
}

// The log's descriptor, opened once; -1 when CM_RESPONSE_LOG is unset or cannot be opened.
int log_fd() {
  static const int fd = [] {
    const char* path = std::getenv("CM_RESPONSE_LOG");  // NOLINT(concurrency-mt-unsafe)
    if (path == nullptr || *path == '\0') return -1;
    return ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }();
  return fd;
}

}  // namespace

void log_response(std::string_view method, std::string_view target, long status,
                  std::string_view content_type, std::string_view body) {
  const int fd = log_fd();
  if (fd < 0 || !is_json_type(content_type)) return;
  boost::json::object line{{"method", method},
                           {"path", target.substr(0, target.find('?'))},
                           {"status", status},
                           {"contentType", content_type},
                           {"body", body}};
  // One write per line with O_APPEND: lines of concurrent test processes never interleave.
  const std::string text = boost::json::serialize(line) + "\n";
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    std::abort();  // a lost line would let an undescribed response pass unchecked
}

}  // namespace cm::test
