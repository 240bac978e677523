#pragma once
// An explicit route table built at start-up. Patterns use `{name}` segments:
//   router.add("GET", "/api/v1/contracts/{id}", handler);
// A path that matches a pattern but not the method yields 405 with `Allow`.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace cm::http {

using Handler = std::function<Response(Request&)>;

enum class Access { public_route, authenticated };

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  Access access = Access::authenticated;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler,
           Access access = Access::authenticated);

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
