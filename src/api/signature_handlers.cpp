// SPDX-License-Identifier: AGPL-3.0-or-later
// E-signatures over HTTP. The requester's side (authenticated, under the contract): send an
// approved contract for signature, list and read requests, cancel one, re-issue a signer's link,
// and sign as an internal signer in one's own session. The signer's side (no login, the link
// token is the credential): GET /sign/{token} shows what is to be signed (JSON or a small HTML
// page), GET /sign/{token}/document streams the exact version sent, POST /sign/{token} signs or
// declines (JSON or an HTML form post). The rules are core/signature; the steps
// workflow/signatures.

#include <boost/json.hpp>

#include "api/audit_support.hpp"
#include "api/content_body.hpp"
#include "api/contract_lookup.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/problems.hpp"
#include "api/signing_pages.hpp"
#include "api/transactions.hpp"
#include "blob/content_store.hpp"
#include "core/document.hpp"
#include "core/json.hpp"
#include "core/permissions.hpp"
#include "core/signature.hpp"
#include "core/time.hpp"
#include "core/utf8.hpp"
#include "http/form.hpp"
#include "http/multipart.hpp"
#include "store/audit_repository.hpp"
#include "store/contract_repository.hpp"
#include "store/counterparty_repository.hpp"
#include "store/document_repository.hpp"
#include "store/signature_repository.hpp"
#include "store/user_repository.hpp"
#include "workflow/signatures.hpp"

namespace cm::api {

namespace {

bool accepts(const http::Request& req, std::string_view type) {
  const auto accept = req.header("Accept");
  return accept && accept->find(type) != std::string_view::npos;
}

// A browser (Accept: text/html, not asking for JSON) gets HTML pages, errors included; any other
// client gets JSON and problem+json.
bool browser(const http::Request& req) {
  return accepts(req, "text/html") && !accepts(req, "application/json");
}

bool is_form_post(const http::Request& req) {
  const auto type = req.header("Content-Type");
  return type && type->starts_with("application/x-www-form-urlencoded");
}

// The body of a signer's answer: JSON, or an HTML form's fields as JSON strings.
bj::object read_answer_body(const http::Request& req) {
  if (!is_form_post(req)) return read_json_body(req);
  auto fields = http::parse_form_urlencoded(req.body);
  if (!fields) throw fields.error();
  bj::object out;
  for (auto& [name, value] : *fields) {
    if (out.contains(name)) throw bad_request("The form repeats the field " + name + ".");
    if (!utf8::is_valid(value)) throw validation_failed({{name, "must be valid UTF-8"}});
    out[name] = value;
  }
  return out;
}

// The error as an HTML page for browsers.
http::Response error_page(const Error& e) {
  const int status = http_status(e.kind());
  std::string heading = "Something is not right";
  if (e.kind() == ErrorKind::not_found) heading = "This signing link is not valid";
  if (e.kind() == ErrorKind::gone) heading = "This signing link no longer works";
  if (e.kind() == ErrorKind::conflict) heading = "You cannot sign this now";
  if (e.kind() == ErrorKind::validation) heading = "Please check your answer";
  if (e.kind() == ErrorKind::internal) heading = "Something went wrong on our side";
  std::vector<std::string> details;
  for (const auto& f : e.fields()) details.push_back(f.field + ": " + f.message);
  const std::string text = e.kind() == ErrorKind::internal ? "Please try again later." : e.detail();
  return message_page_html(status, heading, text, details);
}

bj::object request_json(const SignatureRequest& request, const std::vector<Signer>& signers) {
  return to_json(request, signers, now_unix_ms());
}

// A signing link resolved to its signer, request and contract (no access decision yet).
struct Link {
  Signer signer;
  SignatureRequest request;
  std::vector<Signer> signers;
  Contract contract;
};

Link open_link(store::Connection& conn, std::string_view token) {
  if (!looks_like_signing_token(token)) throw not_found("signing link");
  store::SignatureRepository repo(conn);
  auto signer = repo.signer_by_token_hash(signing_token_hash(token));
  if (!signer) throw not_found("signing link");
  auto request = repo.find(signer->org_id, signer->request_id);
  auto contract = request
                      ? store::ContractRepository(conn).find(signer->org_id, request->contract_id)
                      : std::nullopt;
  if (!request || !contract) throw not_found("signing link");
  auto signers = repo.signers(signer->org_id, signer->request_id);
  return {std::move(*signer), std::move(*request), std::move(signers), std::move(*contract)};
}

void require_access(const Link& link) {
  const auto access = check_signer_access(link.request, link.signers, link.signer, now_unix_ms());
  if (access != SignerAccess::allowed)
    throw workflow::signer_access_error(access, workflow::SigningChannel::link);
}

class SignatureHandlers {
 public:
  explicit SignatureHandlers(const ApiDependencies& deps)
      : db_(deps.db),
        services_{deps.documents.content, deps.documents.certificate_pdf,
                  deps.documents.extraction_supported, deps.documents.enqueue_extraction} {}

