// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Native e-signatures as pure rules: signature requests and their signers, the parsing of a new
// request and of a signer's answer, signing links (tokens), whose turn it is, when a request is
// complete, and the signature certificate's content. Storage, HTTP and the PDF live elsewhere.
//
// Decisions beyond the text:
// - Every signer (internal users too) gets a link token: 32 random bytes as base64url (43
//   characters), stored only as its SHA-256. A link works once (signing or declining uses it),
//   until the request's expiry, and only while the request is pending. Re-issuing a signer's link
//   replaces the hash, so the old link names nothing any more.
// - Sequential order: a signer's turn comes when everyone before them has signed; parallel:
//   everyone may sign at once. The request completes when every signer has signed; one decline
//   ends it (the contract returns to approved).
// - A request snapshots the contract's main document (id, version, name, size, SHA-256); a
//   signature names the SHA-256 the signer was shown and is refused unless it is the snapshot's
//   and the main document has not changed since.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/layout.hpp"
#include "core/result.hpp"

namespace cm {

inline constexpr std::size_t kMaxSigners = 20;
inline constexpr int kDefaultSignatureExpiryDays = 14;
inline constexpr int kMaxSignatureExpiryDays = 90;
inline constexpr std::size_t kMaxSignatureMessage = 2000;
inline constexpr std::size_t kMaxSignerName = 200;
inline constexpr std::size_t kMaxDeclineReason = 2000;
inline constexpr std::size_t kMaxUserAgent = 500;
inline constexpr std::size_t kSigningTokenBytes = 32;

enum class SigningOrder { sequential, parallel };
std::string_view to_string(SigningOrder order) noexcept;
std::optional<SigningOrder> parse_signing_order(std::string_view text) noexcept;

// pending: waiting for signatures; completed: everyone signed (the contract is active);
// declined: a signer declined; cancelled: withdrawn by the requester; voided: a material edit
// or a cancellation of the contract ended it.
enum class SignatureRequestStatus { pending, completed, declined, cancelled, voided };
std::string_view to_string(SignatureRequestStatus status) noexcept;
std::optional<SignatureRequestStatus> parse_signature_request_status(
    std::string_view text) noexcept;

enum class SignerStatus { pending, signed_, declined };
std::string_view to_string(SignerStatus status) noexcept;  // "pending", "signed", "declined"
std::optional<SignerStatus> parse_signer_status(std::string_view text) noexcept;

struct Signer {
  std::string id;
  std::string org_id;
  std::string request_id;
  int position = 0;                    // 0-based order in the request
  std::optional<std::string> user_id;  // an internal signer
  std::string name;
  std::string email;
  SignerStatus status = SignerStatus::pending;
  std::string token_hash;  // SHA-256 hex of the current link token
  std::optional<std::int64_t> token_used_at;
  std::int64_t token_issued_at = 0;
  // Evidence of the signature (or of the decline).
  std::optional<std::int64_t> signed_at;
  std::optional<std::string> signed_name;  // the typed full name
  bool consent = false;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
  std::optional<std::string> document_sha256;  // the version the signer was shown
  std::optional<std::string> via;              // "link" or "session"
  std::optional<std::int64_t> declined_at;
  std::optional<std::string> decline_reason;
};

struct SignatureRequest {
  std::string id;
  std::string org_id;
  std::string contract_id;
  SignatureRequestStatus status = SignatureRequestStatus::pending;
  SigningOrder order = SigningOrder::sequential;
  std::optional<std::string> message;
  std::string requested_by;  // user id
  // The main document as it was sent.
  std::string document_id;
  int document_version = 0;
  std::string document_name;
  std::uint64_t document_size = 0;
  std::string document_sha256;
  std::string document_content_type;
  std::int64_t expires_at = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> completed_at;
  std::optional<std::int64_t> ended_at;  // declined, cancelled or voided
  std::optional<std::string> end_reason;
  std::optional<std::string> certificate_json_id;  // signed_copy documents, once completed
  std::optional<std::string> certificate_pdf_id;
};

// --- Creating a request ---------------------------------------------------------------------

struct SignerInput {
  std::optional<std::string> user_id;  // internal: name and email come from the user
  std::string name;                    // external
  std::string email;                   // external, lower-cased
};

struct SignatureRequestInput {
  std::vector<SignerInput> signers;
  SigningOrder order = SigningOrder::sequential;
  std::optional<std::string> message;
  int expires_in_days = kDefaultSignatureExpiryDays;
};

// {"signers": [{"userId": ...} | {"name": ..., "email": ...}], "order": "sequential"|"parallel",
//  "message": ..., "expiresInDays": 1..90}. Unknown fields, a signer with both or neither form,
// and the same person twice (same user or same e-mail) are validation errors.
Result<SignatureRequestInput> parse_signature_request_input(const boost::json::object& body);

// --- Links ----------------------------------------------------------------------------------

// A fresh link token (kSigningTokenBytes random bytes, base64url, 43 characters).
std::string new_signing_token();
// What is stored for a token: its SHA-256, lower-case hex.
std::string signing_token_hash(std::string_view token);
// The shape of a token (43 base64url characters); anything else names no signer.
bool looks_like_signing_token(std::string_view text) noexcept;
// The path of a signer's link: "/sign/<token>".
std::string signing_path(std::string_view token);

// Whether a signer's link (or the signer in a session) may still act, and if not, why.
enum class SignerAccess {
  allowed,
  request_closed,  // the request is no longer pending (completed, declined, cancelled, voided)
  expired,         // the request's expiry has passed
  already_used,    // this signer already signed or declined
  not_your_turn,   // sequential order: an earlier signer has not signed yet
};
std::string_view to_string(SignerAccess access) noexcept;

// Whether every signer before `signer` (by position) has signed.
bool is_turn_of(const SignatureRequest& request, const std::vector<Signer>& signers,
                const Signer& signer) noexcept;
SignerAccess check_signer_access(const SignatureRequest& request,
                                 const std::vector<Signer>& signers, const Signer& signer,
                                 std::int64_t now_ms) noexcept;
// Every signer signed.
bool all_signed(const std::vector<Signer>& signers) noexcept;
// Signers whose turn has just come: in sequential order the first pending one once all before
// it signed; in parallel order every pending one.
std::vector<const Signer*> signers_up_next(const SignatureRequest& request,
                                           const std::vector<Signer>& signers);

// The request's status as shown: a pending request past its expiry shows as "expired".
std::string_view shown_status(const SignatureRequest& request, std::int64_t now_ms) noexcept;

// --- A signer's answer ----------------------------------------------------------------------

enum class SignerAction { sign, decline };

struct SignerAnswer {
  SignerAction action = SignerAction::sign;
  std::string full_name;        // sign: the typed name, trimmed
  std::string document_sha256;  // sign: lower-case hex
  std::string reason;           // decline
};

// {"action": "sign", "fullName": ..., "consent": true, "documentSha256": ...} or
// {"action": "decline", "reason": ...}. A form post arrives as strings: `consent` then accepts
// "true", "on", "yes" or "1" (an HTML checkbox), and any other value is not consent.
Result<SignerAnswer> parse_signer_answer(const boost::json::object& body);

// --- The certificate ------------------------------------------------------------------------

struct CertificateFacts {
  std::string contract_id;
  std::string contract_title;
  std::string organization_name;
  const SignatureRequest* request = nullptr;
  const std::vector<Signer>* signers = nullptr;
  std::int64_t completed_at = 0;
  std::int64_t audit_seq = 0;  // the organization's audit chain head after the last signature
  std::string audit_head_hash;
};

// The certificate as JSON (what is stored as signature-certificate-<request>.json).
boost::json::object certificate_json(const CertificateFacts& facts);
// The same facts as the PDF shows them (src/render lays them out): the request, the document, a
// table per signer with the evidence of the signature, and the audit chain head.
layout::Document certificate_document(const CertificateFacts& facts);

// The signer as the API shows it to the requester (no token, no hash).
boost::json::object to_json(const Signer& signer);
// The request with its signers, as the API shows it.
boost::json::object to_json(const SignatureRequest& request, const std::vector<Signer>& signers,
                            std::int64_t now_ms);

}  // namespace cm
