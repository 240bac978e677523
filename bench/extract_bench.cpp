// SPDX-License-Identifier: AGPL-3.0-or-later
// Text extraction from a 50-page PDF (40 lines of text a page), in process and through the
// isolated helper process (the production path: the difference is the cost of posix_spawn,
// exec and the pipe).

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "extract/extract.hpp"
#include "extract/isolated.hpp"
#include "support/build_paths.hpp"
#include "support/pdf_builder.hpp"

namespace cm::extract {
namespace {

const std::string& fifty_page_pdf() {
  static const std::string path = [] {
    std::vector<std::vector<std::string>> pages;
    for (int p = 1; p <= 50; ++p) {
      std::vector<std::string> lines;
      for (int l = 1; l <= 40; ++l) {
        lines.push_back("Clause " + std::to_string(p) + "." + std::to_string(l) +
                        " The Supplier shall provide the Services with due care and skill.");
      }
      pages.push_back(std::move(lines));
    }
    const auto file = std::filesystem::temp_directory_path() / "cm_bench_50_pages.pdf";
    std::ofstream(file, std::ios::binary) << test::make_text_pdf(pages);
    return file.string();
  }();
  return path;
}

void BM_ExtractPdf50Pages(benchmark::State& state) {
  const auto type = document_type(DocumentKind::pdf);
  std::size_t chars = 0;
  for (auto _ : state) {
    auto e = extract_text(fifty_page_pdf(), type);
    chars = e->chars;
    benchmark::DoNotOptimize(e);
  }
  state.counters["chars"] = static_cast<double>(chars);
  state.counters["pages_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 50), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExtractPdf50Pages)->Unit(benchmark::kMillisecond);

void BM_ExtractPdf50PagesIsolated(benchmark::State& state) {
  const auto type = document_type(DocumentKind::pdf);
  std::size_t chars = 0;
  for (auto _ : state) {
    auto e = extract_text_isolated(cm::test::server_binary(), fifty_page_pdf(), type);
    chars = e->chars;
    benchmark::DoNotOptimize(e);
  }
  state.counters["chars"] = static_cast<double>(chars);
}
BENCHMARK(BM_ExtractPdf50PagesIsolated)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cm::extract