  // --- The requester's side ------------------------------------------------------------------

  // No Idempotency-Key: the response carries the link tokens, which must never be stored. A
  // retry finds the contract out for signature already (409).
  http::Response create(http::Request& req) {
    const auto& p = principal_of(req);
    if (!permissions::can_write(p)) throw forbidden("Viewers cannot send contracts for signature.");
    const auto id = id_param(req, "id", "contract");
    const auto body = read_json_body(req);
    auto input = parse_signature_request_input(body);
    if (!input) throw input.error();
    workflow::CreatedSignatureRequest created;
    in_write_transaction(db_, [&](store::Connection& conn) {
      auto contract = require_contract(conn, p, id);
      if (!permissions::can_edit_contract(p, contract.owner_id))
        throw forbidden("Members send only the contracts they own for signature.");
      created = workflow::send_for_signature(conn, audit_actor(req), contract, *input, p.user_id);
    });
    auto out = request_json(created.request, created.signers);
    auto& signers = out["signers"].as_array();
    for (std::size_t i = 0; i < signers.size(); ++i)
      signers[i].as_object()["signUrl"] = signing_path(created.tokens[i]);
    auto r = json_response(201, out);
    r.headers.set("Location",
                  "/api/v1/contracts/" + id + "/signature-requests/" + created.request.id);
    r.headers.set("Cache-Control", "no-store");
    return r;
  }

