#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs dependencies, builds with warnings as errors and runs every test: unit tests first
# (fast, no servers), then integration tests (real SQLite/PostgreSQL and the real binary), the
# web UI's unit and end-to-end tests (real binary, Debian's Chromium), the hardening stages.
# Exits non-zero if anything fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
CM_WERROR=ON scripts/build.sh "${CM_BUILD_TYPE:-RelWithDebInfo}"

# s3rver for the S3 blob store tests (pinned in tests/s3/package-lock.json; the test fixture
# would also install it, but a registry problem is clearer here).
if [[ ! -f tests/s3/node_modules/.package-lock.json ]]; then
  (cd tests/s3 && npm ci --no-audit --no-fund)
fi

# The OpenAPI linter (pinned in tests/openapi/package-lock.json).
if [[ ! -f tests/openapi/node_modules/.package-lock.json ]]; then
  (cd tests/openapi && npm ci --no-audit --no-fund)
fi

jobs="${CM_JOBS:-2}"
status=0
unit="passed"
integration="passed"

echo "=== unit tests"
if ! ctest --test-dir build --output-on-failure -j "$jobs" -L unit; then
  unit="FAILED"
  status=1
fi

echo "=== integration tests"
# Every JSON response the tests receive is logged and then validated against the OpenAPI
# description (tests/support/response_log.hpp, tests/openapi/check_responses.py).
mkdir -p build/openapi
export CM_RESPONSE_LOG="$PWD/build/openapi/responses.jsonl"
rm -f "$CM_RESPONSE_LOG"
if ! ctest --test-dir build --output-on-failure -j "$jobs" -L integration; then
  integration="FAILED"
  status=1
fi
unset CM_RESPONSE_LOG

echo "=== OpenAPI: lint, and every response of the integration tests against it"
build/src/contractmgmt openapi >build/openapi/openapi.json
if ! (cd tests/openapi && npx --no-install redocly lint --max-problems 50 ../../build/openapi/openapi.json) ||
  ! tests/openapi/check_responses.py build/openapi/openapi.json build/openapi/responses.jsonl; then
  integration="FAILED"
  status=1
fi

echo "=== web UI: build, unit tests, API types against the server, end-to-end in Chromium"
# The end-to-end stories (web/e2e) run against the real binary on SQLite; the stories that
# cross the workflow and optimistic concurrency run once more on PostgreSQL.
web="passed"
if ! scripts/web.sh ||
  ! (cd web && CM_OPENAPI_FILE="$PWD/../build/openapi/openapi.json" npm test --silent) ||
  ! (cd web && CM_BINARY="$PWD/../build/src/contractmgmt" npm run e2e --silent) ||
  ! (cd web && CM_BINARY="$PWD/../build/src/contractmgmt" CM_E2E_DATABASE=postgres \
    CM_E2E_ONLY='draft through approval|stale edit' npm run e2e --silent); then
  web="FAILED"
  status=1
fi

# Hardening stages (docs/TESTING.md): licence headers and notices, sanitizers, fuzzing, static
# analysis, crash and fault trials. Every run has them; CM_TEST_QUICK=1 skips them (a
# developer's inner loop), CM_SKIP_STAGES="tsan fuzz" skips the named ones.
hardening="skipped"
declare -a failed_stages=()
stage() {
  local key="$1" name="$2"
  shift 2
  if [[ " ${CM_SKIP_STAGES:-} " == *" $key "* ]]; then
    echo "=== $name: skipped (CM_SKIP_STAGES)"
    return
  fi
  echo "=== $name"
  local started=$SECONDS
  if "$@"; then
    echo "=== $name: passed in $((SECONDS - started)) s"
  else
    echo "=== $name: FAILED after $((SECONDS - started)) s" >&2
    failed_stages+=("$name")
    status=1
  fi
}
# shellcheck disable=SC2317 # called through stage()
licence_checks() {
  scripts/spdx.sh --check && scripts/third_party.sh --check --binary build/src/contractmgmt
}
if [[ "${CM_TEST_QUICK:-0}" != "1" ]]; then
  stage licence "SPDX headers, docs/THIRD_PARTY.md up to date" licence_checks
  stage asan "asan+ubsan (unit, api on both databases)" scripts/sanitize.sh address
  stage tsan "tsan (server, async PostgreSQL client, jobs)" scripts/sanitize.sh thread
  stage fuzz "fuzz (each target ${CM_FUZZ_SECONDS:-15} s)" scripts/fuzz.sh --seconds "${CM_FUZZ_SECONDS:-15}"
  stage tidy "clang-tidy" scripts/tidy.py
  stage chaos "crash and fault trials" tests/chaos/run.sh
  if [[ ${#failed_stages[@]} -eq 0 ]]; then
    hardening="passed"
  else
    hardening="FAILED: ${failed_stages[*]}"
  fi
fi

if [[ $status -eq 0 ]]; then
  echo "test.sh: OK (unit: $unit, integration: $integration, web: $web, hardening: $hardening)"
else
  echo "test.sh: FAILED (unit: $unit, integration: $integration, web: $web, hardening: $hardening)" >&2
fi
exit "$status"
