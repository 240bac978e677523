// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Serves the built web UI from a directory: content types by extension, ETag and Last-Modified
// with 304s, `Cache-Control: immutable` for hashed assets (Vite's `assets/name-HASH.ext`),
// SPA fallback to index.html for unknown non-API paths, and no path traversal.

#include <filesystem>
#include <optional>

#include "http/request.hpp"
#include "http/response.hpp"

namespace cm::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  // A response for GET/HEAD of `request.path`, or nullopt when the path is not ours to serve
  // (API paths, or no web root).
  std::optional<Response> serve(const Request& request) const;

 private:
  std::filesystem::path root_;
};

}  // namespace cm::http
