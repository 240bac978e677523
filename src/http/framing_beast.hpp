// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The bridge from a Beast request head to the framing checks (framing.hpp). Only
// http_session.cpp and the http_request fuzz target include it: Beast stays out of every other
// header.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/framing.hpp"

namespace cm::http {

// The head as the framing checks see it; views into `head`, valid while it lives.
template <class Fields>
RequestHead view_of(const boost::beast::http::request_header<Fields>& head) {
  RequestHead out;
  out.method = head.method_string();
  out.method_known = head.method() != boost::beast::http::verb::unknown;
  out.version = head.version();
  out.target = head.target();
  for (const auto& field : head) out.fields.push_back({field.name_string(), field.value()});
  return out;
}

}  // namespace cm::http
