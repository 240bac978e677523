#pragma once
// Case-insensitive HTTP header list, independent of the transport library so that handlers and
// middleware never include Beast.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/strings.hpp"

namespace cm::http {

// ASCII case-insensitive equality (core/strings.hpp), as header names compare.
using cm::iequals;

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  std::optional<std::string_view> get(std::string_view name) const noexcept;
  bool has(std::string_view name) const noexcept { return get(name).has_value(); }
  // Replaces every field of that name.
  void set(std::string_view name, std::string value);
  // Keeps existing fields of that name (for Set-Cookie, Vary, ...).
  void add(std::string_view name, std::string value);
  void erase(std::string_view name);

  const std::vector<Field>& fields() const noexcept { return fields_; }
  auto begin() const noexcept { return fields_.begin(); }
  auto end() const noexcept { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace cm::http
