// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/lifecycle.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "support/literals.hpp"

namespace cm {
namespace {

namespace bj = boost::json;
using S = ContractState;

constexpr const char* kOwner = "0190a1b2-0000-7000-8000-000000000001";
constexpr const char* kNotOwner = "0190a1b2-0000-7000-8000-000000000002";
constexpr const char* kCp1 = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
constexpr const char* kCp2 = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";

// The lifecycle as the issue describes it, written out independently of the implementation's
// table: 'U' a user may request it (the system may too), 'S' only the system performs it.
const std::map<std::pair<S, S>, char>& expected_moves() {
  static const std::map<std::pair<S, S>, char> kMoves = {
      {{S::draft, S::in_review}, 'U'},
      {{S::draft, S::cancelled}, 'U'},
      {{S::in_review, S::draft}, 'U'},
      {{S::in_review, S::approved}, 'S'},
      {{S::in_review, S::cancelled}, 'U'},
      {{S::approved, S::draft}, 'U'},
      {{S::approved, S::out_for_signature}, 'S'},
      {{S::approved, S::cancelled}, 'U'},
      {{S::out_for_signature, S::draft}, 'S'},
      {{S::out_for_signature, S::approved}, 'S'},
      {{S::out_for_signature, S::active}, 'S'},
      {{S::out_for_signature, S::cancelled}, 'U'},
      {{S::active, S::expired}, 'S'},
      {{S::active, S::terminated}, 'U'},
      {{S::active, S::renewed}, 'U'},
      {{S::renewed, S::expired}, 'S'},
      {{S::renewed, S::terminated}, 'U'},
      {{S::renewed, S::renewed}, 'U'},
  };
  return kMoves;
}

char expected(S from, S to) {
  auto it = expected_moves().find({from, to});
  return it == expected_moves().end() ? '-' : it->second;
}

std::vector<std::string> expected_user_targets(S from) {
  std::vector<std::string> out;
  for (auto to : kAllContractStates)
    if (expected(from, to) == 'U') out.emplace_back(to_string(to));
  return out;
}

Principal principal(Role role, std::string user_id = kOwner) {
  Principal p;
  p.org_id = "org";
  p.actor_id = user_id;
  p.user_id = std::move(user_id);
  p.role = role;
  return p;
}

std::vector<std::string> string_array(const bj::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

TEST(Lifecycle, StateNamesRoundTrip) {
  const std::vector<std::string> names = {
      "draft",   "in_review",  "approved", "out_for_signature", "active",
      "expired", "terminated", "renewed",  "cancelled"};
  ASSERT_EQ(names.size(), kAllContractStates.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(to_string(kAllContractStates[i]), names[i]);
    EXPECT_EQ(parse_contract_state(names[i]), kAllContractStates[i]);
  }
  EXPECT_FALSE(parse_contract_state("Draft"));
  EXPECT_FALSE(parse_contract_state("archived"));  // a flag, not a state
  EXPECT_FALSE(parse_contract_state(""));
}

TEST(Lifecycle, FinalInForceAndArchivableStates) {
  for (auto s : kAllContractStates) {
    const bool final_state = s == S::expired || s == S::terminated || s == S::cancelled;
    EXPECT_EQ(is_final(s), final_state) << to_string(s);
    EXPECT_EQ(can_archive(s), final_state) << to_string(s);
    EXPECT_EQ(is_in_force(s), s == S::active || s == S::renewed) << to_string(s);
  }
}

TEST(Lifecycle, TableMatchesTheIssueExactly) {
  std::map<std::pair<S, S>, char> actual;
  for (const auto& t : transition_table())
    actual[{t.from, t.to}] = t.trigger == Trigger::user ? 'U' : 'S';
  EXPECT_EQ(actual, expected_moves());
}

// Every one of the 81 (from, to) pairs, performed by the system: legal iff in the table.
TEST(Lifecycle, EveryPairForTheSystem) {
  for (auto from : kAllContractStates) {
    for (auto to : kAllContractStates) {
      const TransitionContext context{.actor = Actor::system, .reason = "job"};
      const auto r = check_transition(from, to, context);
      const bool legal = expected(from, to) != '-';
      EXPECT_EQ(r.ok(), legal) << to_string(from) << " -> " << to_string(to);
      if (r.ok()) {
        EXPECT_EQ(r->from, from);
        EXPECT_EQ(r->to, to);
      } else {
        EXPECT_EQ(r.error().kind(), ErrorKind::conflict);
      }
    }
  }
}

// Every pair requested by an admin through the API: only user transitions pass; every refusal
// is a 409 listing the user's allowed next states.
TEST(Lifecycle, EveryPairForAUser) {
  const auto admin = principal(Role::admin, kNotOwner);
  for (auto from : kAllContractStates) {
    for (auto to : kAllContractStates) {
      const TransitionContext context{.principal = &admin, .owner_id = kOwner, .reason = "because"};
      const auto r = check_transition(from, to, context);
      const std::string what = std::string(to_string(from)) + " -> " + std::string(to_string(to));
      EXPECT_EQ(r.ok(), expected(from, to) == 'U') << what;
      if (r.ok()) continue;
      ASSERT_EQ(r.error().kind(), ErrorKind::conflict) << what;
      const auto extra = bj::parse(r.error().extra_json()).as_object();
      EXPECT_EQ(extra.at("currentStatus").as_string(), to_string(from)) << what;
      EXPECT_EQ(string_array(extra.at("allowedNextStates")), expected_user_targets(from)) << what;
    }
  }
}

TEST(Lifecycle, AllowedNextStatesPerActor) {
  EXPECT_EQ(allowed_next_states(S::in_review, Actor::user),
            (std::vector<S>{S::draft, S::cancelled}));
  EXPECT_EQ(allowed_next_states(S::in_review, Actor::system),
            (std::vector<S>{S::draft, S::approved, S::cancelled}));
  EXPECT_EQ(allowed_next_states(S::out_for_signature, Actor::user), (std::vector<S>{S::cancelled}));
  for (auto s : {S::expired, S::terminated, S::cancelled}) {
    EXPECT_TRUE(allowed_next_states(s, Actor::system).empty()) << to_string(s);
  }
}

TEST(Lifecycle, SystemOnlyMoveExplainsWhenItHappens) {
  const auto admin = principal(Role::admin);
  const auto r =
      check_transition(S::in_review, S::approved, {.principal = &admin, .owner_id = kOwner});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail().find("last required approval"), std::string::npos)
      << r.error().detail();
  const auto closed = check_transition(S::cancelled, S::draft, {.actor = Actor::system});
  ASSERT_FALSE(closed.ok());
  EXPECT_NE(closed.error().detail().find("none"), std::string::npos) << closed.error().detail();
  EXPECT_EQ(closed.error().extra_json(), R"({"currentStatus":"cancelled","allowedNextStates":[]})");
}

TEST(Lifecycle, WhoMayRequestAUserTransition) {
  const auto admin = principal(Role::admin, kNotOwner);
  const auto manager = principal(Role::manager, kNotOwner);
  const auto owner = principal(Role::member, kOwner);
  const auto other_member = principal(Role::member, kNotOwner);
  const auto viewer = principal(Role::viewer, kOwner);
  const auto request = [](const Principal* p) {
    return check_transition(S::draft, S::in_review, {.principal = p, .owner_id = kOwner});
  };
  EXPECT_TRUE(request(&admin).ok());
  EXPECT_TRUE(request(&manager).ok());
  EXPECT_TRUE(request(&owner).ok());
  for (const Principal* refused :
       {&other_member, &viewer, static_cast<const Principal*>(nullptr)}) {
    const auto r = request(refused);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::forbidden);
  }
}

TEST(Lifecycle, IllegalMoveIsAConflictEvenForAViewer) {
  // The state rule is checked first: a viewer learns the move is impossible, not forbidden.
  const auto viewer = principal(Role::viewer);
  const auto r = check_transition(S::draft, S::active, {.principal = &viewer, .owner_id = kOwner});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::conflict);
}

