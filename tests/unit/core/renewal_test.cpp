// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/renewal.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "support/literals.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

Contract in_force(std::string status = "active") {
  Contract k;
  k.id = "c1";
  k.status = std::move(status);
  k.expiration_date = "2026-12-31";
  k.notice_period_days = 30;
  k.renewal_term_months = 12;
  k.value = Money{100000, "EUR"};
  return k;
}

std::string first_field(const Error& e) {
  return e.fields().empty() ? "" : e.fields()[0].field;
}

TEST(RenewalTerms, ParsesStrictly) {
  auto ok = parse_renewal_terms(
      bj::parse(R"({"termMonths": 24, "value": {"amount": "2000.00", "currency": "EUR"}})")
          .as_object());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->term_months, 24);
  ASSERT_TRUE(ok->value && *ok->value);
  EXPECT_EQ((*ok->value)->minor, 200000);

  auto both = parse_renewal_terms(
      bj::parse(R"({"termMonths": 12, "expirationDate": "2028-01-01"})").as_object());
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(first_field(both.error()), "termMonths");
  EXPECT_FALSE(parse_renewal_terms(bj::parse(R"({"termMonths": 0})").as_object()).ok());
  EXPECT_FALSE(parse_renewal_terms(bj::parse(R"({"status": "active"})").as_object()).ok());
  EXPECT_FALSE(
      parse_renewal_terms(bj::parse(R"({"expirationDate": "2027-02-30"})").as_object()).ok());
}

TEST(RenewalTerms, ExtendsByTheGivenTermOrTheContractsOwnWithMonthEndClamping) {
  Contract k = in_force();
  k.expiration_date = "2028-02-29";
  auto by_default = renewed_terms(k, {}, test::civil_date("2028-01-10"));
  ASSERT_TRUE(by_default.ok());
  EXPECT_EQ(*by_default->expiration_date, "2029-02-28");

  RenewalTerms six;
  six.term_months = 6;
  auto by_six = renewed_terms(k, six, test::civil_date("2028-01-10"));
  ASSERT_TRUE(by_six.ok());
  EXPECT_EQ(*by_six->expiration_date, "2028-08-29");
}

