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

// Matches `path` against `pattern`. On success fills `params` and `specificity` (one flag per
// segment, true for a literal) so that literal segments win over parameters, leftmost first.
bool match_pattern(std::string_view pattern, const std::vector<std::string_view>& path,
                   std::vector<std::pair<std::string, std::string>>* params,
                   std::vector<bool>* specificity) {
  std::vector<std::string_view> segments;
  if (!split_path(pattern, segments) || segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (is_param(segments[i])) {
      if (path[i].empty()) return false;
    } else if (segments[i] != path[i]) {
      return false;
    }
  }
  if (specificity) {
    specificity->clear();
    for (auto s : segments) specificity->push_back(!is_param(s));
  }
  if (params) {
    params->clear();
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (is_param(segments[i]))
        params->emplace_back(std::string(segments[i].substr(1, segments[i].size() - 2)),
                             std::string(path[i]));
  }
  return true;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, Access access) {
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler), access, {}});
}

void Router::add(std::string method, std::string pattern, Handler handler,
                 AsyncHandler async_handler, Access access) {
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler), access,
                          std::move(async_handler)});
}

void Router::add_upload(std::string method, std::string pattern, Handler handler,
                        std::size_t limit) {
  routes_.push_back(Route{
      std::move(method), std::move(pattern), std::move(handler), Access::authenticated, {}, limit});
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  std::vector<std::string_view> segments;
  if (!split_path(path, segments)) return result;

  // HEAD is served by the GET route unless a HEAD route exists; the server drops the body.
  const auto find_best = [&](std::string_view wanted) {
    const Route* best = nullptr;
    std::vector<bool> best_specificity;
    std::vector<std::pair<std::string, std::string>> best_params;
    std::vector<bool> specificity;
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& route : routes_) {
      if (route.method != wanted) continue;
      if (!match_pattern(route.pattern, segments, &params, &specificity)) continue;
      // Strictly more specific replaces; ties keep the route added first.
      if (!best || specificity > best_specificity) {
        best = &route;
        best_specificity = std::move(specificity);
        best_params = std::move(params);
      }
    }
    result.route = best;
    result.params = std::move(best_params);
    return best != nullptr;
  };
  if (find_best(method)) return result;
  if (method == "HEAD" && find_best("GET")) return result;

  for (const auto& route : routes_) {
    if (!match_pattern(route.pattern, segments, nullptr, nullptr)) continue;
    const auto add = [&](const std::string& m) {
      if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), m) ==
          result.allowed_methods.end())
        result.allowed_methods.push_back(m);
    };
    add(route.method);
    if (route.method == "GET") add("HEAD");
  }
  return result;
}

}  // namespace cm::http
