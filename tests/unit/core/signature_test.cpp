// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/signature.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/crypto.hpp"

namespace cm {
namespace {

namespace bj = boost::json;

constexpr const char* kSigner = "0190a1b2-0000-7000-8000-000000000001";

bj::object parse(std::string_view text) {
  return bj::parse(text).as_object();
}

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields()) out.push_back(f.field);
  return out;
}

SignatureRequest request(SigningOrder order) {
  SignatureRequest r;
  r.id = "r";
  r.order = order;
  r.expires_at = 1000;
  return r;
}

std::vector<Signer> signers(std::initializer_list<SignerStatus> statuses) {
  std::vector<Signer> out;
  int i = 0;
  for (auto s : statuses) {
    Signer x;
    x.id = "s" + std::to_string(i);
    x.position = i++;
    x.status = s;
    out.push_back(x);
  }
  return out;
}

TEST(SignatureTokens, AreLongRandomBase64UrlAndStoredAsSha256) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto t = new_signing_token();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_TRUE(looks_like_signing_token(t)) << t;
    EXPECT_EQ(crypto::base64url_decode(t)->size(), 32u);
    EXPECT_TRUE(seen.insert(t).second);
  }
  const auto t = new_signing_token();
  EXPECT_EQ(signing_token_hash(t), crypto::sha256_hex(t));
  EXPECT_EQ(signing_token_hash(t).size(), 64u);
  EXPECT_NE(signing_token_hash(t), t);
  EXPECT_EQ(signing_path(t), "/sign/" + t);
  EXPECT_FALSE(looks_like_signing_token(""));
  EXPECT_FALSE(looks_like_signing_token(t.substr(1)));
  EXPECT_FALSE(looks_like_signing_token(t + "A"));
  EXPECT_FALSE(looks_like_signing_token(std::string(42, 'a') + "="));
  EXPECT_FALSE(looks_like_signing_token(std::string(42, 'a') + "/"));
}

TEST(SignatureRequestInput, ParsesInternalAndExternalSignersWithDefaults) {
  auto in = parse_signature_request_input(parse(R"({"signers": [
      {"userId": "0190a1b2-0000-7000-8000-000000000001"},
      {"name": " Bob Buyer ", "email": "Bob@Example.COM"}]})"));
  ASSERT_TRUE(in) << in.error().detail();
  ASSERT_EQ(in->signers.size(), 2u);
  EXPECT_EQ(in->signers[0].user_id, std::optional<std::string>(kSigner));
  EXPECT_EQ(in->signers[1].name, "Bob Buyer");
  EXPECT_EQ(in->signers[1].email, "bob@example.com");
  EXPECT_EQ(in->order, SigningOrder::sequential);
  EXPECT_EQ(in->expires_in_days, 14);
  EXPECT_FALSE(in->message);

  in = parse_signature_request_input(parse(
      R"({"signers": [{"name": "A", "email": "a@x.io"}], "order": "parallel", "message": "hi",
          "expiresInDays": 90})"));
  ASSERT_TRUE(in);
  EXPECT_EQ(in->order, SigningOrder::parallel);
  EXPECT_EQ(in->message, std::optional<std::string>("hi"));
  EXPECT_EQ(in->expires_in_days, 90);
}

TEST(SignatureRequestInput, RefusesBadSignersOrderExpiryAndUnknownFields) {
  const auto fields = [](std::string_view body) {
    auto in = parse_signature_request_input(parse(body));
    EXPECT_FALSE(in) << body;
    return in ? std::vector<std::string>{} : fields_of(in.error());
  };
  EXPECT_EQ(fields(R"({})"), std::vector<std::string>{"signers"});
  EXPECT_EQ(fields(R"({"signers": []})"), std::vector<std::string>{"signers"});
  EXPECT_EQ(fields(R"({"signers": [{"name": "A", "email": "nope"}]})"),
            std::vector<std::string>{"signers[0].email"});
  EXPECT_EQ(fields(R"({"signers": [{"email": "a@x.io"}]})"),
            std::vector<std::string>{"signers[0].name"});
  EXPECT_EQ(fields(R"({"signers": [{"userId": "0190a1b2-0000-7000-8000-000000000001",
                                     "name": "A", "email": "a@x.io"}]})"),
            std::vector<std::string>{"signers[0].userId"});
  EXPECT_EQ(fields(R"({"signers": [{"userId": "12"}]})"),
            std::vector<std::string>{"signers[0].userId"});
  EXPECT_EQ(fields(R"({"signers": [{"name": "A", "email": "a@x.io"},
                                    {"name": "B", "email": "A@X.io"}]})"),
            std::vector<std::string>{"signers[1]"});
  EXPECT_EQ(fields(R"({"signers": [{"name": "A", "email": "a@x.io", "phone": "1"}]})"),
            std::vector<std::string>{"signers[0].phone"});
  EXPECT_EQ(fields(R"({"signers": [{"name": "A", "email": "a@x.io"}], "order": "random"})"),
            std::vector<std::string>{"order"});
  EXPECT_EQ(fields(R"({"signers": [{"name": "A", "email": "a@x.io"}], "expiresInDays": 0})"),
            std::vector<std::string>{"expiresInDays"});
  EXPECT_EQ(fields(R"({"signers": [{"name": "A", "email": "a@x.io"}], "expiresInDays": 91})"),
            std::vector<std::string>{"expiresInDays"});
  EXPECT_EQ(fields(R"({"signers": [{"name": "A", "email": "a@x.io"}], "sendEmail": true})"),
            std::vector<std::string>{"sendEmail"});
  bj::array many;
  for (int i = 0; i < 21; ++i)
    many.push_back(bj::object{{"name", "N"}, {"email", "n" + std::to_string(i) + "@x.io"}});
  EXPECT_FALSE(parse_signature_request_input(bj::object{{"signers", many}}));
}

