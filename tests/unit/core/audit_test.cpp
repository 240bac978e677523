// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/audit.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

AuditEvent event(std::int64_t seq, const std::string& prev_hash) {
  AuditEvent e;
  e.id = "0190a1b2-0000-7000-8000-" + std::string(12 - std::to_string(seq).size(), '0') +
         std::to_string(seq);
  e.org_id = "0190a1b2-0000-7000-8000-0000000000bb";
  e.seq = seq;
  e.actor_id = "0190a1b2-0000-7000-8000-0000000000cc";
  e.actor_type = "user";
  e.action = "contract.updated";
  e.entity_type = "contract";
  e.entity_id = "0190a1b2-0000-7000-8000-0000000000dd";
  e.at = 1'700'000'000'000 + seq;
  e.changes = bj::parse(R"({"title": {"from": "A", "to": "B"}})");
  e.request_id = "req-" + std::to_string(seq);
  e.ip = "203.0.113.7";
  e.prev_hash = prev_hash;
  e.hash = compute_audit_hash(e);
  e.contract_id = audit_contract_id(e);
  return e;
}

std::vector<AuditEvent> chain(int n) {
  std::vector<AuditEvent> events;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    events.push_back(event(i, prev));
    prev = events.back().hash;
  }
  return events;
}

std::optional<ChainBreak> verify_from_start(const std::vector<AuditEvent>& events) {
  std::string prev = kGenesisHash;
  std::int64_t seq = 0;
  return verify_chain(events, prev, seq);
}

TEST(AuditContractId, IsTheContractItselfOrTheContractItsChildNames) {
  auto e = event(1, kGenesisHash);
  EXPECT_EQ(audit_contract_id(e), e.entity_id);
  e.entity_type = "document";
  e.entity_id = "0190a1b2-0000-7000-8000-0000000000ee";
  e.changes = bj::parse(R"({"contractId": "0190a1b2-0000-7000-8000-0000000000dd", "version": 1})");
  EXPECT_EQ(audit_contract_id(e), "0190a1b2-0000-7000-8000-0000000000dd");
  e.changes = bj::parse(R"({"contractId": 7})");
  EXPECT_EQ(audit_contract_id(e), std::nullopt);
  e.entity_type = "user";
  e.changes = nullptr;
  EXPECT_EQ(audit_contract_id(e), std::nullopt);
  EXPECT_EQ(make_audit_event({"org", "actor", "user", "req", "ip"}, "document.generated",
                             "document", "doc", bj::object{{"contractId", "c-1"}})
                .contract_id,
            "c-1");
}

TEST(AuditChain, ReportsAnEventMovedToAnotherContractsTrail) {
  auto events = chain(3);
  ASSERT_FALSE(verify_from_start(events));
  events[1].contract_id = "0190a1b2-0000-7000-8000-0000000000ff";  // hash still matches
  const auto broken = verify_from_start(events);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 2);
  EXPECT_NE(broken->reason.find("contract_id"), std::string::npos);
  events[1].contract_id.reset();  // hidden from the contract's trail
  EXPECT_TRUE(verify_from_start(events));
}

TEST(AuditHash, IsDeterministicLowerHexSha256) {
  const auto e = event(1, kGenesisHash);
  const auto h = compute_audit_hash(e);
  EXPECT_EQ(h, compute_audit_hash(e));
  EXPECT_EQ(h, compute_audit_hash(AuditEvent(e)));
  ASSERT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(h, crypto::sha256_hex(audit_canonical_form(e)));
}

TEST(AuditHash, CanonicalFormCoversEveryFieldButTheHash) {
  auto e = event(1, kGenesisHash);
  const auto form = audit_canonical_form(e);
  // Sorted keys, no whitespace.
  EXPECT_EQ(form.rfind(R"({"action":"contract.updated","actorId":)", 0), 0u) << form;
  EXPECT_EQ(form.find("\"hash\""), std::string::npos);
  e.hash = "something else";
  EXPECT_EQ(audit_canonical_form(e), form);
  // The order of keys inside `changes` does not matter.
  auto a = event(1, kGenesisHash);
  auto b = event(1, kGenesisHash);
  a.changes = bj::parse(R"({"x": {"from": 1, "to": 2}, "y": {"from": 3, "to": 4}})");
  b.changes = bj::parse(R"({"y": {"to": 4, "from": 3}, "x": {"to": 2, "from": 1}})");
  EXPECT_EQ(compute_audit_hash(a), compute_audit_hash(b));
}

