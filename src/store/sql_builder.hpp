// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Assembles a statement from fixed SQL fragments while every value travels as a bound
// parameter: `where.add("status = " + b.bind(status))`. No user text ever becomes SQL.

#include <string>
#include <vector>

#include "store/database.hpp"

namespace cm::store {

class SqlBuilder {
 public:
  // Adds a parameter and returns its placeholder ($n).
  std::string bind(Param value) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(params_.size());
  }
  // Placeholders for a list: "$3, $4, $5".
  template <class Range>
  std::string bind_list(const Range& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + bind(Param{v});
    return out;
  }
  void where(const std::string& condition) {
    where_ += (where_.empty() ? " WHERE " : " AND ") + condition;
  }
  const std::string& where_clause() const noexcept { return where_; }
  const std::vector<Param>& params() const noexcept { return params_; }

 private:
  std::vector<Param> params_;
  std::string where_;
};

}  // namespace cm::store
