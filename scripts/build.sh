#!/usr/bin/env bash
# Configures and builds into build/. Usage: scripts/build.sh [Release|Debug|RelWithDebInfo]
# Warnings are errors (CM_WERROR=ON, the default; CM_WERROR=OFF to relax on another compiler). Parallelism defaults to the number of cores;
# override with CM_JOBS (each Asio/Beast unit needs ~750 MB, so keep it low on small machines).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_type="${1:-RelWithDebInfo}"
case "$build_type" in
  Release | Debug | RelWithDebInfo) ;;
  *)
    echo "usage: $0 [Release|Debug|RelWithDebInfo]" >&2
    exit 2
    ;;
esac

jobs="${CM_JOBS:-$(nproc)}"
werror="${CM_WERROR:-ON}"

cmake -S . -B build -G Ninja \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DCM_WERROR="$werror"
cmake --build build -j "$jobs"