TEST(AuditHash, ChangesInAnyFieldChangeTheHash) {
  const auto base = event(5, std::string(64, 'a'));
  const auto h = compute_audit_hash(base);
  const std::vector<std::pair<const char*, std::function<void(AuditEvent&)>>> edits = {
      {"id", [](AuditEvent& e) { e.id.back() = 'f'; }},
      {"org_id", [](AuditEvent& e) { e.org_id.back() = 'f'; }},
      {"seq", [](AuditEvent& e) { e.seq += 1; }},
      {"actor_id", [](AuditEvent& e) { e.actor_id.back() = 'f'; }},
      {"actor_type", [](AuditEvent& e) { e.actor_type = "api_key"; }},
      {"action", [](AuditEvent& e) { e.action = "contract.deleted"; }},
      {"entity_type", [](AuditEvent& e) { e.entity_type = "counterparty"; }},
      {"entity_id", [](AuditEvent& e) { e.entity_id.back() = 'f'; }},
      {"at", [](AuditEvent& e) { e.at += 1; }},
      {"changes", [](AuditEvent& e) { e.changes.as_object()["title"].as_object()["to"] = "C"; }},
      {"changes null", [](AuditEvent& e) { e.changes = nullptr; }},
      {"request_id", [](AuditEvent& e) { e.request_id += "x"; }},
      {"ip", [](AuditEvent& e) { e.ip = "203.0.113.8"; }},
      {"prev_hash", [](AuditEvent& e) { e.prev_hash.back() = 'b'; }},
  };
  for (const auto& [name, edit] : edits) {
    AuditEvent e = base;
    edit(e);
    EXPECT_NE(compute_audit_hash(e), h) << name;
  }
}

TEST(AuditHash, FieldBoundariesCannotBeShifted) {
  // Moving characters from one field to the next must not keep the hash.
  auto a = event(1, kGenesisHash);
  auto b = a;
  a.entity_type = "contract";
  a.entity_id = "x";
  b.entity_type = "contractx";
  b.entity_id = "";
  EXPECT_NE(compute_audit_hash(a), compute_audit_hash(b));
}

TEST(AuditChain, IntactChainVerifies) {
  const auto events = chain(10);
  std::string prev = kGenesisHash;
  std::int64_t seq = 0;
  EXPECT_FALSE(verify_chain(events, prev, seq));
  EXPECT_EQ(seq, 10);
  EXPECT_EQ(prev, events.back().hash);
  EXPECT_FALSE(verify_from_start({}));
}

TEST(AuditChain, VerifiesInBatchesContinuingFromThePreviousRun) {
  const auto events = chain(6);
  std::string prev = kGenesisHash;
  std::int64_t seq = 0;
  EXPECT_FALSE(
      verify_chain(std::vector<AuditEvent>(events.begin(), events.begin() + 3), prev, seq));
  EXPECT_EQ(seq, 3);
  EXPECT_FALSE(verify_chain(std::vector<AuditEvent>(events.begin() + 3, events.end()), prev, seq));
  EXPECT_EQ(seq, 6);
}

TEST(AuditChain, DetectsAnEditedEvent) {
  auto events = chain(5);
  events[2].action = "contract.deleted";  // hash left as it was
  const auto br = verify_from_start(events);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 3);
  EXPECT_EQ(br->event_id, events[2].id);
  EXPECT_NE(br->reason.find("edited"), std::string::npos) << br->reason;
}

TEST(AuditChain, DetectsAnEditedEventWhoseHashWasRecomputed) {
  auto events = chain(5);
  events[2].changes = nullptr;
  events[2].hash = compute_audit_hash(events[2]);
  // The next event still points at the old hash.
  const auto br = verify_from_start(events);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 4);
  EXPECT_NE(br->reason.find("prevHash"), std::string::npos) << br->reason;
}