  http::Response list(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    bj::array items;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, id);
      store::SignatureRepository repo(conn);
      for (const auto& request : repo.list_for_contract(p.org_id, id))
        items.push_back(request_json(request, repo.signers(p.org_id, request.id)));
    });
    return json_response(200, bj::object{{"items", std::move(items)}});
  }

  http::Response get(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    const auto request_id = id_param(req, "requestId", "signature request");
    bj::object out;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, id);
      store::SignatureRepository repo(conn);
      const auto request = repo.find(p.org_id, request_id);
      if (!request || request->contract_id != id) throw not_found("signature request");
      out = request_json(*request, repo.signers(p.org_id, request_id));
    });
    return json_response(200, out);
  }

  http::Response cancel(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    const auto request_id = id_param(req, "requestId", "signature request");
    std::optional<std::string> reason;
    if (!req.body.empty()) {
      const auto body = read_json_body(req);
      json::ObjectReader r(body);
      reason = r.string("reason", {.min = 1, .max = kMaxDeclineReason});
      auto errors = r.finish();
      if (!errors.empty()) throw validation_failed(std::move(errors));
    }
    bj::object out;
    in_write_transaction(db_, [&](store::Connection& conn) {
      auto contract = require_editable(conn, p, id);
      const auto request = workflow::cancel_signature_request(conn, audit_actor(req), contract,
                                                              request_id, p.user_id, reason);
      out = request_json(request, store::SignatureRepository(conn).signers(p.org_id, request_id));
    });
    return json_response(200, out);
  }

  http::Response reissue(http::Request& req) {
    const auto& p = principal_of(req);
    const auto id = id_param(req, "id", "contract");
    const auto request_id = id_param(req, "requestId", "signature request");
    const auto signer_id = id_param(req, "signerId", "signer");
    std::pair<Signer, std::string> issued;
    in_write_transaction(db_, [&](store::Connection& conn) {
      const auto contract = require_editable(conn, p, id);
      issued =
          workflow::reissue_signing_link(conn, audit_actor(req), contract, request_id, signer_id);
    });
    auto out = to_json(issued.first);
    out["signUrl"] = signing_path(issued.second);
    auto r = json_response(200, out);
    r.headers.set("Cache-Control", "no-store");
    return r;
  }

  // An internal signer signs (or declines) in their own session, with the same body as a link.
  http::Response sign_in_session(http::Request& req) {
    const auto& p = principal_of(req);
    if (p.actor_type != ActorType::user)
      throw forbidden("A signature is given by a person; API keys cannot sign.");
    const auto id = id_param(req, "id", "contract");
    const auto request_id = id_param(req, "requestId", "signature request");
    auto answer = parse_signer_answer(read_json_body(req));
    if (!answer) throw answer.error();
    std::string signer_id;
    in_read_transaction(db_, [&](store::Connection& conn) {
      require_contract(conn, p, id);
      store::SignatureRepository repo(conn);
      const auto request = repo.find(p.org_id, request_id);
      if (!request || request->contract_id != id) throw not_found("signature request");
      for (const auto& s : repo.signers(p.org_id, request_id))
        if (s.user_id == p.user_id) signer_id = s.id;
    });
    if (signer_id.empty()) throw forbidden("You are not a signer of this signature request.");
    workflow::SigningOutcome outcome;
    const workflow::SignerEvidence evidence{req.remote_ip,
                                            std::string(req.header("User-Agent").value_or("")),
                                            workflow::SigningChannel::session};
    in_write_transaction_tx(db_, [&](store::Transaction& tx) {
      outcome = workflow::answer_signature(tx, services_, audit_actor(req), p.org_id, request_id,
                                           signer_id, *answer, evidence);
    });
    return json_response(200, request_json(outcome.request, outcome.signers));
  }

  // --- The signer's side (public) --------------------------------------------------------------

  http::Response link_page(http::Request& req) {
    const bool html = !accepts(req, "application/json");
    try {
      const std::string token(req.param("token"));
      Link link;
      std::string requester;
      std::vector<std::pair<std::string, std::string>> parties;
      in_read_transaction(db_, [&](store::Connection& conn) {
        link = open_link(conn, token);
        require_access(link);
        const auto user =
            store::UserRepository(conn).find(link.signer.org_id, link.request.requested_by);
        requester = user ? user->name : std::string("The sender");
        store::CounterpartyRepository counterparties(conn);
        for (const auto& party : link.contract.parties) {
          const auto cp = counterparties.find(link.signer.org_id, party.counterparty_id);
          parties.emplace_back(cp ? cp->name : std::string("(unknown)"), party.role);
        }
      });
      const auto& rq = link.request;
      SigningPage page{signing_path(token),
                       link.contract.title,
                       parties,
                       requester,
                       rq.message,
                       link.signer.name,
                       link.signer.email,
                       rq.document_name,
                       rq.document_version,
                       rq.document_size,
                       rq.document_sha256,
                       format_rfc3339(rq.expires_at),
                       {}};
      for (const auto& s : link.signers)
        page.signers.emplace_back(s.name, std::string(to_string(s.status)));
      if (html) return signing_page_html(page);
      return json_response(200, link_json(page, rq));
    } catch (const Error& e) {
      if (!browser(req)) throw;
      return error_page(e);
    }
  }

  http::Response link_document(http::Request& req) {
    try {
      const std::string token(req.param("token"));
      Link link;
      DocumentVersion version;
      in_write_transaction(db_, [&](store::Connection& conn) {
        link = open_link(conn, token);
        require_access(link);
        auto v = store::DocumentRepository(conn).find_version(
            link.signer.org_id, link.request.document_id, link.request.document_version);
        if (!v) throw Error{ErrorKind::gone, "The document is no longer available."};
        version = std::move(*v);
        store::record_audit(conn,
                            workflow::signer_actor(link.signer, req.request_id, req.remote_ip),
                            "signature.document_viewed", "contract", link.contract.id,
                            bj::object{{"requestId", link.request.id},
                                       {"signerId", link.signer.id},
                                       {"documentSha256", version.sha256}});
      });
      auto source = services_.content->open(version);
      if (!source) throw source.error();
      http::Response r;
      r.status = 200;
      r.stream = std::make_shared<ContentBody>(std::move(*source), version.size);
      r.headers.set("Content-Type", version.content_type);
      const bool inline_view =
          req.query_param("disposition") == std::optional<std::string_view>("inline");
      r.headers.set("Content-Disposition",
                    http::format_content_disposition(inline_view ? "inline" : "attachment",
                                                     version.filename));
      r.headers.set("ETag", "\"" + version.sha256 + "\"");
      r.headers.set("Cache-Control", "no-store");
      r.headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
      return r;
    } catch (const Error& e) {
      if (!browser(req)) throw;
      return error_page(e);
    }
  }

  http::Response link_answer(http::Request& req) {
    const bool html = browser(req) || (is_form_post(req) && !accepts(req, "application/json"));
    try {
      const std::string token(req.param("token"));
      auto answer = parse_signer_answer(read_answer_body(req));
      if (!answer) throw answer.error();
      Link link;
      in_read_transaction(db_, [&](store::Connection& conn) { link = open_link(conn, token); });
      const workflow::SignerEvidence evidence{req.remote_ip,
                                              std::string(req.header("User-Agent").value_or("")),
                                              workflow::SigningChannel::link};
      workflow::SigningOutcome outcome;
      in_write_transaction_tx(db_, [&](store::Transaction& tx) {
        outcome = workflow::answer_signature(
            tx, services_, workflow::signer_actor(link.signer, req.request_id, req.remote_ip),
            link.signer.org_id, link.request.id, link.signer.id, *answer, evidence);
      });
      const bool signed_ = outcome.signer.status == SignerStatus::signed_;
      if (html) {
        if (!signed_)
          return message_page_html(200, "You declined to sign",
                                   "Thank you. The sender has been told, with your reason.");
        return message_page_html(200, "Thank you, you have signed",
                                 outcome.request.status == SignatureRequestStatus::completed
                                     ? "Everyone has signed \"" + outcome.contract.title +
                                           "\". The sender has the signature certificate."
                                     : "Your signature on \"" + outcome.contract.title +
                                           "\" is recorded. The other signers will be asked next.");
      }
      return json_response(
          200, bj::object{{"status", to_string(outcome.signer.status)},
                          {"signedAt", outcome.signer.signed_at
                                           ? bj::value(format_rfc3339(*outcome.signer.signed_at))
                                           : bj::value(nullptr)},
                          {"documentSha256", outcome.signer.document_sha256
                                                 ? bj::value(*outcome.signer.document_sha256)
                                                 : bj::value(nullptr)},
                          {"requestStatus", to_string(outcome.request.status)},
                          {"contractStatus", outcome.contract.status}});
    } catch (const Error& e) {
      if (!html) throw;
      return error_page(e);
    }
  }

 private:
  static Contract require_editable(store::Connection& conn, const Principal& p,
                                   const std::string& id) {
    auto contract = require_contract(conn, p, id);
    if (!permissions::can_write(p) || !permissions::can_edit_contract(p, contract.owner_id))
      throw forbidden("You may not change this contract's signature requests.");
    return contract;
  }

  static bj::object link_json(const SigningPage& page, const SignatureRequest& rq) {
    bj::array parties;
    for (const auto& [name, role] : page.parties)
      parties.push_back(bj::object{{"name", name}, {"role", role}});
    bj::array signers;
    for (std::size_t i = 0; i < page.signers.size(); ++i)
      signers.push_back(bj::object{{"position", i + 1},
                                   {"name", page.signers[i].first},
                                   {"status", page.signers[i].second}});
    return bj::object{
        {"contract", bj::object{{"title", page.contract_title}, {"parties", std::move(parties)}}},
        {"requestedBy", bj::object{{"name", page.requester_name}}},
        {"message", page.message ? bj::value(bj::string(*page.message)) : bj::value(nullptr)},
        {"signer", bj::object{{"name", page.signer_name}, {"email", page.signer_email}}},
        {"document", bj::object{{"name", page.document_name},
                                {"version", page.document_version},
                                {"size", page.document_size},
                                {"sha256", page.document_sha256},
                                {"contentType", rq.document_content_type},
                                {"url", page.link_path + "/document"}}},
        {"order", to_string(rq.order)},
        {"expiresAt", page.expires_at},
        {"signers", std::move(signers)},
        {"actions",
         bj::object{
             {"sign", bj::object{{"method", "POST"},
                                 {"url", page.link_path},
                                 {"body", bj::object{{"action", "sign"},
                                                     {"fullName", "<your full name>"},
                                                     {"consent", true},
                                                     {"documentSha256", page.document_sha256}}}}},
             {"decline",
              bj::object{{"method", "POST"},
                         {"url", page.link_path},
                         {"body", bj::object{{"action", "decline"}, {"reason", "<why>"}}}}}}}};
  }

  store::Database& db_;
  workflow::SignatureServices services_;
};

}  // namespace