TEST(RenewalTerms, NewTermsReplaceTheOldOnes) {
  RenewalTerms t;
  t.expiration_date = test::civil_date("2028-06-30");
  t.value = std::optional<Money>{Money{250000, "EUR"}};
  t.notice_period_days = std::optional<int>{60};
  auto out = renewed_terms(in_force(), t, test::civil_date("2026-11-26"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out->expiration_date, "2028-06-30");
  EXPECT_EQ(out->value->minor, 250000);
  EXPECT_EQ(out->notice_period_days, 60);
  EXPECT_EQ(out->status, "active");  // the status is the transition's business
}

TEST(RenewalTerms, RefusesAnExpirationNotAfterTheCurrentOneOrToday) {
  RenewalTerms earlier;
  earlier.expiration_date = test::civil_date("2026-12-31");
  EXPECT_EQ(first_field(renewed_terms(in_force(), earlier, test::civil_date("2026-11-26")).error()),
            "expirationDate");

  Contract expired_long_ago = in_force();
  expired_long_ago.expiration_date = "2020-01-31";
  RenewalTerms past;
  past.expiration_date = test::civil_date("2021-01-31");
  EXPECT_FALSE(renewed_terms(expired_long_ago, past, test::civil_date("2026-11-26")).ok());

  Contract no_dates = in_force();
  no_dates.expiration_date.reset();
  EXPECT_EQ(first_field(renewed_terms(no_dates, {}, test::civil_date("2026-11-26")).error()),
            "expirationDate");
  Contract no_term = in_force();
  no_term.renewal_term_months.reset();
  EXPECT_EQ(first_field(renewed_terms(no_term, {}, test::civil_date("2026-11-26")).error()),
            "termMonths");
}

TEST(Termination, RespectsTheNoticePeriodUnlessForCause) {
  const Contract k = in_force();  // 30 days' notice, expires 2026-12-31
  TerminationRequest now{"budget cut", std::nullopt, false};
  auto refused = plan_termination(k, now, test::civil_date("2026-11-26"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(first_field(refused.error()), "effectiveDate");
  EXPECT_NE(refused.error().fields()[0].message.find("2026-12-26"), std::string::npos);

  TerminationRequest on_notice{"budget cut", test::civil_date("2026-12-26"), false};
  auto planned = plan_termination(k, on_notice, test::civil_date("2026-11-26"));
  ASSERT_TRUE(planned.ok());
  EXPECT_FALSE(planned->immediate);
  EXPECT_EQ(format_date(planned->effective_date), "2026-12-26");

  TerminationRequest for_cause{"material breach", std::nullopt, true};
  auto immediate = plan_termination(k, for_cause, test::civil_date("2026-11-26"));
  ASSERT_TRUE(immediate.ok());
  EXPECT_TRUE(immediate->immediate);
}

TEST(Termination, NeverInThePastAfterExpirationOrOfAContractNotInForce) {
  const Contract k = in_force();
  EXPECT_FALSE(plan_termination(k, {"x", test::civil_date("2026-11-25"), true},
                                test::civil_date("2026-11-26"))
                   .ok());
  EXPECT_FALSE(plan_termination(k, {"x", test::civil_date("2027-01-01"), true},
                                test::civil_date("2026-11-26"))
                   .ok());
  auto draft = plan_termination(in_force("draft"), {"x", std::nullopt, true},
                                test::civil_date("2026-11-26"));
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.error().kind(), ErrorKind::conflict);
  EXPECT_TRUE(plan_termination(in_force("renewed"), {"x", std::nullopt, true},
                               test::civil_date("2026-11-26"))
                  .ok());
}

TEST(ReminderOffsets, DistinctBoundedDescending) {
  auto ok = parse_reminder_offsets(bj::parse("[7, 90, 30]"), "renewalReminderDays");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<int>{90, 30, 7}));
  for (const char* bad : {"[]", "[0]", "[731]", "[7, 7]", "[\"7\"]", "7", "[1,2,3,4,5,6,7,8,9]"})
    EXPECT_FALSE(parse_reminder_offsets(bj::parse(bad), "renewalReminderDays").ok()) << bad;
}

TEST(RenewalReminders, OwedBeforeTheNoticeDeadlineOnlyWhileInForce) {
  const Contract k = in_force();  // notice deadline 2026-12-01
  const std::vector<int> offsets = {90, 60, 30, 7};
  auto owed = owed_renewal_reminders(k, offsets, test::civil_date("2026-11-02"),
                                     test::civil_date("2026-01-01"));
  ASSERT_EQ(owed.size(), 3u);  // 90, 60 and 30 days before (due 09-02, 10-02, 11-01)
  EXPECT_EQ(format_date(owed[0].notice_deadline), "2026-12-01");
  EXPECT_EQ(owed.back().offset_days, 30);
  // Not those due before the contract became active.
  EXPECT_EQ(owed_renewal_reminders(k, offsets, test::civil_date("2026-11-02"),
                                   test::civil_date("2026-10-15"))
                .size(),
            1u);
  // Not after the deadline, not for contracts not in force or with a termination scheduled.
  EXPECT_TRUE(
      owed_renewal_reminders(k, offsets, test::civil_date("2026-12-02"), std::nullopt).empty());
  EXPECT_TRUE(owed_renewal_reminders(in_force("draft"), offsets, test::civil_date("2026-11-02"), {})
                  .empty());
  Contract terminating = k;
  terminating.termination_effective_date = "2026-12-15";
  EXPECT_TRUE(
      owed_renewal_reminders(terminating, offsets, test::civil_date("2026-11-02"), {}).empty());
}

}  // namespace
}  // namespace cm
