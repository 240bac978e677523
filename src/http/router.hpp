// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// An explicit route table built at start-up. Patterns use `{name}` segments:
//   router.add("GET", "/api/v1/contracts/{id}", handler);
// A path that matches a pattern but not the method yields 405 with `Allow`. Patterns are split
// into segments once, when added; a match splits only the request's path.

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace cm::http {

using Handler = std::function<Response(Request&)>;

// The non-blocking form of a handler, for hot routes whose work is one asynchronous query: it
// starts the work and returns; `done` is then called exactly once, from any thread, with the
// response, or with the exception the blocking handler would have thrown (`error` non-null).
// `Request&` stays valid until `done` is called. It must never block.
using Done = std::function<void(std::exception_ptr error, Response response)>;
using AsyncHandler = std::function<void(Request&, Done)>;

enum class Access { public_route, authenticated };

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  Access access = Access::authenticated;
  AsyncHandler async_handler;  // optional; `handler` stays the fallback (and the SQLite path)
  // Non-zero for upload routes: the body, up to this many bytes, is spooled to a temporary file
  // (Request::spooled) instead of memory.
  std::size_t upload_limit = 0;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler,
           Access access = Access::authenticated);
  // A route with both forms; the server prefers `async_handler` when it can use it.
  void add(std::string method, std::string pattern, Handler handler, AsyncHandler async_handler,
           Access access = Access::authenticated);

  // An upload route: its body is spooled to a file, up to `limit` bytes.
  void add_upload(std::string method, std::string pattern, Handler handler, std::size_t limit);

  using Match = RouteMatch;
  // The most specific route for `method` (HEAD falls back to GET), else the methods the path
  // allows. Literal segments win over parameters, leftmost first; ties keep the route added first.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  // A pattern split once, at add(): a literal segment's text, or a parameter's name.
  struct Segment {
    std::string text;
    bool param = false;
  };
  struct Pattern {
    std::vector<Segment> segments;
    std::vector<bool> literal;  // per segment: the specificity compared between candidates
  };
  void add_route(Route route);
  // The index in routes_ of the best route for `method`, or npos.
  std::size_t find_best(std::string_view method, const std::vector<std::string_view>& path) const;

  std::vector<Route> routes_;
  std::vector<Pattern> patterns_;  // patterns_[i] is routes_[i].pattern, split
  // by_length_[n]: indices (in order of registration) of the routes with n segments.
  std::vector<std::vector<std::size_t>> by_length_;
};

}  // namespace cm::http
