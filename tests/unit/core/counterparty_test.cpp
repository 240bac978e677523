// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/counterparty.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/literals.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

using Lines = std::vector<std::string>;

Lines errors_of(const Counterparty& base, std::string_view body, ChangeMode mode) {
  auto r = apply_counterparty_body(base, test::json_object(body), mode);
  if (r.ok()) {
    ADD_FAILURE() << "accepted: " << body;
    return {};
  }
  EXPECT_EQ(r.error().kind(), ErrorKind::validation);
  Lines out;
  for (const auto& e : r.error().fields()) out.push_back(e.field + ": " + e.message);
  return out;
}

Lines create_errors(std::string_view body) {
  return errors_of({}, body, ChangeMode::create);
}

Counterparty applied(const Counterparty& base, std::string_view body, ChangeMode mode) {
  auto r = apply_counterparty_body(base, test::json_object(body), mode);
  if (!r.ok()) {
    std::string all;
    for (const auto& e : r.error().fields()) all += e.field + ": " + e.message + "; ";
    ADD_FAILURE() << "rejected: " << body << ": " << r.error().detail() << " " << all;
    return base;
  }
  return std::move(r).value();
}

TEST(Email, Valid) {
  for (const char* ok :
       {"a@b.co", "jane.doe+contracts@example.com", "x@sub.domain.example", "o'brien@example.ie"}) {
    EXPECT_TRUE(is_valid_email(ok)) << ok;
  }
}

TEST(Email, Invalid) {
  for (const char* bad :
       {"", "a", "a@", "@b.co", "a@b", "a@@b.co", "a@b@c.co", "a@.b.co", "a@b.co.", "a b@c.co",
        "a@b .co", "<a@b.co>", "\"a\"@b.co", "a,b@c.co", "a@b.co\n", "a\t@b.co"}) {
    EXPECT_FALSE(is_valid_email(bad)) << bad;
  }
  EXPECT_FALSE(is_valid_email(std::string(250, 'a') + "@b.co"));  // > 254
  EXPECT_TRUE(is_valid_email(std::string(249, 'a') + "@b.co"));   // = 254
}

TEST(Country, AssignedAlpha2Codes) {
  for (const char* ok : {"AD", "DE", "US", "GB", "JP", "ZW", "FR", "CH"}) {
    EXPECT_TRUE(is_country_code(ok)) << ok;
  }
  for (const char* bad :
       {"", "D", "DEU", "de", "De", "UK", "XX", "AA", "ZZ", "1A", "D ", " D", "EU"}) {
    EXPECT_FALSE(is_country_code(bad)) << bad;
  }
}

TEST(CounterpartyBody, CreateWithEveryField) {
  const auto c = applied({}, R"({"name": "  Acme GmbH ", "kind": "company",
      "registrationNumber": "HRB 12345", "country": "DE", "address": "Hauptstr. 1, Berlin",
      "contactName": "Jane Doe", "contactEmail": "jane@acme.example", "notes": "Preferred"})",
                         ChangeMode::create);
  EXPECT_EQ(c.name, "Acme GmbH");
  EXPECT_EQ(c.kind, "company");
  EXPECT_EQ(c.registration_number, "HRB 12345");
  EXPECT_EQ(c.country, "DE");
  EXPECT_EQ(c.address, "Hauptstr. 1, Berlin");
  EXPECT_EQ(c.contact_name, "Jane Doe");
  EXPECT_EQ(c.contact_email, "jane@acme.example");
  EXPECT_EQ(c.notes, "Preferred");
}

TEST(CounterpartyBody, CreateRequiresAName) {
  EXPECT_EQ(create_errors(R"({"kind": "person"})"), (Lines{"name: is required"}));
  EXPECT_EQ(create_errors(R"({"name": "  "})"), (Lines{"name: must not be empty"}));
  EXPECT_EQ(create_errors(R"({"name": ")" + std::string(301, 'n') + R"("})"),
            (Lines{"name: must be at most 300 characters"}));
  const auto minimal = applied({}, R"({"name": "Jane"})", ChangeMode::create);
  EXPECT_EQ(minimal.kind, "company");
  EXPECT_FALSE(minimal.country);
}

TEST(CounterpartyBody, KindRules) {
  EXPECT_EQ(applied({}, R"({"name": "J", "kind": "person"})", ChangeMode::create).kind, "person");
  EXPECT_EQ(create_errors(R"({"name": "J", "kind": "robot"})"),
            (Lines{"kind: must be company or person"}));
  EXPECT_EQ(create_errors(R"({"name": "J", "kind": 1})"), (Lines{"kind: must be a string"}));
}

