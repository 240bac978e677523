// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/counterparty.hpp"

#include <algorithm>
#include <array>

#include "core/json.hpp"
#include "core/time.hpp"

namespace cm {

namespace bj = boost::json;

bool is_valid_email(std::string_view email) noexcept {
  if (email.size() < 3 || email.size() > 254) return false;
  const auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || at != email.rfind('@')) return false;
  const auto domain = email.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.')
    return false;
  return std::none_of(email.begin(), email.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"' || c == ',';
  });
}

bool is_country_code(std::string_view code) noexcept {
  // ISO 3166-1 alpha-2 officially assigned codes.
  static constexpr std::string_view kCodes =
      "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
      "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
      "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
      "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
      "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
      "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
      "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
      "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
      "VN VU WF WS YE YT ZA ZM ZW";
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
    return false;
  for (std::size_t i = 0; i + 1 < kCodes.size(); i += 3)
    if (kCodes.substr(i, 2) == code) return true;
  return false;
}

namespace {

void read_optional(json::ObjectReader& r, std::string_view key, std::size_t max,
                   std::optional<std::string>& target) {
  if (!r.has(key)) return;
  if (r.is_null(key)) {
    target.reset();
    return;
  }
  auto v = r.string(key, {.min = 0, .max = max});
  if (v) target = v->empty() ? std::nullopt : std::optional<std::string>(*v);
}

}  // namespace

Result<Counterparty> apply_counterparty_body(Counterparty c, const bj::object& body,
                                             ChangeMode mode) {
  json::ObjectReader r(body);
  const bool creating = mode == ChangeMode::create;
  if (auto name = r.string("name", {.min = 1, .max = 300, .required = creating}))
    c.name = *name;
  else if (!creating && r.is_null("name"))
    r.error("name", "must not be null");
  if (auto kind = r.string("kind", {.min = 1, .max = 20})) {
    if (*kind != "company" && *kind != "person")
      r.error("kind", "must be company or person");
    else
      c.kind = *kind;
  }
  read_optional(r, "registrationNumber", 100, c.registration_number);
  read_optional(r, "country", 2, c.country);
  if (c.country && r.has("country") && !is_country_code(*c.country))
    r.error("country", "must be an ISO 3166-1 alpha-2 code such as DE");
  read_optional(r, "address", 1000, c.address);
  read_optional(r, "contactName", 200, c.contact_name);
  read_optional(r, "contactEmail", 254, c.contact_email);
  if (c.contact_email && r.has("contactEmail") && !is_valid_email(*c.contact_email))
    r.error("contactEmail", "must be an email address");
  read_optional(r, "notes", 10'000, c.notes);
  r.refuse({"id", "version", "createdAt", "updatedAt"});
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  if (!creating && body.empty()) return nothing_to_change();
  return c;
}

bj::object to_json(const Counterparty& c) {
  const auto opt = [](const std::optional<std::string>& s) -> bj::value {
    return s ? bj::value(bj::string(*s)) : bj::value(nullptr);
  };
  return bj::object{{"id", c.id},
                    {"name", c.name},
                    {"kind", c.kind},
                    {"registrationNumber", opt(c.registration_number)},
                    {"country", opt(c.country)},
                    {"address", opt(c.address)},
                    {"contactName", opt(c.contact_name)},
                    {"contactEmail", opt(c.contact_email)},
                    {"notes", opt(c.notes)},
                    {"version", c.version},
                    {"createdAt", format_rfc3339(c.created_at)},
                    {"updatedAt", format_rfc3339(c.updated_at)}};
}

}  // namespace cm
