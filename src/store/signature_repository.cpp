// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/signature_repository.hpp"

#include <stdexcept>

namespace cm::store {

namespace {

std::string s(std::string_view v) {
  return std::string(v);
}

Param opt_int(const std::optional<std::int64_t>& v) {
  return v ? Param{*v} : Param{nullptr};
}

const std::string kRequestColumns =
    "id, org_id, contract_id, status, signing_order, message, requested_by, document_id, "
    "document_version, document_name, document_size, document_sha256, document_content_type, "
    "expires_at, created_at, updated_at, completed_at, ended_at, end_reason, certificate_json_id, "
    "certificate_pdf_id";

const std::string kSignerColumns =
    "id, org_id, request_id, position, user_id, name, email, status, token_hash, token_issued_at, "
    "token_used_at, signed_at, signed_name, consent, ip, user_agent, document_sha256, via, "
    "declined_at, decline_reason";

SignatureRequest request_row(const Row& r) {
  SignatureRequest q;
  q.id = r.text(0);
  q.org_id = r.text(1);
  q.contract_id = r.text(2);
  const auto status = parse_signature_request_status(r.text(3));
  if (!status) throw std::runtime_error("stored signature request has an unknown status");
  q.status = *status;
  q.order = parse_signing_order(r.text(4)).value_or(SigningOrder::sequential);
  q.message = r.opt_text(5);
  q.requested_by = r.text(6);
  q.document_id = r.text(7);
  q.document_version = static_cast<int>(r.int64(8));
  q.document_name = r.text(9);
  q.document_size = static_cast<std::uint64_t>(r.int64(10));
  q.document_sha256 = r.text(11);
  q.document_content_type = r.text(12);
  q.expires_at = r.int64(13);
  q.created_at = r.int64(14);
  q.updated_at = r.int64(15);
  q.completed_at = r.opt_int64(16);
  q.ended_at = r.opt_int64(17);
  q.end_reason = r.opt_text(18);
  q.certificate_json_id = r.opt_text(19);
  q.certificate_pdf_id = r.opt_text(20);
  return q;
}

Signer signer_row(const Row& r) {
  Signer x;
  x.id = r.text(0);
  x.org_id = r.text(1);
  x.request_id = r.text(2);
  x.position = static_cast<int>(r.int64(3));
  x.user_id = r.opt_text(4);
  x.name = r.text(5);
  x.email = r.text(6);
  const auto status = parse_signer_status(r.text(7));
  if (!status) throw std::runtime_error("stored signer has an unknown status");
  x.status = *status;
  x.token_hash = r.text(8);
  x.token_issued_at = r.int64(9);
  x.token_used_at = r.opt_int64(10);
  x.signed_at = r.opt_int64(11);
  x.signed_name = r.opt_text(12);
  x.consent = r.boolean(13);
  x.ip = r.opt_text(14);
  x.user_agent = r.opt_text(15);
  x.document_sha256 = r.opt_text(16);
  x.via = r.opt_text(17);
  x.declined_at = r.opt_int64(18);
  x.decline_reason = r.opt_text(19);
  return x;
}

}  // namespace

void SignatureRepository::insert(const SignatureRequest& q) {
  conn_.query("INSERT INTO signature_requests (" + kRequestColumns +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                  "$16, $17, $18, $19, $20, $21)",
              {q.id,
               q.org_id,
               q.contract_id,
               s(to_string(q.status)),
               s(to_string(q.order)),
               opt(q.message),
               q.requested_by,
               q.document_id,
               std::int64_t{q.document_version},
               q.document_name,
               static_cast<std::int64_t>(q.document_size),
               q.document_sha256,
               q.document_content_type,
               q.expires_at,
               q.created_at,
               q.updated_at,
               opt_int(q.completed_at),
               opt_int(q.ended_at),
               opt(q.end_reason),
               opt(q.certificate_json_id),
               opt(q.certificate_pdf_id)});
}

void SignatureRepository::insert_signer(const Signer& x) {
  conn_.query("INSERT INTO signature_signers (" + kSignerColumns +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                  "$16, $17, $18, $19, $20)",
              {x.id,
               x.org_id,
               x.request_id,
               std::int64_t{x.position},
               opt(x.user_id),
               x.name,
               x.email,
               s(to_string(x.status)),
               x.token_hash,
               x.token_issued_at,
               opt_int(x.token_used_at),
               opt_int(x.signed_at),
               opt(x.signed_name),
               x.consent,
               opt(x.ip),
               opt(x.user_agent),
               opt(x.document_sha256),
               opt(x.via),
               opt_int(x.declined_at),
               opt(x.decline_reason)});
}

void SignatureRepository::update(const SignatureRequest& q) {
  conn_.query(
      "UPDATE signature_requests SET status = $3, updated_at = $4, completed_at = $5, "
      "ended_at = $6, end_reason = $7, certificate_json_id = $8, certificate_pdf_id = $9 "
      "WHERE id = $1 AND org_id = $2",
      {q.id, q.org_id, s(to_string(q.status)), q.updated_at, opt_int(q.completed_at),
       opt_int(q.ended_at), opt(q.end_reason), opt(q.certificate_json_id),
       opt(q.certificate_pdf_id)});
}

void SignatureRepository::update_signer(const Signer& x) {
  conn_.query(
      "UPDATE signature_signers SET status = $3, token_hash = $4, token_issued_at = $5, "
      "token_used_at = $6, signed_at = $7, signed_name = $8, consent = $9, ip = $10, "
      "user_agent = $11, document_sha256 = $12, via = $13, declined_at = $14, "
      "decline_reason = $15 WHERE id = $1 AND org_id = $2",
      {x.id, x.org_id, s(to_string(x.status)), x.token_hash, x.token_issued_at,
       opt_int(x.token_used_at), opt_int(x.signed_at), opt(x.signed_name), x.consent, opt(x.ip),
       opt(x.user_agent), opt(x.document_sha256), opt(x.via), opt_int(x.declined_at),
       opt(x.decline_reason)});
}

std::optional<SignatureRequest> SignatureRepository::find(std::string_view org_id,
                                                          std::string_view request_id,
                                                          bool for_update) {
  const std::string lock =
      for_update && conn_.dialect() == Dialect::postgres ? " FOR UPDATE" : std::string();
  const auto r = conn_.query(
      "SELECT " + kRequestColumns + " FROM signature_requests WHERE org_id = $1 AND id = $2" + lock,
      {s(org_id), s(request_id)});
  if (r.empty()) return std::nullopt;
  return request_row(r.rows.front());
}

std::optional<SignatureRequest> SignatureRepository::pending_for_contract(
    std::string_view org_id, std::string_view contract_id, bool for_update) {
  const std::string lock =
      for_update && conn_.dialect() == Dialect::postgres ? " FOR UPDATE" : std::string();
  const auto r = conn_.query("SELECT " + kRequestColumns +
                                 " FROM signature_requests WHERE org_id = $1 AND contract_id = $2 "
                                 "AND status = 'pending'" +
                                 lock,
                             {s(org_id), s(contract_id)});
  if (r.empty()) return std::nullopt;
  return request_row(r.rows.front());
}

std::vector<SignatureRequest> SignatureRepository::list_for_contract(std::string_view org_id,
                                                                     std::string_view contract_id) {
  std::vector<SignatureRequest> out;
  const auto r = conn_.query("SELECT " + kRequestColumns +
                                 " FROM signature_requests WHERE org_id = $1 AND contract_id = $2 "
                                 "ORDER BY created_at DESC, id DESC",
                             {s(org_id), s(contract_id)});
  for (const auto& row : r.rows) out.push_back(request_row(row));
  return out;
}

std::vector<Signer> SignatureRepository::signers(std::string_view org_id,
                                                 std::string_view request_id) {
  std::vector<Signer> out;
  const auto r = conn_.query("SELECT " + kSignerColumns +
                                 " FROM signature_signers WHERE org_id = $1 AND request_id = $2 "
                                 "ORDER BY position",
                             {s(org_id), s(request_id)});
  for (const auto& row : r.rows) out.push_back(signer_row(row));
  return out;
}

std::optional<Signer> SignatureRepository::signer_by_token_hash(std::string_view token_hash) {
  const auto r =
      conn_.query("SELECT " + kSignerColumns + " FROM signature_signers WHERE token_hash = $1",
                  {s(token_hash)});
  if (r.empty()) return std::nullopt;
  return signer_row(r.rows.front());
}

}  // namespace cm::store
