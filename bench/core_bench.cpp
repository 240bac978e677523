// SPDX-License-Identifier: AGPL-3.0-or-later
// Micro-benchmarks of the hot pure-domain paths: request parsing/validation, serialization,
// audit hashing, cursors and money parsing.

#include <benchmark/benchmark.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "core/audit.hpp"
#include "core/contract.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "core/pagination.hpp"

namespace cm {
namespace {

// A realistic create body of about 1 KB.
const std::string& contract_body() {
  static const std::string body = R"json({
  "title": "Master services agreement - Acme Consulting GmbH (2024-2026)",
  "type": "msa",
  "description": "Framework agreement covering consulting, implementation and support services for the ERP migration programme. Statements of work are issued per phase; rates are fixed for the first 24 months.",
  "parties": [
    {"counterpartyId": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "role": "supplier"},
    {"counterpartyId": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", "role": "customer"},
    {"counterpartyId": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d", "role": "guarantor"}
  ],
  "ownerId": "0190a1b2-0000-7000-8000-000000000001",
  "value": {"amount": "1250000.00", "currency": "EUR"},
  "effectiveDate": "2024-01-01",
  "expirationDate": "2026-12-31",
  "autoRenew": true,
  "renewalTermMonths": 12,
  "noticePeriodDays": 90,
  "tags": ["it", "consulting", "erp", "strategic", "framework"],
  "customFields": {"costCenter": "CC-4711", "businessUnit": "Group IT", "priority": 1, "confidential": true, "procurementRef": "PO-2023-11-0042"}
})json";
  return body;
}

void BM_ContractParseValidate(benchmark::State& state) {
  const auto& body = contract_body();
  for (auto _ : state) {
    auto object = json::parse_object(body);
    auto changes = parse_contract_changes(*object, ChangeMode::create);
    Contract k;
    apply_changes(k, *changes);
    auto errors = validate_contract(k, default_contract_types());
    benchmark::DoNotOptimize(errors);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ContractParseValidate);

Contract sample_contract() {
  auto object = json::parse_object(contract_body());
  Contract k;
  apply_changes(k, *parse_contract_changes(*object, ChangeMode::create));
  k.id = "0190a1b2-0000-7000-8000-0000000000aa";
  k.org_id = "0190a1b2-0000-7000-8000-0000000000bb";
  k.created_by = k.owner_id;
  k.created_at = 1'700'000'000'123;
  k.updated_at = 1'700'000'500'456;
  return k;
}

void BM_ContractToJson(benchmark::State& state) {
  const Contract k = sample_contract();
  for (auto _ : state) {
    std::string out = boost::json::serialize(to_json(k));
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ContractToJson);

void BM_AuditHash(benchmark::State& state) {
  AuditEvent e;
  e.id = "0190a1b2-0000-7000-8000-000000000101";
  e.org_id = "0190a1b2-0000-7000-8000-0000000000bb";
  e.seq = 4711;
  e.actor_id = "0190a1b2-0000-7000-8000-000000000001";
  e.actor_type = "user";
  e.action = "contract.updated";
  e.entity_type = "contract";
  e.entity_id = "0190a1b2-0000-7000-8000-0000000000aa";
  e.at = 1'700'000'000'123;
  e.changes = diff_objects(to_json(sample_contract()), [] {
    auto j = to_json(sample_contract());
    j["title"] = "Master services agreement (amended)";
    j["noticePeriodDays"] = 60;
    return j;
  }());
  e.request_id = "req-0190a1b2";
  e.ip = "203.0.113.7";
  e.prev_hash = std::string(64, 'a');
  for (auto _ : state) {
    std::string h = compute_audit_hash(e);
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_AuditHash);

void BM_CursorEncode(benchmark::State& state) {
  const Cursor c{"-createdAt", std::int64_t{1'700'000'000'123},
                 "0190a1b2-0000-7000-8000-0000000000aa"};
  for (auto _ : state) {
    std::string text = encode_cursor(c);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_CursorEncode);

void BM_CursorDecode(benchmark::State& state) {
  const std::string text = encode_cursor(
      {"-createdAt", std::int64_t{1'700'000'000'123}, "0190a1b2-0000-7000-8000-0000000000aa"});
  for (auto _ : state) {
    auto c = decode_cursor(text, "-createdAt");
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_CursorDecode);

void BM_MoneyParse(benchmark::State& state) {
  for (auto _ : state) {
    auto minor = parse_amount("1250000.50", "EUR");
    benchmark::DoNotOptimize(minor);
  }
}
BENCHMARK(BM_MoneyParse);

}  // namespace
}  // namespace cm
