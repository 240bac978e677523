// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http/headers.hpp"

namespace cm::http {

// A body produced piece by piece (large downloads), so the server never holds a whole file.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::uint64_t size() const = 0;  // exact number of bytes read() will produce
  // Fills up to `capacity` bytes; returns 0 only at the end.
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::shared_ptr<BodySource> stream;  // when set, replaces `body`
  bool close_connection = false;

  static Response json(int status, std::string body);
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response empty(int status);
};

}  // namespace cm::http
