// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/router.hpp"

#include <algorithm>

namespace cm::http {
namespace {

// Splits "/a/b/" into {"a", "b", ""}: a trailing slash is an empty last segment, so `/x/` does
// not match `/x`. A path that does not start with '/' matches nothing.
bool split_path(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

bool is_param(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, Access access) {
  add_route(Route{std::move(method), std::move(pattern), std::move(handler), access, {}});
}

void Router::add(std::string method, std::string pattern, Handler handler,
                 AsyncHandler async_handler, Access access) {
  add_route(Route{std::move(method), std::move(pattern), std::move(handler), access,
                  std::move(async_handler)});
}

void Router::add_upload(std::string method, std::string pattern, Handler handler,
                        std::size_t limit) {
  add_route(Route{
      std::move(method), std::move(pattern), std::move(handler), Access::authenticated, {}, limit});
}

void Router::add_route(Route route) {
  Pattern pattern;
  std::vector<std::string_view> segments;
  // A pattern that does not start with '/' can match no path: it gets no length bucket.
  const bool usable = split_path(route.pattern, segments);
  for (const auto segment : segments) {
    const bool param = is_param(segment);
    pattern.segments.push_back(
        {std::string(param ? segment.substr(1, segment.size() - 2) : segment), param});
    pattern.literal.push_back(!param);
  }
  const std::size_t index = routes_.size();
  routes_.push_back(std::move(route));
  if (usable) {
    if (by_length_.size() <= segments.size()) by_length_.resize(segments.size() + 1);
    by_length_[segments.size()].push_back(index);
  }
  patterns_.push_back(std::move(pattern));
}

namespace {

bool segments_match(const std::vector<std::string_view>& path, const auto& pattern) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto& segment = pattern.segments[i];
    if (segment.param ? path[i].empty() : segment.text != path[i]) return false;
  }
  return true;
}

}  // namespace

std::size_t Router::find_best(std::string_view method,
                              const std::vector<std::string_view>& path) const {
  std::size_t best = std::string_view::npos;
  for (const std::size_t i : by_length_[path.size()]) {
    if (routes_[i].method != method || !segments_match(path, patterns_[i])) continue;
    // Strictly more specific replaces; ties keep the route added first.
    if (best == std::string_view::npos || patterns_[i].literal > patterns_[best].literal) best = i;
  }
  return best;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  std::vector<std::string_view> segments;
  segments.reserve(8);
  if (!split_path(path, segments) || segments.size() >= by_length_.size()) return result;

  // HEAD is served by the GET route unless a HEAD route exists; the server drops the body.
  std::size_t best = find_best(method, segments);
  if (best == std::string_view::npos && method == "HEAD") best = find_best("GET", segments);
  if (best != std::string_view::npos) {
    result.route = &routes_[best];
    const auto& pattern = patterns_[best];
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (pattern.segments[i].param)
        result.params.emplace_back(pattern.segments[i].text, std::string(segments[i]));
    return result;
  }

  const auto allow = [&](const std::string& m) {
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), m) ==
        result.allowed_methods.end())
      result.allowed_methods.push_back(m);
  };
  for (const std::size_t i : by_length_[segments.size()]) {
    if (!segments_match(segments, patterns_[i])) continue;
    allow(routes_[i].method);
    if (routes_[i].method == "GET") allow("HEAD");
  }
  return result;
}

}  // namespace cm::http