TEST(SigningTurns, SequentialWaitsForEveryEarlierSignerParallelDoesNot) {
  auto seq = request(SigningOrder::sequential);
  auto s = signers({SignerStatus::pending, SignerStatus::pending, SignerStatus::pending});
  EXPECT_TRUE(is_turn_of(seq, s, s[0]));
  EXPECT_FALSE(is_turn_of(seq, s, s[1]));
  EXPECT_FALSE(is_turn_of(seq, s, s[2]));
  EXPECT_EQ(check_signer_access(seq, s, s[1], 0), SignerAccess::not_your_turn);
  ASSERT_EQ(signers_up_next(seq, s).size(), 1u);
  EXPECT_EQ(signers_up_next(seq, s)[0]->id, "s0");

  s[0].status = SignerStatus::signed_;
  EXPECT_TRUE(is_turn_of(seq, s, s[1]));
  EXPECT_FALSE(is_turn_of(seq, s, s[2]));
  EXPECT_EQ(signers_up_next(seq, s)[0]->id, "s1");
  EXPECT_EQ(check_signer_access(seq, s, s[1], 0), SignerAccess::allowed);

  auto par = request(SigningOrder::parallel);
  auto p = signers({SignerStatus::pending, SignerStatus::pending, SignerStatus::signed_});
  EXPECT_TRUE(is_turn_of(par, p, p[1]));
  EXPECT_EQ(signers_up_next(par, p).size(), 2u);
  EXPECT_EQ(check_signer_access(par, p, p[1], 0), SignerAccess::allowed);
}

TEST(SigningTurns, UsedExpiredAndClosedLinksAreRefused) {
  auto r = request(SigningOrder::parallel);
  auto s = signers({SignerStatus::pending, SignerStatus::signed_});
  EXPECT_EQ(check_signer_access(r, s, s[1], 0), SignerAccess::already_used);
  EXPECT_EQ(check_signer_access(r, s, s[0], 999), SignerAccess::allowed);
  EXPECT_EQ(check_signer_access(r, s, s[0], 1000), SignerAccess::expired);
  EXPECT_EQ(shown_status(r, 1000), "expired");
  EXPECT_EQ(shown_status(r, 999), "pending");
  s[0].token_used_at = 5;
  EXPECT_EQ(check_signer_access(r, s, s[0], 0), SignerAccess::already_used);
  s[0].token_used_at.reset();
  r.status = SignatureRequestStatus::voided;
  EXPECT_EQ(check_signer_access(r, s, s[0], 0), SignerAccess::request_closed);
  EXPECT_TRUE(signers_up_next(r, s).empty());
}

TEST(SigningCompletion, NeedsEverySignature) {
  EXPECT_FALSE(all_signed({}));
  EXPECT_FALSE(all_signed(signers({SignerStatus::signed_, SignerStatus::pending})));
  EXPECT_FALSE(all_signed(signers({SignerStatus::signed_, SignerStatus::declined})));
  EXPECT_TRUE(all_signed(signers({SignerStatus::signed_, SignerStatus::signed_})));
}