TEST(Lifecycle, TerminationNeedsAReason) {
  const auto owner = principal(Role::member);
  for (const char* blank : {"", "   ", "\n\t"}) {
    const auto r = check_transition(S::active, S::terminated,
                                    {.principal = &owner, .owner_id = kOwner, .reason = blank});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::validation);
    ASSERT_EQ(r.error().fields().size(), 1u);
    EXPECT_EQ(r.error().fields()[0].field, "comment");
  }
  const auto ok = check_transition(S::renewed, S::terminated,
                                   {.principal = &owner, .owner_id = kOwner, .reason = "breach"});
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->sets_terminated_at);
  // Other moves do not need one.
  EXPECT_TRUE(
      check_transition(S::draft, S::cancelled, {.principal = &owner, .owner_id = kOwner}).ok());
}

TEST(Lifecycle, EffectsOfTransitions) {
  const auto row = [](S from, S to) {
    const Transition* t = find_transition(from, to);
    EXPECT_NE(t, nullptr) << to_string(from) << " -> " << to_string(to);
    return t ? *t : Transition{};
  };
  EXPECT_EQ(row(S::draft, S::in_review).event, "contract.submitted");
  EXPECT_FALSE(row(S::draft, S::in_review).voids_approval);
  EXPECT_TRUE(row(S::in_review, S::draft).voids_approval);
  EXPECT_TRUE(row(S::in_review, S::cancelled).voids_approval);
  EXPECT_FALSE(row(S::in_review, S::approved).voids_approval);
  const auto declined = row(S::out_for_signature, S::approved);
  EXPECT_TRUE(declined.voids_signature_requests);
  EXPECT_FALSE(declined.voids_approval);  // the approval stands; only the signing starts over
  const auto cancelled = row(S::out_for_signature, S::cancelled);
  EXPECT_TRUE(cancelled.voids_approval && cancelled.voids_signature_requests);
  const auto activated = row(S::out_for_signature, S::active);
  EXPECT_EQ(activated.event, "contract.activated");
  EXPECT_TRUE(activated.sets_activated_at);
  EXPECT_FALSE(activated.voids_signature_requests);
  EXPECT_TRUE(row(S::active, S::terminated).reason_required);
  EXPECT_EQ(row(S::active, S::expired).event, "contract.expired");
  EXPECT_EQ(row(S::renewed, S::renewed).event, "contract.renewed");
  EXPECT_EQ(find_transition(S::draft, S::draft), nullptr);
  for (const auto& t : transition_table()) {
    EXPECT_EQ(t.event.substr(0, 9), "contract.");
    EXPECT_FALSE(t.when.empty());
    EXPECT_EQ(t.sets_activated_at, t.to == S::active);
    EXPECT_EQ(t.sets_terminated_at, t.to == S::terminated);
  }
}

