#pragma once
// An explicit route table built at start-up. Patterns use `{name}` segments:
//   router.add("GET", "/api/v1/contracts/{id}", handler);
// A path that matches a pattern but not the method yields 405 with `Allow`.

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

  struct Match {
    const Route* route = nullptr;  // null: no route for this method
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> allowed_methods;  // non-empty when the path matched another method
  };
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace cm::http
