#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/contract.hpp"
#include "core/contract_query.hpp"
#include "store/database.hpp"

namespace cm::store {

struct ContractPage {
  std::vector<Contract> items;
  std::optional<Cursor> next;
};

class ContractRepository {
 public:
  explicit ContractRepository(Connection& conn) : conn_(conn) {}

  void insert(const Contract& c);
  std::optional<Contract> find(std::string_view org_id, std::string_view id);
  // find() split in two for AsyncDatabase: the statement (parameters: org id, id) and the
  // reading of its result.
  static const std::string& find_sql();
  static std::optional<Contract> found(const QueryResult& result);
  ContractPage list(std::string_view org_id, const ContractQuery& query);
  // Writes every field and bumps the version; false when `expected_version` is stale.
  bool update(const Contract& c, std::int64_t expected_version);
  bool remove(std::string_view org_id, std::string_view id);
  // Contracts not in a final state, per organization (the contracts_active_total gauge).
  std::map<std::string, std::int64_t> count_active_by_org();

 private:
  void write_side_tables(const Contract& c);
  Connection& conn_;
};

// The value a contract sorts by for a sort field, as stored in a cursor.
SortKey contract_sort_key(const Contract& c, std::string_view field);

}  // namespace cm::store