// --- Material edits ----------------------------------------------------------------------------

Contract sample(std::string status = "draft") {
  Contract k;
  k.id = "c1";
  k.title = "MSA";
  k.status = std::move(status);
  k.owner_id = kOwner;
  k.parties = {{kCp1, "supplier"}, {kCp2, "customer"}};
  k.value = Money{100000, "EUR"};
  k.effective_date = "2026-01-01";
  k.expiration_date = "2026-12-31";
  k.auto_renew = true;
  k.renewal_term_months = 12;
  k.notice_period_days = 90;
  k.tags = {"it"};
  return k;
}

std::vector<std::string> names(const std::vector<MaterialField>& fields) {
  std::vector<std::string> out;
  for (auto f : fields) out.emplace_back(to_string(f));
  return out;
}

TEST(MaterialEdit, EachMaterialField) {
  const Contract base = sample();
  const auto changed = [&](auto mutate, bool document = false) {
    Contract after = base;
    mutate(after);
    return names(material_changes(base, after, document));
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(changed([](Contract& k) { k.value = Money{100001, "EUR"}; }), V{"value"});
  EXPECT_EQ(changed([](Contract& k) { k.value = Money{100000, "USD"}; }), V{"value"});
  EXPECT_EQ(changed([](Contract& k) { k.value.reset(); }), V{"value"});
  EXPECT_EQ(changed([](Contract& k) { k.effective_date = "2026-01-02"; }), V{"effectiveDate"});
  EXPECT_EQ(changed([](Contract& k) { k.expiration_date.reset(); }), V{"expirationDate"});
  EXPECT_EQ(changed([](Contract& k) { k.parties.pop_back(); }), V{"parties"});
  EXPECT_EQ(changed([](Contract& k) { k.parties[0].role = "reseller"; }), V{"parties"});
  EXPECT_EQ(changed([](Contract& k) { k.auto_renew = false; }), V{"renewalTerms"});
  EXPECT_EQ(changed([](Contract& k) { k.renewal_term_months = 24; }), V{"renewalTerms"});
  EXPECT_EQ(changed([](Contract& k) { k.notice_period_days = 30; }), V{"renewalTerms"});
  EXPECT_EQ(changed([](Contract&) {}, true), V{"mainDocument"});
  EXPECT_EQ(changed(
                [](Contract& k) {
                  k.value = Money{1, "EUR"};
                  k.expiration_date = "2027-12-31";
                },
                true),
            (V{"value", "expirationDate", "mainDocument"}));
}

TEST(MaterialEdit, NonMaterialChanges) {
  const Contract base = sample();
  Contract after = base;
  after.title = "Master services agreement";
  after.description = "new words";
  after.tags = {"it", "legal"};
  after.owner_id = kNotOwner;
  after.type = "msa";
  after.legal_hold = true;
  after.custom_fields["costCenter"] = "CC-1";
  std::swap(after.parties[0], after.parties[1]);  // order of parties is not a term
  EXPECT_TRUE(material_changes(base, after, false).empty());
}

TEST(MaterialEdit, WhatAnEditDoesInEachState) {
  for (auto state : kAllContractStates) {
    const Contract before = sample(std::string(to_string(state)));
    Contract after = before;
    after.value = Money{200000, "EUR"};
    after.parties.pop_back();
    const auto r = decide_edit(before, after, false);
    const std::string what(to_string(state));
    switch (state) {
      case S::draft:
        ASSERT_TRUE(r.ok()) << what;
        EXPECT_FALSE(r->returns_to_draft);
        EXPECT_FALSE(r->voids_approval);
        EXPECT_EQ(names(r->material), (std::vector<std::string>{"value", "parties"}));
        break;
      case S::in_review:
      case S::approved:
      case S::out_for_signature:
        ASSERT_TRUE(r.ok()) << what;
        EXPECT_TRUE(r->returns_to_draft) << what;
        EXPECT_TRUE(r->voids_approval) << what;
        EXPECT_TRUE(r->voids_signature_requests) << what;
        EXPECT_EQ(r->reason, "material edit: value, parties") << what;
        // The move back is itself a legal system transition.
        EXPECT_TRUE(check_transition(state, S::draft, {.actor = Actor::system}).ok()) << what;
        break;
      case S::active:
      case S::renewed:
      case S::expired:
      case S::terminated:
      case S::cancelled: {
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.error().kind(), ErrorKind::conflict) << what;
        const auto extra = bj::parse(r.error().extra_json()).as_object();
        EXPECT_EQ(string_array(extra.at("materialFields")),
                  (std::vector<std::string>{"value", "parties"}));
        if (is_in_force(state)) {
          EXPECT_NE(r.error().detail().find("amendment"), std::string::npos) << what;
        }
        break;
      }
    }
  }
}

