// SPDX-License-Identifier: AGPL-3.0-or-later
// The signature certificate's PDF (src/render), read back with poppler-cpp the way a reader or a
// search index gets its text: signers' names in any script come back as written, the fonts are
// embedded, long values wrap inside the margins and long certificates continue on more pages.

#include <glib.h>
#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-font.h>
#include <poppler-page.h>

#include <memory>
#include <string>
#include <vector>

#include "core/signature.hpp"
#include "render/pdf_renderer.hpp"

namespace cm::render {
namespace {

const PdfRenderer& renderer() {
  static const auto r = [] {
    auto created = PdfRenderer::create();
    if (!created) throw std::runtime_error(created.error().detail());
    return std::move(created).value();
  }();
  return *r;
}

struct Signed {
  std::string name;
  std::string email;
};

// A completed request's certificate as signatures.cpp builds it.
struct Certificate {
  SignatureRequest request;
  std::vector<Signer> signers;
  CertificateFacts facts;
};

Certificate certificate_of(const std::vector<Signed>& people) {
  Certificate c;
  c.request.id = "0190a1b2-0000-7000-8000-00000000aaaa";
  c.request.order = SigningOrder::parallel;
  c.request.document_id = "0190a1b2-0000-7000-8000-00000000bbbb";
  c.request.document_name = "Umowa ramowa – Rahmenvertrag.pdf";
  c.request.document_version = 3;
  c.request.document_size = 123'456;
  c.request.document_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  c.request.created_at = 1'700'000'000'000;
  for (std::size_t i = 0; i < people.size(); ++i) {
    Signer s;
    s.position = static_cast<int>(i);
    s.name = people[i].name;
    s.email = people[i].email;
    s.status = SignerStatus::signed_;
    s.signed_name = people[i].name;
    s.signed_at = 1'700'000'100'000 + static_cast<std::int64_t>(i) * 60'000;
    s.consent = true;
    s.ip = "203.0.113." + std::to_string(10 + i);
    s.user_agent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91";
    s.document_sha256 = c.request.document_sha256;
    s.via = "link";
    c.signers.push_back(std::move(s));
  }
  c.facts = CertificateFacts{"0190a1b2-0000-7000-8000-00000000cccc",
                             "Master Services Agreement",
                             "Acme Sp. z o.o.",
                             &c.request,
                             &c.signers,
                             1'700'000'500'000,
                             42,
                             "c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"};
  return c;
}

// poppler reads the bytes lazily, without a copy: `pdf` must outlive the document.
std::unique_ptr<poppler::document> load(const std::string& pdf) {
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc) ADD_FAILURE() << "poppler cannot open the PDF";
  return doc;
}

std::string utf8(const poppler::ustring& text) {
  const auto bytes = text.to_utf8();
  return {bytes.begin(), bytes.end()};
}

// Every run of whitespace as one space: where poppler puts line breaks and column gaps is
// layout, not text.
std::string collapse_whitespace(const std::string& text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The text of every page, whitespace collapsed.
std::string text_of(const poppler::document& doc) {
  std::string text;
  for (int i = 0; i < doc.pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc.create_page(i));
    text += utf8(page->text()) + "\n";
  }
  return collapse_whitespace(text);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// What a reader copying Arabic out of the PDF gets, as poppler 22.12 returns it, turned back into
// the logical character sequence that was typed. The PDF holds the shaped glyphs in visual order
// (right to left) with a ToUnicode map; poppler reorders them into logical order and
//  - wraps each right-to-left run in U+202B ... U+202C (bidi embedding marks): removed here;
//  - returns ligature glyphs that have a presentation-form code point in the font (lam-alef
//    U+FEFC, lam-alef-maksura U+FC86) as that code point: NFKC maps them back to their letters
//    (glib's g_utf8_normalize, already linked through pango);
//  - may cut a word before a final-form letter ("عبد الل ه"): its word-break heuristic measures
//    the gap between cursively joined glyphs. Such spaces are whitespace, so the comparison
//    below lets the read-back text have extra spaces, never a different, missing or reordered
//    letter, and never a missing space between words.
std::string arabic_as_copied(const std::string& text) {
  gchar* nfkc = g_utf8_normalize(text.data(), static_cast<gssize>(text.size()), G_NORMALIZE_NFKC);
  std::string out(nfkc ? nfkc : "");
  g_free(nfkc);
  for (const std::string mark : {"\u202B", "\u202C"})
    for (auto at = out.find(mark); at != std::string::npos; at = out.find(mark)) out.erase(at, 3);
  return out;
}

// Whether `expected` occurs in `text` with at most extra spaces inserted between its characters.
bool contains_allowing_extra_spaces(const std::string& text, const std::string& expected) {
  for (std::size_t start = 0; start < text.size(); ++start) {
    std::size_t t = start;
    std::size_t e = 0;
    while (e < expected.size() && t < text.size()) {
      if (text[t] == expected[e]) {
        ++t;
        ++e;
      } else if (text[t] == ' ' && e > 0) {
        ++t;  // a space poppler added
      } else {
        break;
      }
    }
    if (e == expected.size()) return true;
  }
  return false;
}

const std::vector<Signed> kInternationalSigners = {
    {"Łukasz Żółć", "lukasz@example.pl"},
    {"Γιώργος Παπαδόπουλος", "giorgos@example.gr"},
    {"王伟", "wangwei@example.cn"},
    {"محمد عبد الله", "mohammed@example.sa"},
    {"Дмитрий Шостакович", "dmitri@example.ru"},
};

TEST(CertificatePdf, SignerNamesInEveryScriptReadBackExactly) {
  auto c = certificate_of(kInternationalSigners);
  const auto pdf = renderer().render(certificate_document(c.facts));
  ASSERT_TRUE(pdf.starts_with("%PDF-1.4"));
  const auto doc = load(pdf);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->pages(), 2);
  const auto text = text_of(*doc);
  for (const auto* name : {"Łukasz Żółć", "Γιώργος Παπαδόπουλος", "王伟", "Дмитрий Шостакович"}) {
    // The table heading and the typed name.
    EXPECT_EQ(count(text, name), 2u) << name << "\n" << text;
  }
  EXPECT_NE(text.find("1. Łukasz Żółć <lukasz@example.pl>"), std::string::npos) << text;
  EXPECT_NE(text.find("Typed name Γιώργος Παπαδόπουλος"), std::string::npos) << text;
  EXPECT_NE(text.find("3. 王伟 <wangwei@example.cn>"), std::string::npos) << text;
  EXPECT_NE(text.find("Document Name Umowa ramowa – Rahmenvertrag.pdf"), std::string::npos) << text;
  EXPECT_NE(text.find("Organization Acme Sp. z o.o."), std::string::npos) << text;
  // Hashes are never cut by a hyphen or a space, and fit their line.
  EXPECT_EQ(count(text, c.request.document_sha256), 1u + kInternationalSigners.size()) << text;
  EXPECT_NE(text.find("Hash " + c.facts.audit_head_hash), std::string::npos) << text;
  EXPECT_NE(text.find("Completed 2023-11-14T22:21:40.000Z"), std::string::npos) << text;
  EXPECT_NE(text.find("Page 1 of 2"), std::string::npos) << text;
  EXPECT_NE(text.find("Page 2 of 2"), std::string::npos) << text;
  // No character fell back to '?' or to the replacement character.
  EXPECT_EQ(text.find('?'), std::string::npos) << text;
  EXPECT_EQ(text.find("\uFFFD"), std::string::npos) << text;
}

TEST(CertificatePdf, ArabicNameReadsBackInLogicalOrder) {
  auto c = certificate_of({{"محمد عبد الله", "mohammed@example.sa"},
                           {"فاطمة الزهراء", "fatima@example.eg"},
                           {"سلام ليلى", "salam@example.jo"}});
  const auto pdf = renderer().render(certificate_document(c.facts));
  const auto doc = load(pdf);  // poppler reads from `pdf`, which must outlive it
  ASSERT_TRUE(doc);
  const auto text = arabic_as_copied(text_of(*doc));
  for (const auto* name : {"محمد عبد الله", "فاطمة الزهراء", "سلام ليلى"}) {
    EXPECT_TRUE(contains_allowing_extra_spaces(text, std::string("Typed name ") + name))
        << name << "\n"
        << text;
  }
  // The comparison is strict about letters: the same words reversed are not found.
  EXPECT_FALSE(contains_allowing_extra_spaces(text, "الله عبد محمد")) << text;
}

TEST(CertificatePdf, EveryFontIsEmbedded) {
  auto c = certificate_of(kInternationalSigners);
  const auto pdf = renderer().render(certificate_document(c.facts));
  const auto doc = load(pdf);  // poppler reads from `pdf`, which must outlive it
  ASSERT_TRUE(doc);
  const auto fonts = doc->fonts();
  ASSERT_FALSE(fonts.empty());
  std::string names;
  for (const auto& f : fonts) {
    EXPECT_TRUE(f.is_embedded()) << f.name();
    names += f.name() + " ";
  }
  for (const auto* family :
       {"DejaVuSans", "DejaVuSansMono", "NotoSansArabicUI", "WenQuanYiMicroHei"})
    EXPECT_NE(names.find(std::string("+") + family), std::string::npos) << family << ": " << names;
}

TEST(CertificatePdf, LongCertificatesContinueOnMorePagesInsideTheMargins) {
  std::vector<Signed> many;
  for (int i = 1; i <= 30; ++i)
    many.push_back({"Signer Number " + std::to_string(i) + " " + std::string(80, 'W'),
                    "signer" + std::to_string(i) + "@example.com"});
  auto c = certificate_of(many);
  const auto pdf = renderer().render(certificate_document(c.facts));
  EXPECT_EQ(pdf, renderer().render(certificate_document(c.facts)));  // deterministic
  const auto doc = load(pdf);
  ASSERT_TRUE(doc);
  ASSERT_GE(doc->pages(), 8);
  const auto text = text_of(*doc);
  const auto last = "Page " + std::to_string(doc->pages()) + " of " + std::to_string(doc->pages());
  EXPECT_NE(text.find(last), std::string::npos);
  for (int i = 1; i <= 30; ++i)
    EXPECT_NE(text.find(std::to_string(i) + ". Signer Number " + std::to_string(i) + " "),
              std::string::npos)
        << i;
  // Every word on every page lies inside the 20 mm margins of A4.
  constexpr double kMargin = 56.69;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    const auto size = page->page_rect();
    EXPECT_NEAR(size.width(), 595.3, 0.5);
    EXPECT_NEAR(size.height(), 841.9, 0.5);
    for (const auto& box : page->text_list()) {
      const auto r = box.bbox();
      EXPECT_GE(r.left(), kMargin - 1) << utf8(box.text());
      EXPECT_LE(r.right(), size.width() - kMargin + 1) << utf8(box.text());
      EXPECT_GE(r.top(), kMargin - 1) << utf8(box.text());
      EXPECT_LE(r.bottom(), size.height() - kMargin + 1) << utf8(box.text());
    }
  }
}

TEST(CertificatePdf, MissingFontsAreNamedWithTheirPackage) {
  const FontFile fonts[] = {
      font_files()[0],
      {"/nonexistent/fonts/NotoSansArabicUI-Regular.ttf", "Noto Sans Arabic UI",
       "fonts-noto-ui-core"},
  };
  const auto r = PdfRenderer::create(fonts);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail().find("/nonexistent/fonts/NotoSansArabicUI-Regular.ttf"),
            std::string::npos)
      << r.error().detail();
  EXPECT_NE(r.error().detail().find("fonts-noto-ui-core"), std::string::npos);
  EXPECT_NE(r.error().detail().find("scripts/setup.sh"), std::string::npos);
}

}  // namespace
}  // namespace cm::render