TEST(AuditChain, DetectsADeletedEvent) {
  auto events = chain(5);
  events.erase(events.begin() + 2);
  const auto br = verify_from_start(events);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 4);
  EXPECT_NE(br->reason.find("sequence jumps from 2 to 4"), std::string::npos) << br->reason;
}

TEST(AuditChain, DetectsDeletionOfTheFirstEvent) {
  auto events = chain(3);
  events.erase(events.begin());
  const auto br = verify_from_start(events);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 2);
}

TEST(AuditChain, DetectsReordering) {
  auto events = chain(5);
  std::swap(events[1], events[2]);
  const auto br = verify_from_start(events);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 3);
  EXPECT_NE(br->reason.find("sequence"), std::string::npos) << br->reason;
}

TEST(AuditChain, DetectsReorderingWithRenumberedSequence) {
  // Swap two events and renumber them so seq is consecutive again: their hashes break.
  auto events = chain(5);
  std::swap(events[1], events[2]);
  events[1].seq = 2;
  events[2].seq = 3;
  const auto br = verify_from_start(events);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 2);
}

TEST(AuditChain, DetectsAWrongPrevHash) {
  auto events = chain(4);
  events[1].prev_hash = std::string(64, 'f');
  events[1].hash = compute_audit_hash(events[1]);  // self-consistent, but not linked
  const auto br = verify_from_start(events);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 2);
  EXPECT_EQ(br->reason, "prevHash does not match the previous event's hash");
}

TEST(AuditChain, FirstEventMustFollowGenesis) {
  auto events = chain(2);
  std::string prev = std::string(64, '1');
  std::int64_t seq = 0;
  const auto br = verify_chain(events, prev, seq);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->seq, 1);
  EXPECT_EQ(kGenesisHash, std::string(64, '0'));
}

TEST(AuditChain, StateIsNotAdvancedPastABreak) {
  auto events = chain(5);
  events[3].ip = "198.51.100.1";
  std::string prev = kGenesisHash;
  std::int64_t seq = 0;
  ASSERT_TRUE(verify_chain(events, prev, seq));
  EXPECT_EQ(seq, 3);
  EXPECT_EQ(prev, events[2].hash);
}

TEST(AuditDiff, ReportsChangedAddedAndRemovedKeys) {
  const auto before =
      bj::parse(R"({"title": "A", "tags": ["x"], "gone": 1, "same": {"a": 1, "b": 2}})")
          .as_object();
  const auto after =
      bj::parse(R"({"title": "B", "tags": ["x", "y"], "new": true, "same": {"b": 2, "a": 1}})")
          .as_object();
  const auto diff = diff_objects(before, after);
  EXPECT_EQ(diff, bj::parse(R"({
      "title": {"from": "A", "to": "B"},
      "tags": {"from": ["x"], "to": ["x", "y"]},
      "gone": {"from": 1, "to": null},
      "new": {"from": null, "to": true}})"));
}

TEST(AuditDiff, IdenticalObjectsGiveNull) {
  const auto o = bj::parse(R"({"a": 1, "b": [1, 2]})").as_object();
  EXPECT_TRUE(diff_objects(o, o).is_null());
  EXPECT_TRUE(diff_objects({}, {}).is_null());
}

TEST(AuditDiff, NullAndAbsentAreTheSame) {
  const auto before = bj::parse(R"({"a": null})").as_object();
  EXPECT_TRUE(diff_objects(before, {}).is_null());
}

TEST(AuditJson, Shape) {
  const auto e = event(1, kGenesisHash);
  const auto j = to_json(e);
  EXPECT_EQ(j.at("seq").as_int64(), 1);
  EXPECT_EQ(j.at("at").as_string(), "2023-11-14T22:13:20.001Z");
  EXPECT_EQ(j.at("hash").as_string(), e.hash);
  EXPECT_EQ(j.at("prevHash").as_string(), kGenesisHash);
  EXPECT_EQ(j.at("changes"), e.changes);
  EXPECT_EQ(j.size(), 14u);
}

}  // namespace
}  // namespace cm