TEST(MaterialEdit, NonMaterialEditsApplyInEveryState) {
  for (auto state : kAllContractStates) {
    const Contract before = sample(std::string(to_string(state)));
    Contract after = before;
    after.tags = {"renamed"};
    after.owner_id = kNotOwner;
    const auto r = decide_edit(before, after, false);
    ASSERT_TRUE(r.ok()) << to_string(state);
    EXPECT_TRUE(r->material.empty());
    EXPECT_FALSE(r->returns_to_draft);
    EXPECT_FALSE(r->voids_approval);
    EXPECT_FALSE(r->voids_signature_requests);
  }
}

TEST(MaterialEdit, NewMainDocumentVersionOnAnActiveContractIsRefused) {
  const Contract active = sample("active");
  const auto r = decide_edit(active, active, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().extra_json(), R"({"materialFields":["mainDocument"]})");
  const Contract approved = sample("approved");
  const auto back = decide_edit(approved, approved, true);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->returns_to_draft);
  EXPECT_EQ(back->reason, "material edit: mainDocument");
}

TEST(MaterialEdit, UnknownStatusIsABug) {
  const Contract odd = sample("archived");
  const auto r = decide_edit(odd, odd, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::internal);
}

// --- Derived dates -----------------------------------------------------------------------------

TEST(DerivedDates, NoticeDeadlineCountsCalendarDays) {
  EXPECT_EQ(format_date(notice_deadline(test::civil_date("2026-12-31"), 90)), "2026-10-02");
  EXPECT_EQ(format_date(notice_deadline(test::civil_date("2026-12-31"), 0)), "2026-12-31");
  EXPECT_EQ(format_date(notice_deadline(test::civil_date("2027-01-15"), 30)), "2026-12-16");
  EXPECT_EQ(format_date(notice_deadline(test::civil_date("2024-03-01"), 1)),
            "2024-02-29");  // leap year
  EXPECT_EQ(format_date(notice_deadline(test::civil_date("2025-03-01"), 1)), "2025-02-28");
  EXPECT_EQ(format_date(notice_deadline(test::civil_date("2025-01-01"), 365)), "2024-01-02");
}