TEST(CounterpartyBody, CountryRules) {
  EXPECT_EQ(create_errors(R"({"name": "J", "country": "XX"})"),
            (Lines{"country: must be an ISO 3166-1 alpha-2 code such as DE"}));
  EXPECT_EQ(create_errors(R"({"name": "J", "country": "de"})"),
            (Lines{"country: must be an ISO 3166-1 alpha-2 code such as DE"}));
  EXPECT_EQ(create_errors(R"({"name": "J", "country": "DEU"})"),
            (Lines{"country: must be at most 2 characters"}));
  // Empty means "not given".
  EXPECT_FALSE(applied({}, R"({"name": "J", "country": ""})", ChangeMode::create).country);
}

TEST(CounterpartyBody, EmailRules) {
  EXPECT_EQ(create_errors(R"({"name": "J", "contactEmail": "not-an-email"})"),
            (Lines{"contactEmail: must be an email address"}));
  EXPECT_EQ(create_errors(R"({"name": "J", "contactEmail": "a@b@c.de"})"),
            (Lines{"contactEmail: must be an email address"}));
  EXPECT_EQ(applied({}, R"({"name": "J", "contactEmail": " jane@x.de "})", ChangeMode::create)
                .contact_email,
            "jane@x.de");
}

TEST(CounterpartyBody, LengthLimits) {
  EXPECT_EQ(
      create_errors(R"({"name": "J", "registrationNumber": ")" + std::string(101, 'r') + R"("})"),
      (Lines{"registrationNumber: must be at most 100 characters"}));
  EXPECT_EQ(create_errors(R"({"name": "J", "address": ")" + std::string(1001, 'a') + R"("})"),
            (Lines{"address: must be at most 1000 characters"}));
  EXPECT_EQ(create_errors(R"({"name": "J", "contactName": ")" + std::string(201, 'c') + R"("})"),
            (Lines{"contactName: must be at most 200 characters"}));
  EXPECT_EQ(create_errors(R"({"name": "J", "notes": ")" + std::string(10'001, 'n') + R"("})"),
            (Lines{"notes: must be at most 10000 characters"}));
}

TEST(CounterpartyBody, ReadOnlyAndUnknownFields) {
  for (const char* field : {"id", "version", "createdAt", "updatedAt"}) {
    EXPECT_EQ(create_errors(std::string(R"({"name": "J", ")") + field + R"(": 1})"),
              (Lines{std::string(field) + ": is read-only"}));
  }
  EXPECT_EQ(create_errors(R"({"name": "J", "vatId": "DE1"})"), (Lines{"vatId: unknown field"}));
}

Counterparty existing() {
  Counterparty c;
  c.id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  c.name = "Acme";
  c.kind = "company";
  c.country = "DE";
  c.contact_email = "old@acme.example";
  c.notes = "n";
  c.version = 4;
  return c;
}

TEST(CounterpartyBody, UpdateChangesOnlyGivenFields) {
  const auto c = applied(existing(), R"({"contactName": "Bob"})", ChangeMode::update);
  EXPECT_EQ(c.name, "Acme");
  EXPECT_EQ(c.country, "DE");
  EXPECT_EQ(c.contact_email, "old@acme.example");
  EXPECT_EQ(c.contact_name, "Bob");
  EXPECT_EQ(c.version, 4);
  EXPECT_EQ(c.id, existing().id);
}

TEST(CounterpartyBody, UpdateNullClearsOptionalFields) {
  const auto c = applied(existing(), R"({"country": null, "contactEmail": null, "notes": ""})",
                         ChangeMode::update);
  EXPECT_FALSE(c.country);
  EXPECT_FALSE(c.contact_email);
  EXPECT_FALSE(c.notes);
  EXPECT_EQ(c.name, "Acme");
}

TEST(CounterpartyBody, UpdateRules) {
  EXPECT_EQ(errors_of(existing(), R"({"name": null})", ChangeMode::update),
            (Lines{"name: must not be null"}));
  auto empty = apply_counterparty_body(existing(), test::json_object("{}"), ChangeMode::update);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().detail(), "The request changes nothing.");
  // An invalid stored value is not re-validated when the update does not touch it.
  auto legacy = existing();
  legacy.country = "XX";
  EXPECT_EQ(applied(legacy, R"({"name": "New"})", ChangeMode::update).country, "XX");
}

TEST(CounterpartyJson, Shape) {
  auto c = existing();
  c.created_at = 0;
  c.updated_at = 1'700'000'000'123;
  const auto j = to_json(c);
  std::set<std::string> keys;
  for (const auto& kv : j) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"id", "name", "kind", "registrationNumber", "country",
                                         "address", "contactName", "contactEmail", "notes",
                                         "version", "createdAt", "updatedAt"}));
  EXPECT_EQ(j.at("name").as_string(), "Acme");
  EXPECT_EQ(j.at("country").as_string(), "DE");
  EXPECT_TRUE(j.at("address").is_null());
  EXPECT_TRUE(j.at("registrationNumber").is_null());
  EXPECT_EQ(j.at("version").as_int64(), 4);
  EXPECT_EQ(j.at("createdAt").as_string(), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(j.at("updatedAt").as_string(), "2023-11-14T22:13:20.123Z");
}

}  // namespace
}  // namespace cm
