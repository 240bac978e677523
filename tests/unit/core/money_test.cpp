// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace cm {
namespace {

// The message of the single field error a failed parse carries.
std::string amount_error(std::string_view amount, std::string_view currency) {
  auto r = parse_amount(amount, currency);
  if (r.ok()) {
    ADD_FAILURE() << "'" << amount << "' " << currency << " parsed as " << *r;
    return {};
  }
  EXPECT_EQ(r.error().kind(), ErrorKind::validation);
  EXPECT_EQ(r.error().fields().size(), 1u);
  if (r.error().fields().empty()) return {};
  EXPECT_EQ(r.error().fields().front().field, "value.amount");
  return r.error().fields().front().message;
}

std::int64_t parsed(std::string_view amount, std::string_view currency) {
  auto r = parse_amount(amount, currency);
  if (!r.ok()) {
    ADD_FAILURE() << "'" << amount << "' " << currency << ": " << r.error().detail();
    return -1;
  }
  return *r;
}

TEST(Money, CurrencyDecimals) {
  EXPECT_EQ(currency_decimals("JPY"), 0);
  EXPECT_EQ(currency_decimals("KRW"), 0);
  EXPECT_EQ(currency_decimals("KWD"), 3);
  EXPECT_EQ(currency_decimals("BHD"), 3);
  EXPECT_EQ(currency_decimals("EUR"), 2);
  EXPECT_EQ(currency_decimals("USD"), 2);
  EXPECT_EQ(currency_decimals("CLF"), 4);
  // First and last entries of the table (binary search edges).
  EXPECT_EQ(currency_decimals("AED"), 2);
  EXPECT_EQ(currency_decimals("ZWG"), 2);
}

TEST(Money, UnknownCurrencies) {
  EXPECT_FALSE(currency_decimals("XXX"));
  EXPECT_FALSE(currency_decimals("eur"));
  EXPECT_FALSE(currency_decimals("EU"));
  EXPECT_FALSE(currency_decimals("EURO"));
  EXPECT_FALSE(currency_decimals(""));
  EXPECT_FALSE(currency_decimals("AAA"));  // before the first entry
  EXPECT_FALSE(currency_decimals("ZZZ"));  // after the last entry
}

TEST(Money, ParsesAndPadsToTheCurrencyPrecision) {
  EXPECT_EQ(parsed("1", "EUR"), 100);
  EXPECT_EQ(parsed("1.5", "EUR"), 150);
  EXPECT_EQ(parsed("1.05", "EUR"), 105);
  EXPECT_EQ(parsed("0", "EUR"), 0);
  EXPECT_EQ(parsed("0.01", "EUR"), 1);
  EXPECT_EQ(parsed("125000.00", "EUR"), 12'500'000);
  EXPECT_EQ(parsed("007.10", "EUR"), 710);
  EXPECT_EQ(parsed("1250", "JPY"), 1250);
  EXPECT_EQ(parsed("1", "KWD"), 1000);
  EXPECT_EQ(parsed("1.5", "KWD"), 1500);
  EXPECT_EQ(parsed("1.234", "KWD"), 1234);
  EXPECT_EQ(parsed("2.0001", "CLF"), 20001);
}

TEST(Money, RejectsTooManyDecimals) {
  EXPECT_EQ(amount_error("1.234", "EUR"), "must have at most 2 decimals for EUR");
  EXPECT_EQ(amount_error("1.0", "JPY"), "must have at most 0 decimals for JPY");
  EXPECT_EQ(amount_error("1.2345", "KWD"), "must have at most 3 decimals for KWD");
}

TEST(Money, RejectsNegativeAmounts) {
  EXPECT_EQ(amount_error("-1", "EUR"), "must not be negative");
  EXPECT_EQ(amount_error("-0.50", "EUR"), "must not be negative");
}

TEST(Money, RejectsNonNumbers) {
  const std::string message = "must be a decimal number such as \"1250.00\"";
  for (const char* bad :
       {"", "abc", "1,50", "1.5.0", ".5", "1.", "+1", " 1", "1 ", "1e3", "0x10", "1.-5", "١"}) {
    EXPECT_EQ(amount_error(bad, "EUR"), message) << bad;
  }
}

TEST(Money, RejectsHugeAmounts) {
  EXPECT_EQ(amount_error("99999999999999999999", "EUR"), "is too large");
  EXPECT_EQ(amount_error("9223372036854775807", "JPY"), "is too large");
  EXPECT_NE(amount_error("1000000000000000000000000000000", "EUR"), "");
  // The largest accepted whole part still fits in int64 minor units at 4 decimals.
  constexpr std::int64_t kMaxWhole = std::numeric_limits<std::int64_t>::max() / 100'000;
  EXPECT_EQ(parsed(std::to_string(kMaxWhole) + ".9999", "CLF"), kMaxWhole * 10'000 + 9999);
  EXPECT_EQ(amount_error(std::to_string(kMaxWhole + 1), "CLF"), "is too large");
}

TEST(Money, RejectsUnknownCurrency) {
  EXPECT_EQ(amount_error("1.00", "XXX"), "unknown currency");
  EXPECT_EQ(amount_error("1.00", "eur"), "unknown currency");
}

TEST(Money, FormatsWithExactlyTheCurrencyDecimals) {
  EXPECT_EQ(format_amount(100, "EUR"), "1.00");
  EXPECT_EQ(format_amount(150, "EUR"), "1.50");
  EXPECT_EQ(format_amount(5, "EUR"), "0.05");
  EXPECT_EQ(format_amount(0, "EUR"), "0.00");
  EXPECT_EQ(format_amount(12'500'000, "EUR"), "125000.00");
  EXPECT_EQ(format_amount(1250, "JPY"), "1250");
  EXPECT_EQ(format_amount(1, "KWD"), "0.001");
  EXPECT_EQ(format_amount(1234, "KWD"), "1.234");
  EXPECT_EQ(format_amount(-150, "EUR"), "-1.50");
  EXPECT_EQ(format_amount(std::numeric_limits<std::int64_t>::min(), "EUR"),
            "-92233720368547758.08");
  // Unknown currencies format with 2 decimals rather than failing.
  EXPECT_EQ(format_amount(150, "XXX"), "1.50");
}

TEST(Money, FormatThenParseRoundTrips) {
  for (const char* currency : {"EUR", "JPY", "KWD", "CLF"}) {
    for (std::int64_t minor : {std::int64_t{0}, std::int64_t{1}, std::int64_t{99},
                               std::int64_t{100}, std::int64_t{123'456'789}}) {
      EXPECT_EQ(parsed(format_amount(minor, currency), currency), minor) << currency << minor;
    }
  }
}

}  // namespace
}  // namespace cm