TEST(DerivedDates, DaysToExpiry) {
  EXPECT_EQ(days_to_expiry(test::civil_date("2026-12-31"), test::civil_date("2026-12-31")), 0);
  EXPECT_EQ(days_to_expiry(test::civil_date("2026-12-31"), test::civil_date("2026-12-30")), 1);
  EXPECT_EQ(days_to_expiry(test::civil_date("2026-12-31"), test::civil_date("2027-01-02")), -2);
  EXPECT_EQ(days_to_expiry(test::civil_date("2024-03-01"), test::civil_date("2024-02-01")), 29);
  EXPECT_EQ(days_to_expiry(test::civil_date("2025-03-01"), test::civil_date("2025-02-01")), 28);
  EXPECT_EQ(days_to_expiry(test::civil_date("2027-01-01"), test::civil_date("2026-01-01")), 365);
}

TEST(DerivedDates, OfAContract) {
  Contract k = sample("active");
  auto r = derived_dates(k, test::civil_date("2026-12-01"));
  ASSERT_TRUE(r.notice_deadline);
  EXPECT_EQ(format_date(*r.notice_deadline), "2026-10-02");
  EXPECT_EQ(r.days_to_expiry, 30);

  k.notice_period_days.reset();  // no notice period: the deadline is the expiration itself
  r = derived_dates(k, test::civil_date("2026-12-01"));
  ASSERT_TRUE(r.notice_deadline);
  EXPECT_EQ(format_date(*r.notice_deadline), "2026-12-31");

  k.status = "terminated";  // a closed contract does not count down
  r = derived_dates(k, test::civil_date("2026-12-01"));
  EXPECT_TRUE(r.notice_deadline);
  EXPECT_FALSE(r.days_to_expiry);

  k.expiration_date.reset();
  r = derived_dates(k, test::civil_date("2026-12-01"));
  EXPECT_FALSE(r.notice_deadline);
  EXPECT_FALSE(r.days_to_expiry);
}

TEST(Lifecycle, ParseTransitionTarget) {
  auto ok = parse_transition_target("in_review");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, S::in_review);
  auto bad = parse_transition_target("archived");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::validation);
  ASSERT_EQ(bad.error().fields().size(), 1u);
  EXPECT_EQ(bad.error().fields()[0].field, "to");
  EXPECT_NE(bad.error().fields()[0].message.find("out_for_signature"), std::string::npos);
}

