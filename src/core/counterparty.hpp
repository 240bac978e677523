// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Counterparties: the companies and people our contracts are with.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "core/contract.hpp"
#include "core/result.hpp"

namespace cm {

struct Counterparty {
  std::string id;
  std::string org_id;
  std::string name;
  std::string kind = "company";  // company | person
  std::optional<std::string> registration_number;
  std::optional<std::string> country;  // ISO 3166-1 alpha-2
  std::optional<std::string> address;
  std::optional<std::string> contact_name;
  std::optional<std::string> contact_email;
  std::optional<std::string> notes;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Validates a create (all required fields) or update (only given fields) body and applies it.
Result<Counterparty> apply_counterparty_body(Counterparty base, const boost::json::object& body,
                                             ChangeMode mode);

boost::json::object to_json(const Counterparty& c);

bool is_valid_email(std::string_view email) noexcept;
bool is_country_code(std::string_view code) noexcept;

}  // namespace cm