TEST(SignerAnswer, SignNeedsNameConsentAndTheDocumentHash) {
  const std::string sha(64, 'a');
  auto a = parse_signer_answer(parse(R"({"action": "sign", "fullName": "  Alice Example ",
      "consent": true, "documentSha256": ")" +
                                     sha + R"("})"));
  ASSERT_TRUE(a) << a.error().detail();
  EXPECT_EQ(a->action, SignerAction::sign);
  EXPECT_EQ(a->full_name, "Alice Example");
  EXPECT_EQ(a->document_sha256, sha);
  // A form's checkbox.
  a = parse_signer_answer(bj::object{
      {"action", "sign"}, {"fullName", "Alice"}, {"consent", "on"}, {"documentSha256", sha}});
  EXPECT_TRUE(a);

  const auto fields = [](bj::object body) {
    auto r = parse_signer_answer(body);
    EXPECT_FALSE(r);
    return r ? std::vector<std::string>{} : fields_of(r.error());
  };
  EXPECT_EQ(fields({{"action", "sign"}, {"fullName", "Alice"}, {"documentSha256", sha}}),
            std::vector<std::string>{"consent"});
  EXPECT_EQ(
      fields(
          {{"action", "sign"}, {"fullName", "Alice"}, {"consent", false}, {"documentSha256", sha}}),
      std::vector<std::string>{"consent"});
  EXPECT_EQ(
      fields(
          {{"action", "sign"}, {"fullName", "Alice"}, {"consent", "off"}, {"documentSha256", sha}}),
      std::vector<std::string>{"consent"});
  EXPECT_EQ(
      fields({{"action", "sign"}, {"fullName", "A"}, {"consent", true}, {"documentSha256", sha}}),
      std::vector<std::string>{"fullName"});
  EXPECT_EQ(
      fields(
          {{"action", "sign"}, {"fullName", "12345"}, {"consent", true}, {"documentSha256", sha}}),
      std::vector<std::string>{"fullName"});
  EXPECT_EQ(fields({{"action", "sign"},
                    {"fullName", "Alice\nBob"},
                    {"consent", true},
                    {"documentSha256", sha}}),
            std::vector<std::string>{"fullName"});
  EXPECT_EQ(fields({{"action", "sign"},
                    {"fullName", std::string(201, 'x')},
                    {"consent", true},
                    {"documentSha256", sha}}),
            std::vector<std::string>{"fullName"});
  EXPECT_EQ(fields({{"action", "sign"},
                    {"fullName", "Alice"},
                    {"consent", true},
                    {"documentSha256", std::string(64, 'A')}}),
            std::vector<std::string>{"documentSha256"});
  EXPECT_EQ(fields({{"action", "sign"}, {"fullName", "Alice"}, {"consent", true}}),
            std::vector<std::string>{"documentSha256"});
  EXPECT_EQ(fields({{"action", "approve"}}), std::vector<std::string>{"action"});
  EXPECT_EQ(fields({{"action", "decline"}}), std::vector<std::string>{"reason"});
  EXPECT_EQ(fields({{"action", "decline"}, {"reason", "no"}, {"fullName", "Alice"}}),
            std::vector<std::string>{"fullName"});
  a = parse_signer_answer(bj::object{{"action", "decline"}, {"reason", " wrong price "}});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->action, SignerAction::decline);
  EXPECT_EQ(a->reason, "wrong price");
}

TEST(SignatureCertificate, NamesSignersDocumentAndAuditHead) {
  auto r = request(SigningOrder::sequential);
  r.document_name = "msa.pdf";
  r.document_version = 2;
  r.document_sha256 = std::string(64, 'b');
  auto s = signers({SignerStatus::signed_});
  s[0].name = "Alice Example";
  s[0].email = "alice@example.com";
  s[0].signed_name = "Alice Example";
  s[0].signed_at = 1'700'000'000'000;
  s[0].ip = "203.0.113.9";
  s[0].user_agent = "Mozilla/5.0";
  s[0].consent = true;
  s[0].document_sha256 = r.document_sha256;
  CertificateFacts f{"c1", "MSA", "Acme", &r, &s, 1'700'000'000'500, 42, std::string(64, 'c')};
  const auto json = certificate_json(f);
  EXPECT_EQ(json.at("document").at("sha256").as_string(), r.document_sha256);
  EXPECT_EQ(json.at("document").at("version").as_int64(), 2);
  EXPECT_EQ(json.at("audit").at("headHash").as_string(), std::string(64, 'c'));
  EXPECT_EQ(json.at("audit").at("seq").as_int64(), 42);
  const auto& signer = json.at("signers").as_array().at(0).as_object();
  EXPECT_EQ(signer.at("name").as_string(), "Alice Example");
  EXPECT_EQ(signer.at("ip").as_string(), "203.0.113.9");
  EXPECT_TRUE(signer.at("consent").as_bool());
  EXPECT_EQ(signer.at("signedAt").as_string(), "2023-11-14T22:13:20.000Z");
  // The PDF's content: every field once, identifiers and hashes marked as code.
  const auto doc = certificate_document(f);
  EXPECT_EQ(doc.title, "Signature certificate");
  EXPECT_EQ(doc.created_at, 1'700'000'000'500);
  std::string text;
  std::vector<std::string> code;
  for (const auto& section : doc.sections)
    for (const auto& block : section.blocks) {
      if (!block.heading.empty()) text += block.heading + "\n";
      for (const auto& field : block.fields) {
        text += field.label + ": " + field.value + "\n";
        if (field.code) code.push_back(field.value);
      }
    }
  EXPECT_NE(text.find("1. Alice Example <alice@example.com>"), std::string::npos) << text;
  EXPECT_NE(text.find("IP address: 203.0.113.9"), std::string::npos) << text;
  EXPECT_NE(text.find("SHA-256: " + r.document_sha256), std::string::npos) << text;
  EXPECT_NE(text.find("Hash: " + std::string(64, 'c')), std::string::npos) << text;
  EXPECT_NE(std::find(code.begin(), code.end(), r.document_sha256), code.end());
  // No token material in what the requester sees.
  const auto shown = to_json(r, s, 0);
  EXPECT_EQ(bj::serialize(shown).find("token\""), std::string::npos);
}

}  // namespace
}  // namespace cm