// --- The daily expiry job ------------------------------------------------------------------------

std::string describe(const ExpiryDecision& e) {
  switch (e.action) {
    case ExpiryAction::none:
      return "none";
    case ExpiryAction::expire:
      return "expire";
    case ExpiryAction::renew:
      return "renew to " + (e.new_expiration ? format_date(*e.new_expiration) : "?") + " (" +
             std::to_string(e.terms) + ")";
    case ExpiryAction::terminate:
      return "terminate";
  }
  return "?";
}

std::string expiry(std::string status, std::optional<std::string> expiration, bool auto_renew,
                   std::optional<int> term, std::string_view today) {
  Contract k = sample(std::move(status));
  k.expiration_date = std::move(expiration);
  k.auto_renew = auto_renew;
  k.renewal_term_months = term;
  return describe(decide_expiry(k, test::civil_date(today)));
}

TEST(Expiry, ExpiresTheDayAfterTheExpirationDate) {
  EXPECT_EQ(expiry("active", "2026-12-31", false, {}, "2026-12-30"), "none");
  EXPECT_EQ(expiry("active", "2026-12-31", false, {}, "2026-12-31"), "none");
  EXPECT_EQ(expiry("active", "2026-12-31", false, {}, "2027-01-01"), "expire");
  EXPECT_EQ(expiry("renewed", "2026-12-31", false, 12, "2027-03-01"), "expire");
  EXPECT_EQ(expiry("active", std::nullopt, false, {}, "2099-01-01"), "none");
  EXPECT_EQ(expiry("active", "2026-12-31", true, std::nullopt, "2027-01-01"), "expire");
}

TEST(Expiry, OnlyContractsInForce) {
  for (auto state : kAllContractStates) {
    const auto result = expiry(std::string(to_string(state)), "2026-01-31", true, 12, "2026-06-01");
    EXPECT_EQ(result == "none", !is_in_force(state)) << to_string(state) << ": " << result;
  }
}

TEST(Expiry, AutoRenewalAddsTermsWithMonthEndClamping) {
  EXPECT_EQ(expiry("active", "2026-12-31", true, 12, "2027-01-01"), "renew to 2027-12-31 (1)");
  EXPECT_EQ(expiry("renewed", "2024-02-29", true, 12, "2024-03-01"), "renew to 2025-02-28 (1)");
  EXPECT_EQ(expiry("active", "2026-01-31", true, 1, "2026-02-01"), "renew to 2026-02-28 (1)");
  // The job was down: whole terms from the current expiration until today is covered.
  EXPECT_EQ(expiry("active", "2026-01-31", true, 1, "2026-04-15"), "renew to 2026-04-30 (3)");
  EXPECT_EQ(expiry("active", "2026-01-31", true, 1, "2026-03-31"), "renew to 2026-03-31 (2)");
  EXPECT_EQ(expiry("active", "2020-02-29", true, 12, "2024-02-29"), "renew to 2024-02-29 (4)");
}

TEST(Expiry, ScheduledTerminationTakesEffectOnItsDayBeforeRenewal) {
  Contract k = sample("active");
  k.expiration_date = "2026-12-31";
  k.auto_renew = true;
  k.renewal_term_months = 12;
  k.termination_effective_date = "2026-06-30";
  EXPECT_EQ(describe(decide_expiry(k, test::civil_date("2026-06-29"))), "none");
  EXPECT_EQ(describe(decide_expiry(k, test::civil_date("2026-06-30"))), "terminate");
  // A job that missed days still terminates (and does not auto-renew first).
  EXPECT_EQ(describe(decide_expiry(k, test::civil_date("2027-02-01"))), "terminate");
  k.status = "terminated";
  EXPECT_EQ(describe(decide_expiry(k, test::civil_date("2027-02-01"))), "none");
}

}  // namespace
}  // namespace cm
