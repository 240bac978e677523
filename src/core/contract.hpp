// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The contract aggregate as stored and as the API shows it, plus the parsing and validation of
// client input. One parser serves create and update: a request becomes a ContractChanges (which
// fields were given), applied onto a contract, and the merged result is validated as a whole
// (so a PATCH cannot sneak in an expiration before the effective date).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace cm {

inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxParties = 50;
inline constexpr std::size_t kMaxCustomFields = 50;

// The types an organization starts with; organizations may replace the list.
const std::vector<std::string>& default_contract_types();

struct ContractParty {
  std::string counterparty_id;
  std::string role;
  bool operator==(const ContractParty&) const = default;
};

struct Contract {
  std::string id;
  std::string org_id;
  std::string title;
  std::string type = "other";
  std::string status = "draft";
  std::string description;
  std::vector<ContractParty> parties;
  std::string owner_id;
  std::optional<Money> value;
  std::optional<std::string> effective_date;   // YYYY-MM-DD
  std::optional<std::string> expiration_date;  // YYYY-MM-DD
  bool auto_renew = false;
  bool legal_hold = false;  // documents may not be deleted while set
  std::optional<int> renewal_term_months;
  std::optional<int> notice_period_days;
  std::vector<std::string> tags;
  boost::json::object custom_fields;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::string created_by;
  // Lifecycle (set by transitions, never by a PATCH).
  std::optional<std::int64_t> activated_at;  // unix ms
  std::optional<std::int64_t> terminated_at;
  std::optional<std::string> termination_reason;
  std::optional<std::int64_t> signed_at;
  int renewal_count = 0;
  bool archived = false;
  // Set by POST .../terminate: the day the termination takes effect (a later date keeps the
  // contract in force until then; the daily job terminates it on that day).
  std::optional<std::string> termination_effective_date;  // YYYY-MM-DD
  // Related contracts: this contract's parent and how it relates to it (amendment, sow, ...).
  std::optional<std::string> parent_id;
  std::optional<std::string> relation;
  // An amendment's terms that replace the parent's when the amendment becomes active
  // ("value", "expirationDate").
  std::vector<std::string> applies_to_parent;
};

// How a contract relates to its parent.
inline constexpr std::string_view kContractRelations[] = {"amendment", "sow", "renewal", "addendum",
                                                          "order"};
// Terms of an amendment that may replace the parent's on activation.
inline constexpr std::string_view kAmendableTerms[] = {"value", "expirationDate"};

// Fields present in a create or update request. For nullable fields the outer optional says
// "given", the inner one the value (nullopt = clear it).
struct ContractChanges {
  std::optional<std::string> title;
  std::optional<std::string> type;
  std::optional<std::string> description;
  std::optional<std::vector<ContractParty>> parties;
  std::optional<std::string> owner_id;
  std::optional<std::optional<Money>> value;
  std::optional<std::optional<std::string>> effective_date;
  std::optional<std::optional<std::string>> expiration_date;
  std::optional<bool> auto_renew;
  std::optional<std::optional<int>> renewal_term_months;
  std::optional<std::optional<int>> notice_period_days;
  std::optional<std::vector<std::string>> tags;
  std::optional<boost::json::object> custom_fields;
  std::optional<bool> legal_hold;
  std::optional<std::optional<std::string>> parent_id;
  std::optional<std::optional<std::string>> relation;
  std::optional<std::vector<std::string>> applies_to_parent;

  bool empty() const noexcept;
};

enum class ChangeMode { create, update };

// Parses the JSON body. Type errors, unknown fields and per-field rules become field errors.
Result<ContractChanges> parse_contract_changes(const boost::json::object& body, ChangeMode mode);

// Applies changes onto a contract (fields not given stay as they are).
void apply_changes(Contract& contract, const ContractChanges& changes);

// Rules on the merged contract: type allowed for the organization, dates ordered, renewal term
// given when autoRenew is on, a relation exactly when there is a parent (and not itself), terms
// applied to the parent only by amendments that carry them.
std::vector<FieldError> validate_contract(const Contract& contract,
                                          const std::vector<std::string>& allowed_types);

boost::json::object to_json(const Contract& contract);
boost::json::value money_to_json(const std::optional<Money>& value);

}  // namespace cm
