// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// E-signature workflow: sending an approved contract for signature, signers signing or declining
// (by link or in a session), completion with the signature certificate, cancelling, re-issuing a
// signer's link, and voiding when a material edit or a cancellation ends a request. Each step
// runs inside the caller's transaction: the request and signer rows, the contract's transition
// (with its history and audit event), the audit events of the signature itself, the certificate
// documents and the notifications commit together. The rules are core/signature.hpp.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/contract.hpp"
#include "core/signature.hpp"
#include "store/database.hpp"

namespace cm::blob {
class ContentStore;
}  // namespace cm::blob
namespace cm::render {
class PdfRenderer;
}  // namespace cm::render

namespace cm::workflow {

// What completing a request needs besides the database: where the certificate's contents go, what
// renders its PDF, and how text extraction of the PDF is queued (the document services of the API).
struct SignatureServices {
  blob::ContentStore* content = nullptr;
  const render::PdfRenderer* pdf = nullptr;
  std::function<bool(std::string_view content_type)> extraction_supported;
  std::function<void(store::Transaction&, const std::string& org_id, const std::string& document_id,
                     int version)>
      enqueue_extraction;
};

struct CreatedSignatureRequest {
  SignatureRequest request;
  std::vector<Signer> signers;
  std::vector<std::string> tokens;  // each signer's link token, in signer order; never stored
};

// Sends an approved contract for signature: snapshots its main document (exactly one live
// `main` document is required: 422 otherwise), creates the request and its signers with fresh
// link tokens, moves the contract to out_for_signature and notifies the internal signers whose
// turn it is. Internal signers must be active users of the organization (validation error on
// signers[i].userId). 409 unless the contract is approved.
CreatedSignatureRequest send_for_signature(store::Connection& conn, const AuditActor& actor,
                                           Contract& contract, const SignatureRequestInput& input,
                                           const std::string& requested_by);

// Withdraws the contract's pending request: the request is cancelled (links stop working) and
// the contract returns to approved. 409 when the request is not pending.
SignatureRequest cancel_signature_request(store::Connection& conn, const AuditActor& actor,
                                          Contract& contract, const std::string& request_id,
                                          const std::string& actor_user_id,
                                          const std::optional<std::string>& reason);

// A new link for a pending signer of a pending, unexpired request; the old link stops working.
// Returns the signer and the new token.
std::pair<Signer, std::string> reissue_signing_link(store::Connection& conn,
                                                    const AuditActor& actor,
                                                    const Contract& contract,
                                                    const std::string& request_id,
                                                    const std::string& signer_id);

// Voids the contract's pending signature request, if any (a material edit, a cancellation of the
// contract): its links stop working and the requester is notified. apply_transition calls it for
// rows that void signature requests.
void void_signature_requests(store::Connection& conn, const AuditActor& actor,
                             std::string_view org_id, std::string_view contract_id,
                             std::string_view reason);

// How a signer reached us: by link (no login; refusals of a used or closed link are 410) or in
// an authenticated session (refusals are 409).
enum class SigningChannel { link, session };

// The error for a signer who may not act now.
Error signer_access_error(SignerAccess access, SigningChannel channel);

struct SignerEvidence {
  std::string ip;
  std::string user_agent;  // truncated to kMaxUserAgent bytes
  SigningChannel channel = SigningChannel::link;
};

struct SigningOutcome {
  SignatureRequest request;
  std::vector<Signer> signers;
  Signer signer;
  Contract contract;
};

// The audit actor of a signer using their link (actor type "signer", actor id the signer's id).
AuditActor signer_actor(const Signer& signer, std::string request_id, std::string ip);

// Records a signer's answer. Locks the request, re-checks the signer's access (used, closed,
// expired, turn), and for a signature checks that the SHA-256 the signer was shown is the
// snapshot's and that the main document has not changed since (409 otherwise). A signature by
// the last signer completes the request: the contract becomes active with signedAt, and the
// certificate is stored as two signed_copy documents (signature-certificate-<request>.json and
// .pdf). A decline ends the request and returns the contract to approved with the reason.
SigningOutcome answer_signature(store::Transaction& tx, const SignatureServices& services,
                                const AuditActor& actor, const std::string& org_id,
                                const std::string& request_id, const std::string& signer_id,
                                const SignerAnswer& answer, const SignerEvidence& evidence);

}  // namespace cm::workflow
