#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Builds the tests with sanitizers and runs the suites they guard. Usage:
#   scripts/sanitize.sh address   # -fsanitize=address,undefined: unit suites and the API suite
#                                 # (the real binary over HTTP) on SQLite and PostgreSQL
#   scripts/sanitize.sh thread    # -fsanitize=thread: the HTTP server (I/O loops), the
#                                 # asynchronous PostgreSQL client and the jobs/worker suites
# Each mode has its own build directory (build-asan, build-tsan) and shares ccache with build/.
# Every finding aborts the process that has it, so the test that ran it fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode="${1:-address}"
jobs="${CM_JOBS:-$(nproc)}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1

case "$mode" in
  address)
    dir=build-asan
    sanitize="address,undefined"
    targets=(contractmgmt unit_core unit_auth unit_http unit_obs unit_api unit_app unit_blob
      unit_workflow unit_jobs unit_extract unit_render api_tests)
    # The unit suites, then the API suite on both databases (PostgreSQL on its asynchronous
    # read path, where a dangling string_view once hid).
    tests='^(unit_.*|api_tests_sqlite|api_tests_postgres)$'
    ;;
  thread)
    dir=build-tsan
    sanitize="thread"
    targets=(contractmgmt unit_http store_tests jobs_tests)
    tests='^(unit_http|store_tests_sqlite|store_tests_postgres|jobs_tests_sqlite|jobs_tests_postgres)$'
    ;;
  *)
    echo "usage: $0 address|thread" >&2
    exit 2
    ;;
esac

cmake -S . -B "$dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCM_WERROR=ON \
  -DCM_SANITIZE="$sanitize" \
  -DCM_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" -j "$jobs" --target "${targets[@]}"

# The API suite's S3 tests need s3rver; installed once here, not by two suites racing.
if [[ "$mode" == address && ! -f tests/s3/node_modules/.package-lock.json ]]; then
  (cd tests/s3 && npm ci --no-audit --no-fund)
fi

supp="$PWD/tests/sanitizers"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

echo "=== sanitize ($sanitize)"
ctest --test-dir "$dir" --output-on-failure -j "${CM_TEST_JOBS:-2}" -R "$tests"
