// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/obligation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "support/literals.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

constexpr const char* kUser = "0190a1b2-0000-7000-8000-000000000001";

std::vector<std::string> fields_of(const Result<ObligationChanges>& r) {
  std::vector<std::string> out;
  for (const auto& e : r.error().fields()) out.push_back(e.field);
  std::sort(out.begin(), out.end());
  return out;
}

Obligation from(const ObligationChanges& c) {
  Obligation o;
  o.id = "o1";
  apply_changes(o, c);
  return o;
}

TEST(ObligationParsing, AcceptsAFullCreateRequest) {
  auto r = parse_obligation_changes(
      test::json_object(R"({"title": " Pay fee ", "description": "Q fee", "kind": "payment",
              "responsible": "counterparty", "assigneeId": ")" +
                        std::string(kUser) + R"(", "dueDate": "2027-01-31",
              "recurrence": {"frequency": "monthly", "until": "2027-12-31"},
              "amount": {"amount": "100.5", "currency": "EUR"}})"),
      ObligationMode::create);
  ASSERT_TRUE(r) << r.error().detail();
  const auto o = from(*r);
  EXPECT_EQ(o.title, "Pay fee");
  EXPECT_EQ(o.kind, ObligationKind::payment);
  EXPECT_EQ(o.responsible, ResponsibleParty::counterparty);
  EXPECT_EQ(o.assignee_id, kUser);
  EXPECT_EQ(o.due_date, test::civil_date("2027-01-31"));
  EXPECT_EQ(o.anchor_date, test::civil_date("2027-01-31"));
  ASSERT_TRUE(o.recurrence);
  EXPECT_EQ(o.recurrence->frequency, Frequency::monthly);
  EXPECT_EQ(o.recurrence->until, test::civil_date("2027-12-31"));
  EXPECT_EQ(o.amount, (Money{10050, "EUR"}));
  EXPECT_TRUE(validate_obligation(o).empty());
}

TEST(ObligationParsing, ReportsEveryBadFieldAtOnce) {
  auto r = parse_obligation_changes(
      test::json_object(R"({"kind": "bribe", "responsible": "them", "dueDate": "2027-02-30",
              "recurrence": {"frequency": "weekly"}, "amount": {"amount": 5, "currency": "EUR"},
              "assigneeId": "nobody", "status": "done", "colour": "red"})"),
      ObligationMode::create);
  ASSERT_FALSE(r);
  EXPECT_EQ(fields_of(r),
            (std::vector<std::string>{"amount.amount", "assigneeId", "colour", "dueDate", "kind",
                                      "recurrence.frequency", "responsible", "status", "title"}));
}

TEST(ObligationParsing, DueDateIsRequiredOnCreateAndUpdatesMustChangeSomething) {
  auto r = parse_obligation_changes(test::json_object(R"({"title": "x"})"), ObligationMode::create);
  ASSERT_FALSE(r);
  EXPECT_EQ(fields_of(r), std::vector<std::string>{"dueDate"});
  EXPECT_FALSE(parse_obligation_changes(test::json_object("{}"), ObligationMode::update));
  r = parse_obligation_changes(test::json_object(R"({"title": null})"), ObligationMode::update);
  ASSERT_FALSE(r);
  EXPECT_EQ(fields_of(r), std::vector<std::string>{"title"});
  r = parse_obligation_changes(test::json_object(R"({"assigneeId": null, "amount": null})"),
                               ObligationMode::update);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->assignee_id && !*r->assignee_id);
}

TEST(ObligationParsing, RecurrenceMustNotEndBeforeTheDueDate) {
  auto r = parse_obligation_changes(test::json_object(R"({"title": "x", "dueDate": "2027-05-01",
              "recurrence": {"frequency": "yearly", "until": "2027-04-30"}})"),
                                    ObligationMode::create);
  ASSERT_TRUE(r);
  const auto errors = validate_obligation(from(*r));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "recurrence.until");
}

TEST(ObligationRecurrence, NextOccurrenceKeepsTheAnchorDayAndStopsAfterUntil) {
  Obligation o;
  o.id = "first";
  o.due_date = o.anchor_date = test::civil_date("2027-01-31");
  o.recurrence = Recurrence{Frequency::monthly, test::civil_date("2027-03-31")};
  o.status = ObligationStatus::done;
  o.completed_by = kUser;
  auto next = next_occurrence_of(o);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->due_date, test::civil_date("2027-02-28"));
  EXPECT_EQ(next->status, ObligationStatus::open);
  EXPECT_EQ(next->previous_id, "first");
  EXPECT_FALSE(next->completed_by);
  next->id = "second";
  auto third = next_occurrence_of(*next);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->due_date, test::civil_date("2027-03-31"));  // not the 28th
  EXPECT_FALSE(next_occurrence_of(*third));                    // past `until`
  o.recurrence.reset();
  EXPECT_FALSE(next_occurrence_of(o));
}

TEST(ObligationJson, OverdueIsDerivedFromOpenAndPastDue) {
  Obligation o;
  o.due_date = o.anchor_date = test::civil_date("2027-01-10");
  EXPECT_FALSE(to_json(o, test::civil_date("2027-01-10")).at("overdue").as_bool());
  EXPECT_TRUE(to_json(o, test::civil_date("2027-01-11")).at("overdue").as_bool());
  o.status = ObligationStatus::waived;
  EXPECT_FALSE(to_json(o, test::civil_date("2027-01-11")).at("overdue").as_bool());
  EXPECT_EQ(to_json(o, test::civil_date("2027-01-11")).at("status").as_string(), "waived");
  EXPECT_EQ(to_json(o, test::civil_date("2027-01-11")).at("dueDate").as_string(), "2027-01-10");
}

}  // namespace
}  // namespace cm
