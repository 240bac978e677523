// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/signature.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <set>

#include "core/counterparty.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "core/user.hpp"

namespace cm {

namespace bj = boost::json;

namespace {

bj::value opt_string(const std::optional<std::string>& s) {
  return s ? bj::value(bj::string(*s)) : bj::value(nullptr);
}

bj::value opt_instant(const std::optional<std::int64_t>& ms) {
  return ms ? bj::value(bj::string(format_rfc3339(*ms))) : bj::value(nullptr);
}

bool has_control_characters(std::string_view text) noexcept {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

bool is_lower_hex_sha256(std::string_view text) noexcept {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// A JSON value that stands for consent: true, or a checkbox's string value.
bool is_consent(const bj::value& v) noexcept {
  if (v.is_bool()) return v.as_bool();
  if (!v.is_string()) return false;
  const std::string_view s = v.as_string();
  return s == "true" || s == "on" || s == "yes" || s == "1";
}

std::optional<SignerInput> parse_signer(const bj::value& value, const std::string& path,
                                        std::vector<FieldError>& errors) {
  if (!value.is_object()) {
    errors.push_back({path, "must be an object with userId, or with name and email"});
    return std::nullopt;
  }
  json::ObjectReader r(value.as_object(), path + ".");
  const bool internal = r.has("userId");
  SignerInput s;
  if (internal) {
    s.user_id = r.string("userId", {.min = 1, .max = 64, .required = true});
    if (s.user_id && !is_valid_id(*s.user_id)) r.error("userId", "must be a user id");
    const bool has_name = r.has("name");
    const bool has_email = r.has("email");
    if (has_name || has_email)
      r.error("userId", "give either userId (a user of your organization) or name and email");
  } else {
    const auto name = r.string("name", {.min = 1, .max = kMaxSignerName, .required = true});
    const auto email = r.string("email", {.min = 3, .max = 254, .required = true});
    if (name && has_control_characters(*name))
      r.error("name", "must not contain control characters");
    if (email && !is_valid_email(*email)) r.error("email", "must be an email address");
    if (name) s.name = *name;
    if (email) s.email = normalize_email(*email);
  }
  auto found = r.finish();
  if (!found.empty()) {
    errors.insert(errors.end(), found.begin(), found.end());
    return std::nullopt;
  }
  return s;
}

std::string signer_line(const Signer& s) {
  return s.name + " <" + s.email + ">" + (s.user_id ? " (user " + *s.user_id + ")" : "");
}

}  // namespace

std::string_view to_string(SigningOrder order) noexcept {
  return order == SigningOrder::parallel ? "parallel" : "sequential";
}

std::optional<SigningOrder> parse_signing_order(std::string_view text) noexcept {
  if (text == "sequential") return SigningOrder::sequential;
  if (text == "parallel") return SigningOrder::parallel;
  return std::nullopt;
}

std::string_view to_string(SignatureRequestStatus status) noexcept {
  switch (status) {
    case SignatureRequestStatus::pending:
      return "pending";
    case SignatureRequestStatus::completed:
      return "completed";
    case SignatureRequestStatus::declined:
      return "declined";
    case SignatureRequestStatus::cancelled:
      return "cancelled";
    case SignatureRequestStatus::voided:
      return "voided";
  }
  return "pending";
}

std::optional<SignatureRequestStatus> parse_signature_request_status(
    std::string_view text) noexcept {
  for (auto s : {SignatureRequestStatus::pending, SignatureRequestStatus::completed,
                 SignatureRequestStatus::declined, SignatureRequestStatus::cancelled,
                 SignatureRequestStatus::voided})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view to_string(SignerStatus status) noexcept {
  switch (status) {
    case SignerStatus::pending:
      return "pending";
    case SignerStatus::signed_:
      return "signed";
    case SignerStatus::declined:
      return "declined";
  }
  return "pending";
}

std::optional<SignerStatus> parse_signer_status(std::string_view text) noexcept {
  for (auto s : {SignerStatus::pending, SignerStatus::signed_, SignerStatus::declined})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

Result<SignatureRequestInput> parse_signature_request_input(const bj::object& body) {
  json::ObjectReader r(body);
  SignatureRequestInput in;
  const auto* signers = r.array("signers", true);
  const auto order = r.string("order", {.min = 1, .max = 20});
  in.message = r.string("message", {.min = 0, .max = kMaxSignatureMessage});
  if (in.message && in.message->empty()) in.message.reset();
  const auto days = r.integer("expiresInDays", 1, kMaxSignatureExpiryDays);
  if (order) {
    if (const auto parsed = parse_signing_order(*order))
      in.order = *parsed;
    else
      r.error("order", "must be sequential or parallel");
  }
  if (days) in.expires_in_days = static_cast<int>(*days);
  auto& errors = r.errors();
  if (signers) {
    if (signers->empty() || signers->size() > kMaxSigners)
      r.error("signers", "must list 1 to " + std::to_string(kMaxSigners) + " signers");
    std::set<std::string> users, emails;
    for (std::size_t i = 0; i < signers->size() && i < kMaxSigners; ++i) {
      const auto path = "signers[" + std::to_string(i) + "]";
      auto s = parse_signer((*signers)[i], path, errors);
      if (!s) continue;
      const bool duplicate =
          s->user_id ? !users.insert(*s->user_id).second : !emails.insert(s->email).second;
      if (duplicate) errors.push_back({path, "names the same signer twice"});
      in.signers.push_back(std::move(*s));
    }
  }
  auto all = r.finish();
  if (!all.empty()) return validation_failed(std::move(all));
  return in;
}

std::string new_signing_token() {
  return crypto::random_token(kSigningTokenBytes);
}

std::string signing_token_hash(std::string_view token) {
  return crypto::sha256_hex(token);
}

bool looks_like_signing_token(std::string_view text) noexcept {
  return text.size() == 43 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

std::string signing_path(std::string_view token) {
  return "/sign/" + std::string(token);
}

std::string_view to_string(SignerAccess access) noexcept {
  switch (access) {
    case SignerAccess::allowed:
      return "allowed";
    case SignerAccess::request_closed:
      return "request_closed";
    case SignerAccess::expired:
      return "expired";
    case SignerAccess::already_used:
      return "already_used";
    case SignerAccess::not_your_turn:
      return "not_your_turn";
  }
  return "allowed";
}

bool is_turn_of(const SignatureRequest& request, const std::vector<Signer>& signers,
                const Signer& signer) noexcept {
  if (request.order == SigningOrder::parallel) return true;
  return std::all_of(signers.begin(), signers.end(), [&](const Signer& s) {
    return s.position >= signer.position || s.status == SignerStatus::signed_;
  });
}

SignerAccess check_signer_access(const SignatureRequest& request,
                                 const std::vector<Signer>& signers, const Signer& signer,
                                 std::int64_t now_ms) noexcept {
  if (signer.status != SignerStatus::pending || signer.token_used_at)
    return SignerAccess::already_used;
  if (request.status != SignatureRequestStatus::pending) return SignerAccess::request_closed;
  if (now_ms >= request.expires_at) return SignerAccess::expired;
  if (!is_turn_of(request, signers, signer)) return SignerAccess::not_your_turn;
  return SignerAccess::allowed;
}

bool all_signed(const std::vector<Signer>& signers) noexcept {
  return !signers.empty() && std::all_of(signers.begin(), signers.end(), [](const Signer& s) {
    return s.status == SignerStatus::signed_;
  });
}

std::vector<const Signer*> signers_up_next(const SignatureRequest& request,
                                           const std::vector<Signer>& signers) {
  std::vector<const Signer*> out;
  if (request.status != SignatureRequestStatus::pending) return out;
  for (const auto& s : signers) {
    if (s.status != SignerStatus::pending || !is_turn_of(request, signers, s)) continue;
    out.push_back(&s);
    if (request.order == SigningOrder::sequential) break;
  }
  return out;
}

std::string_view shown_status(const SignatureRequest& request, std::int64_t now_ms) noexcept {
  if (request.status == SignatureRequestStatus::pending && now_ms >= request.expires_at)
    return "expired";
  return to_string(request.status);
}

Result<SignerAnswer> parse_signer_answer(const bj::object& body) {
  json::ObjectReader r(body);
  SignerAnswer a;
  const auto action = r.string("action", {.min = 1, .max = 20, .required = true});
  if (!action) return validation_failed(r.finish());
  if (*action == "sign") {
    a.action = SignerAction::sign;
    const auto name = r.string("fullName", {.min = 2, .max = kMaxSignerName, .required = true});
    if (name && has_control_characters(*name))
      r.error("fullName", "must not contain control characters");
    if (name && std::none_of(name->begin(), name->end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c)) ||
                 static_cast<unsigned char>(c) >= 0x80;
        }))
      r.error("fullName", "must be your name");
    const auto* consent = r.get("consent");
    if (!consent || !is_consent(*consent))
      r.error("consent", "must be true: you agree to sign this document electronically");
    const auto sha = r.string("documentSha256", {.min = 64, .max = 64, .required = true});
    if (sha && !is_lower_hex_sha256(*sha))
      r.error("documentSha256", "must be the document's SHA-256 in lower-case hex");
    if (name) a.full_name = *name;
    if (sha) a.document_sha256 = *sha;
  } else if (*action == "decline") {
    a.action = SignerAction::decline;
    const auto reason = r.string("reason", {.min = 1, .max = kMaxDeclineReason, .required = true});
    if (reason) a.reason = *reason;
  } else {
    r.error("action", "must be sign or decline");
  }
  auto errors = r.finish();
  if (!errors.empty()) return validation_failed(std::move(errors));
  return a;
}

bj::object certificate_json(const CertificateFacts& f) {
  const auto& req = *f.request;
  bj::array signers;
  for (const auto& s : *f.signers)
    signers.push_back(bj::object{{"position", s.position + 1},
                                 {"name", s.name},
                                 {"email", s.email},
                                 {"userId", opt_string(s.user_id)},
                                 {"typedName", opt_string(s.signed_name)},
                                 {"signedAt", opt_instant(s.signed_at)},
                                 {"ip", opt_string(s.ip)},
                                 {"userAgent", opt_string(s.user_agent)},
                                 {"consent", s.consent},
                                 {"documentSha256", opt_string(s.document_sha256)},
                                 {"via", opt_string(s.via)}});
  return bj::object{
      {"certificate", "contractmgmt signature certificate"},
      {"version", 1},
      {"organization", f.organization_name},
      {"contract", bj::object{{"id", f.contract_id}, {"title", f.contract_title}}},
      {"signatureRequest", bj::object{{"id", req.id},
                                      {"order", to_string(req.order)},
                                      {"requestedBy", req.requested_by},
                                      {"createdAt", format_rfc3339(req.created_at)},
                                      {"completedAt", format_rfc3339(f.completed_at)}}},
      {"document", bj::object{{"id", req.document_id},
                              {"name", req.document_name},
                              {"version", req.document_version},
                              {"size", req.document_size},
                              {"sha256", req.document_sha256}}},
      {"signers", std::move(signers)},
      {"audit", bj::object{{"seq", f.audit_seq}, {"headHash", f.audit_head_hash}}}};
}

layout::Document certificate_document(const CertificateFacts& f) {
  const auto& req = *f.request;
  const auto dash = [](const std::optional<std::string>& v) { return v.value_or("-"); };
  layout::Document d;
  d.title = "Signature certificate";
  d.subtitle = "The electronic signatures of the document below, as recorded by contractmgmt.";
  d.footer = "Signature request " + req.id;
  d.created_at = f.completed_at;
  d.sections.push_back({"Agreement",
                        {{"",
                          {{"Organization", f.organization_name},
                           {"Contract", f.contract_title},
                           {"Contract id", f.contract_id, true},
                           {"Signature request", req.id, true},
                           {"Signing order", std::string(to_string(req.order))},
                           {"Sent", format_rfc3339(req.created_at)},
                           {"Completed", format_rfc3339(f.completed_at)}}}}});
  d.sections.push_back({"Document",
                        {{"",
                          {{"Name", req.document_name},
                           {"Version", std::to_string(req.document_version)},
                           {"Size", std::to_string(req.document_size) + " bytes"},
                           {"SHA-256", req.document_sha256, true}}}}});
  layout::Section signers{"Signers", {}};
  for (const auto& s : *f.signers)
    signers.blocks.push_back(
        {std::to_string(s.position + 1) + ". " + signer_line(s),
         {{"Typed name", s.signed_name.value_or("")},
          {"Signed at", s.signed_at ? format_rfc3339(*s.signed_at) : std::string("-")},
          {"IP address", dash(s.ip)},
          {"User agent", dash(s.user_agent)},
          {"Consent to sign electronically", s.consent ? "yes" : "no"},
          {"Document SHA-256 shown", dash(s.document_sha256), true},
          {"Signed via", dash(s.via)}}});
  d.sections.push_back(std::move(signers));
  d.sections.push_back({"Audit trail",
                        {{"",
                          {{"Chain head", "event " + std::to_string(f.audit_seq) +
                                              " (the organization's audit trail after the "
                                              "last signature)"},
                           {"Hash", f.audit_head_hash, true}}}}});
  return d;
}

bj::object to_json(const Signer& s) {
  return bj::object{{"id", s.id},
                    {"position", s.position + 1},
                    {"userId", opt_string(s.user_id)},
                    {"name", s.name},
                    {"email", s.email},
                    {"status", to_string(s.status)},
                    {"signedAt", opt_instant(s.signed_at)},
                    {"typedName", opt_string(s.signed_name)},
                    {"documentSha256", opt_string(s.document_sha256)},
                    {"via", opt_string(s.via)},
                    {"declinedAt", opt_instant(s.declined_at)},
                    {"declineReason", opt_string(s.decline_reason)},
                    {"linkIssuedAt", format_rfc3339(s.token_issued_at)}};
}

bj::object to_json(const SignatureRequest& r, const std::vector<Signer>& signers,
                   std::int64_t now_ms) {
  bj::array items;
  for (const auto& s : signers) {
    auto o = to_json(s);
    o["yourTurn"] = r.status == SignatureRequestStatus::pending &&
                    s.status == SignerStatus::pending && is_turn_of(r, signers, s);
    items.push_back(std::move(o));
  }
  bj::value certificate = nullptr;
  if (r.certificate_json_id || r.certificate_pdf_id)
    certificate = bj::object{{"jsonDocumentId", opt_string(r.certificate_json_id)},
                             {"pdfDocumentId", opt_string(r.certificate_pdf_id)}};
  return bj::object{{"id", r.id},
                    {"contractId", r.contract_id},
                    {"status", shown_status(r, now_ms)},
                    {"order", to_string(r.order)},
                    {"message", opt_string(r.message)},
                    {"requestedBy", r.requested_by},
                    {"document", bj::object{{"id", r.document_id},
                                            {"version", r.document_version},
                                            {"name", r.document_name},
                                            {"size", r.document_size},
                                            {"sha256", r.document_sha256}}},
                    {"expiresAt", format_rfc3339(r.expires_at)},
                    {"createdAt", format_rfc3339(r.created_at)},
                    {"updatedAt", format_rfc3339(r.updated_at)},
                    {"completedAt", opt_instant(r.completed_at)},
                    {"endedAt", opt_instant(r.ended_at)},
                    {"endReason", opt_string(r.end_reason)},
                    {"certificate", std::move(certificate)},
                    {"signers", std::move(items)}};
}

}  // namespace cm
