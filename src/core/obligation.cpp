// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/obligation.hpp"

#include <array>
#include <utility>

#include "core/contract.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/money_json.hpp"

namespace cm {

namespace bj = boost::json;

namespace {

template <class E, std::size_t N>
std::optional<E> parse_enum(std::string_view text,
                            const std::array<std::pair<E, std::string_view>, N>& names) noexcept {
  for (const auto& [value, name] : names)
    if (name == text) return value;
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(E value, const std::array<std::pair<E, std::string_view>, N>& names) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "";
}

constexpr std::array<std::pair<ObligationKind, std::string_view>, 6> kKinds{{
    {ObligationKind::payment, "payment"},
    {ObligationKind::delivery, "delivery"},
    {ObligationKind::reporting, "reporting"},
    {ObligationKind::compliance, "compliance"},
    {ObligationKind::notice, "notice"},
    {ObligationKind::other, "other"},
}};
constexpr std::array<std::pair<ResponsibleParty, std::string_view>, 2> kParties{{
    {ResponsibleParty::us, "us"},
    {ResponsibleParty::counterparty, "counterparty"},
}};
constexpr std::array<std::pair<ObligationStatus, std::string_view>, 3> kStatuses{{
    {ObligationStatus::open, "open"},
    {ObligationStatus::done, "done"},
    {ObligationStatus::waived, "waived"},
}};

using json::ObjectReader;

template <class E, std::size_t N>
std::optional<E> read_enum(ObjectReader& r, std::string_view key,
                           const std::array<std::pair<E, std::string_view>, N>& names) {
  const auto text = r.string(key, {.min = 1, .max = 50});
  if (!text) return std::nullopt;
  if (auto value = parse_enum(*text, names)) return value;
  std::string list;
  for (const auto& [v, name] : names) list += (list.empty() ? "" : ", ") + std::string(name);
  r.error(key, "must be one of: " + list);
  return std::nullopt;
}

std::optional<std::optional<Money>> read_amount(ObjectReader& r) {
  return read_money(r, "amount");
}

std::optional<std::optional<Recurrence>> read_recurrence(ObjectReader& r) {
  if (!r.has("recurrence")) return std::nullopt;
  if (r.is_null("recurrence")) return std::optional<Recurrence>{};
  const auto* obj = r.object("recurrence");
  if (!obj) return std::nullopt;
  ObjectReader inner(*obj, r.field("recurrence."));
  std::optional<Frequency> frequency;
  if (const auto text = inner.string("frequency", {.min = 1, .max = 20, .required = true})) {
    frequency = parse_frequency(*text);
    if (!frequency) inner.error("frequency", "must be one of: monthly, quarterly, yearly");
  }
  std::optional<CivilDate> until;
  const bool has_until = inner.has("until") && !inner.is_null("until");
  if (has_until) until = read_date(inner, "until");
  auto errors = inner.finish();
  const bool ok = errors.empty() && frequency && (!has_until || until);
  for (auto& e : errors) r.errors().push_back(std::move(e));
  if (!ok) return std::nullopt;
  return std::optional<Recurrence>{Recurrence{*frequency, until}};
}

}  // namespace

std::string_view to_string(ObligationKind kind) noexcept {
  return name_of(kind, kKinds);
}
std::string_view to_string(ResponsibleParty party) noexcept {
  return name_of(party, kParties);
}
std::string_view to_string(ObligationStatus status) noexcept {
  return name_of(status, kStatuses);
}
std::optional<ObligationKind> parse_obligation_kind(std::string_view text) noexcept {
  return parse_enum(text, kKinds);
}
std::optional<ResponsibleParty> parse_responsible_party(std::string_view text) noexcept {
  return parse_enum(text, kParties);
}
std::optional<ObligationStatus> parse_obligation_status(std::string_view text) noexcept {
  return parse_enum(text, kStatuses);
}

bool is_overdue(const Obligation& o, const CivilDate& today) noexcept {
  return o.status == ObligationStatus::open && o.due_date < today;
}

bool ObligationChanges::empty() const noexcept {
  return !title && !description && !kind && !responsible && !assignee_id && !due_date &&
         !recurrence && !amount;
}

Result<ObligationChanges> parse_obligation_changes(const bj::object& body, ObligationMode mode) {
  ObjectReader r(body);
  const bool creating = mode == ObligationMode::create;
  ObligationChanges c;
  for (const char* non_nullable : {"title", "kind", "responsible", "dueDate", "description"})
    if (!creating && r.is_null(non_nullable)) r.error(non_nullable, "must not be null");
  c.title = r.string("title", {.min = 1, .max = 300, .required = creating});
  if (r.has("description") && !r.is_null("description"))
    c.description = r.string("description", {.max = 10'000});
  c.kind = read_enum(r, "kind", kKinds);
  c.responsible = read_enum(r, "responsible", kParties);
  if (r.has("assigneeId")) {
    if (r.is_null("assigneeId")) {
      c.assignee_id = std::optional<std::string>{};
    } else if (auto id = r.string("assigneeId", {.min = 1, .max = 36})) {
      if (is_valid_id(*id))
        c.assignee_id = std::optional<std::string>{*id};
      else
        r.error("assigneeId", "must be a user id");
    }
  }
  if (creating && (!r.has("dueDate") || r.is_null("dueDate")))
    r.error("dueDate", "is required");
  else if (r.has("dueDate") && !r.is_null("dueDate"))
    c.due_date = read_date(r, "dueDate");
  c.recurrence = read_recurrence(r);
  c.amount = read_amount(r);
  r.refuse({"id", "contractId", "status", "overdue", "completedAt", "completedBy", "previousId",
            "version", "createdAt", "updatedAt", "createdBy", "orgId"});
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  if (!creating && c.empty()) return nothing_to_change();
  return c;
}

void apply_changes(Obligation& o, const ObligationChanges& c) {
  if (c.title) o.title = *c.title;
  if (c.description) o.description = *c.description;
  if (c.kind) o.kind = *c.kind;
  if (c.responsible) o.responsible = *c.responsible;
  if (c.assignee_id) o.assignee_id = *c.assignee_id;
  if (c.due_date) o.due_date = o.anchor_date = *c.due_date;
  if (c.recurrence) o.recurrence = *c.recurrence;
  if (c.amount) o.amount = *c.amount;
}

std::vector<FieldError> validate_obligation(const Obligation& o) {
  std::vector<FieldError> errors;
  if (o.recurrence && o.recurrence->until && *o.recurrence->until < o.due_date)
    errors.push_back({"recurrence.until", "must not be before dueDate"});
  return errors;
}

std::optional<Obligation> next_occurrence_of(const Obligation& done) {
  if (!done.recurrence) return std::nullopt;
  const auto due = next_occurrence(done.anchor_date, *done.recurrence, done.due_date);
  if (!due) return std::nullopt;
  Obligation next = done;
  next.id.clear();
  next.due_date = *due;
  next.status = ObligationStatus::open;
  next.completed_at.reset();
  next.completed_by.reset();
  next.previous_id = done.id;
  next.version = 1;
  next.created_at = next.updated_at = 0;
  return next;
}

bj::object to_json(const Obligation& o, const CivilDate& today) {
  const auto opt_string = [](const std::optional<std::string>& s) -> bj::value {
    return s ? bj::value(bj::string(*s)) : bj::value(nullptr);
  };
  bj::value recurrence = nullptr;
  if (o.recurrence)
    recurrence = bj::object{
        {"frequency", to_string(o.recurrence->frequency)},
        {"until", o.recurrence->until ? bj::value(bj::string(format_date(*o.recurrence->until)))
                                      : bj::value(nullptr)}};
  return bj::object{
      {"id", o.id},
      {"contractId", o.contract_id},
      {"title", o.title},
      {"description", o.description},
      {"kind", to_string(o.kind)},
      {"responsible", to_string(o.responsible)},
      {"assigneeId", opt_string(o.assignee_id)},
      {"dueDate", format_date(o.due_date)},
      {"recurrence", std::move(recurrence)},
      {"amount", money_to_json(o.amount)},
      {"status", to_string(o.status)},
      {"overdue", is_overdue(o, today)},
      {"completedAt", o.completed_at ? bj::value(bj::string(format_rfc3339(*o.completed_at)))
                                     : bj::value(nullptr)},
      {"completedBy", opt_string(o.completed_by)},
      {"previousId", opt_string(o.previous_id)},
      {"version", o.version},
      {"createdAt", format_rfc3339(o.created_at)},
      {"updatedAt", format_rfc3339(o.updated_at)},
      {"createdBy", o.created_by},
  };
}

}  // namespace cm
