// SPDX-License-Identifier: AGPL-3.0-or-later
// Micro-benchmarks of access-token signing and verification (every authenticated request
// verifies one).

#include <benchmark/benchmark.h>

#include <string>

#include "auth/jwt.hpp"

namespace cm::auth {
namespace {

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef0123456789abcdef";

AccessClaims sample_claims() {
  return {.subject = "0190a1b2-0000-7000-8000-000000000001",
          .org_id = "0190a1b2-0000-7000-8000-0000000000bb",
          .role = "manager",
          .session_id = "0190a1b2-0000-7000-8000-0000000000ee",
          .issued_at = 1'700'000'000,
          .expires_at = 1'700'000'900};
}

void BM_JwtSign(benchmark::State& state) {
  const auto claims = sample_claims();
  for (auto _ : state) {
    std::string token = sign_jwt(claims, kSecret);
    benchmark::DoNotOptimize(token);
  }
}
BENCHMARK(BM_JwtSign);

void BM_JwtVerify(benchmark::State& state) {
  const std::string token = sign_jwt(sample_claims(), kSecret);
  for (auto _ : state) {
    auto claims = verify_jwt(token, kSecret, 1'700'000'100);
    if (!claims.ok()) state.SkipWithError("token rejected");
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_JwtVerify);

}  // namespace
}  // namespace cm::auth
