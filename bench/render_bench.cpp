// SPDX-License-Identifier: AGPL-3.0-or-later
// The signature certificate's PDF (src/render): one certificate with five signers whose names
// are in Polish, Greek, Chinese, Arabic and Russian, shaped by pango and written by cairo with the
// font subsets embedded. Reports the PDF's size as a counter.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/signature.hpp"
#include "render/pdf_renderer.hpp"

namespace cm {
namespace {

void RenderCertificatePdf(benchmark::State& state) {
  auto renderer = render::PdfRenderer::create();
  if (!renderer) {
    state.SkipWithError(renderer.error().detail().c_str());
    return;
  }
  SignatureRequest request;
  request.id = "0190a1b2-0000-7000-8000-00000000aaaa";
  request.document_name = "Master services agreement.pdf";
  request.document_version = 2;
  request.document_size = 482'113;
  request.document_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  request.created_at = 1'700'000'000'000;
  const std::vector<std::string> names = {"Łukasz Żółć", "Γιώργος Παπαδόπουλος", "王伟",
                                          "محمد عبد الله", "Дмитрий Шостакович"};
  std::vector<Signer> signers;
  for (std::size_t i = 0; i < names.size(); ++i) {
    Signer s;
    s.position = static_cast<int>(i);
    s.name = names[i];
    s.email = "signer" + std::to_string(i) + "@example.com";
    s.signed_name = names[i];
    s.signed_at = 1'700'000'100'000;
    s.consent = true;
    s.ip = "203.0.113.7";
    s.user_agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)";
    s.document_sha256 = request.document_sha256;
    s.via = "link";
    signers.push_back(std::move(s));
  }
  const CertificateFacts facts{"0190a1b2-0000-7000-8000-00000000cccc",
                               "Master services agreement",
                               "Acme",
                               &request,
                               &signers,
                               1'700'000'500'000,
                               42,
                               std::string(64, 'c')};
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto pdf = (*renderer)->render(certificate_document(facts));
    bytes = pdf.size();
    benchmark::DoNotOptimize(pdf.data());
  }
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(RenderCertificatePdf)->Unit(benchmark::kMillisecond);

void LoadCertificateFonts(benchmark::State& state) {
  for (auto _ : state) {
    auto renderer = render::PdfRenderer::create();
    if (!renderer) state.SkipWithError(renderer.error().detail().c_str());
    benchmark::DoNotOptimize(renderer);
  }
}
BENCHMARK(LoadCertificateFonts)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cm
