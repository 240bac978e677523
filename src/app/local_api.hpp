// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The API's route table called in-process, without a socket, for commands that must change data
// exactly the way the API does (`seed --demo`): the same handlers, validation, transactions,
// audit events, notifications and jobs. The caller names who acts (the principal the pipeline's
// authentication would have produced); there is no token, no access log and no metrics.
//
// Any answer of 400 or more becomes a std::runtime_error naming the request and the problem, so
// a script of calls stops at the first one the API refuses.

#include <boost/json/value.hpp>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.hpp"
#include "http/router.hpp"

namespace cm::app {

class LocalApi {
 public:
  // `spool_dir`: where uploads are written before the handler reads them (the server spools
  // upload bodies to a file too); private, on the same file system as DATA_DIR.
  LocalApi(http::Router router, std::filesystem::path spool_dir);

  // `method` `target` (a path with an optional query of plain, unencoded values) with a JSON
  // body (null: none) as `caller` (null: nobody signed in, public routes only). Returns the
  // response's JSON (null for an empty body).
  boost::json::value call(const Principal* caller, std::string_view method, std::string_view target,
                          const boost::json::value& body = nullptr);
  boost::json::value post(const Principal& caller, std::string_view target,
                          const boost::json::value& body) {
    return call(&caller, "POST", target, body);
  }
  boost::json::value get(const Principal& caller, std::string_view target) {
    return call(&caller, "GET", target);
  }
  // A raw upload (`Content-Type` and `Content-Disposition: attachment; filename=...`).
  boost::json::value upload(const Principal& caller, std::string_view target,
                            std::string_view filename, std::string_view content_type,
                            std::string_view bytes);

 private:
  struct Call {
    const Principal* caller = nullptr;
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::filesystem::path spooled;  // the upload's file, when there is one
  };
  boost::json::value dispatch(Call call);

  http::Router router_;
  std::filesystem::path spool_dir_;
  int calls_ = 0;
};

}  // namespace cm::app
