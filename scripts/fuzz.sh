#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Builds the libFuzzer targets (tests/fuzz, docs/FUZZING.md) into build-fuzz/ with clang and
# runs each on a copy of its seed corpus. Fails when any target crashes, leaks, runs out of
# memory or times out; the inputs that did are kept under build-fuzz/crashes/.
#
#   scripts/fuzz.sh [--seconds N] [--runs N] [--target NAME]
#     --seconds N   time per target (default 20)
#     --runs N      stop each target after N executions instead (with --seconds as well,
#                   whichever comes first)
#     --target NAME only this target (repeatable); names as in tests/fuzz/NAME_fuzz.cpp
# CM_JOBS sets the build parallelism (default 2).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=20
seconds_given=""
runs=""
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds)
      seconds="${2:?--seconds needs a number}"
      seconds_given=1
      shift 2
      ;;
    --runs)
      runs="${2:?--runs needs a number}"
      shift 2
      ;;
    --target)
      targets+=("${2:?--target needs a name}")
      shift 2
      ;;
    -h | --help)
      sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "fuzz: unknown argument: $1 (see --help)" >&2
      exit 2
      ;;
  esac
done
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || { [[ -n "$runs" ]] && ! [[ "$runs" =~ ^[0-9]+$ ]]; }; then
  echo "fuzz: --seconds and --runs take whole numbers" >&2
  exit 2
fi

scripts/setup.sh

build="build-fuzz"
# Configured once; afterwards ninja re-runs CMake itself when a CMakeLists.txt changes.
# Paths relative to the checkout in ccache's hashes, so every clone shares hits.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCM_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
fi
cmake --build "$build" -j "${CM_JOBS:-2}"

if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets <"$build/fuzz_targets.txt"
fi

crashes="$build/crashes"
mkdir -p "$crashes"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
failed=()
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/${target}_fuzz"
  seeds="tests/fuzz/corpus/$target"
  if [[ ! -x "$binary" || ! -d "$seeds" ]]; then
    echo "fuzz: no target $target (tests/fuzz/${target}_fuzz.cpp and tests/fuzz/corpus/$target/)" >&2
    exit 2
  fi
  # A fresh working corpus each run: the seeds stay as committed.
  work="$build/corpus/$target"
  rm -rf "$work"
  mkdir -p "$work"
  cp "$seeds"/* "$work"/
  args=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/$target-")
  if [[ -n "$runs" ]]; then
    args+=(-runs="$runs")
  fi
  if [[ -z "$runs" || -n "$seconds_given" ]]; then
    args+=(-max_total_time="$seconds")
  fi
  if [[ -f "tests/fuzz/$target.dict" ]]; then
    args+=(-dict="tests/fuzz/$target.dict")
  fi
  log="$build/$target.log"
  status=0
  "$binary" "${args[@]}" "$work" >"$log" 2>&1 || status=$?
  executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  coverage="$(grep -a -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  features="$(grep -a -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  corpus="$(find "$work" -type f | wc -l)"
  if [[ $status -eq 0 ]]; then
    result=ok
  else
    result="FAILED (exit $status, log $log)"
    failed+=("$target")
  fi
  printf 'fuzz: %-14s %12s execs %9s exec/s  cov %5s  ft %6s  corpus %5s  %s\n' \
    "$target" "${executions:-?}" "${rate:-?}" "${coverage:-?}" "${features:-?}" "$corpus" "$result"
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}; inputs in $crashes/" >&2
  for target in "${failed[@]}"; do
    grep -a -m1 -E 'ERROR: |runtime error|property violated' "$build/$target.log" >&2 || true
  done
  exit 1
fi
echo "fuzz: all ${#targets[@]} target(s) passed"