void add_signature_routes(http::Router& router, const ApiDependencies& deps) {
  if (!deps.documents.content) return;  // no documents, nothing to sign
  auto h = std::make_shared<SignatureHandlers>(deps);
  const std::string base = "/api/v1/contracts/{id}/signature-requests";
  router.add("POST", base, [h](http::Request& r) { return h->create(r); });
  router.add("GET", base, [h](http::Request& r) { return h->list(r); });
  router.add("GET", base + "/{requestId}", [h](http::Request& r) { return h->get(r); });
  router.add("POST", base + "/{requestId}/cancel", [h](http::Request& r) { return h->cancel(r); });
  router.add("POST", base + "/{requestId}/signers/{signerId}/reissue",
             [h](http::Request& r) { return h->reissue(r); });
  router.add("POST", base + "/{requestId}/sign",
             [h](http::Request& r) { return h->sign_in_session(r); });
  router.add(
      "GET", "/sign/{token}", [h](http::Request& r) { return h->link_page(r); },
      http::Access::public_route);
  router.add(
      "POST", "/sign/{token}", [h](http::Request& r) { return h->link_answer(r); },
      http::Access::public_route);
  router.add(
      "GET", "/sign/{token}/document", [h](http::Request& r) { return h->link_document(r); },
      http::Access::public_route);
}

}  // namespace cm::api
