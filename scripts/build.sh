#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Configures and builds into build/. Usage: scripts/build.sh [Release|Debug|RelWithDebInfo] [TARGET...]
# (no target: everything, tests and benchmarks included; scripts/run.sh builds only contractmgmt).
# Warnings are errors (CM_WERROR=ON, the default; CM_WERROR=OFF to relax on another compiler). Parallelism defaults to the number of cores;
# override with CM_JOBS (each Asio/Beast unit needs ~750 MB, so keep it low on small machines).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_type="${1:-RelWithDebInfo}"
shift || true
case "$build_type" in
  Release | Debug | RelWithDebInfo) ;;
  *)
    echo "usage: $0 [Release|Debug|RelWithDebInfo]" >&2
    exit 2
    ;;
esac

jobs="${CM_JOBS:-$(nproc)}"
# Paths relative to the checkout in ccache's hashes, so every clone (CI's included) shares hits.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
werror="${CM_WERROR:-ON}"

cmake -S . -B build -G Ninja \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DCM_WERROR="$werror"
if [[ $# -gt 0 ]]; then
  cmake --build build -j "$jobs" --target "$@"
else
  cmake --build build -j "$jobs"
fi
