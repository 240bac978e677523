#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs the Debian 12 packages needed to build, test and run contractmgmt. Idempotent: a
# machine that already has everything makes no apt call at all.
# Never add libboost-dev/libboost-all-dev: they are Boost 1.74 and conflict with 1.81.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache mold pkg-config g++
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-context1.81-dev
  libsqlite3-dev libpq-dev libhiredis-dev libsodium-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  libmagic-dev libpoppler-cpp-dev libzip-dev libpugixml-dev zlib1g-dev
  prometheus-cpp-dev libjemalloc-dev postgresql-15 redis-server nginx wrk prometheus clang-format sqlite3
  curl ca-certificates tzdata clang-tidy
  libpugixml-dev nodejs awscli python3-boto3
  python3-jsonschema  # tests/openapi: every JSON response of the API tests against the OpenAPI description
  clang libclang-rt-14-dev # scripts/fuzz.sh: clang 14 and its libFuzzer/ASan/UBSan runtimes
  # The signature certificate's PDF (src/render): pango + cairo, and the fonts it embeds
  # (installed sizes: DejaVu 2.9 MB, Noto UI core 5.1 MB for Noto Sans Arabic UI, WenQuanYi
  # Micro Hei 5.1 MB; fonts-noto-core would be 42.5 MB and fonts-noto-cjk 91 MB).
  libpango1.0-dev libcairo2-dev fonts-dejavu-core fonts-noto-ui-core fonts-wqy-microhei
  chromium  # web/e2e and bench/web: Debian's browser driven by playwright-core (never a download)
  nftables iproute2  # tests/chaos: packet loss and partitions on a veth pair (the kernel may lack netem)
)
# s3rver (the S3 server of the blob tests, tests/s3) comes from npm. Debian's nodejs needs the
# separate npm package; NodeSource's nodejs bundles npm and conflicts with it.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run as root or install sudo" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
