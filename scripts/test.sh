#!/usr/bin/env bash
# Installs dependencies, builds with warnings as errors and runs every test: unit tests first
# (fast, no servers), then integration tests (real SQLite/PostgreSQL and the real binary).
# Exits non-zero if anything fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
CM_WERROR=ON scripts/build.sh "${CM_BUILD_TYPE:-RelWithDebInfo}"

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
if ! ctest --test-dir build --output-on-failure -j "$jobs" -L integration; then
  integration="FAILED"
  status=1
fi

if [[ $status -eq 0 ]]; then
  echo "test.sh: OK (unit: $unit, integration: $integration)"
else
  echo "test.sh: FAILED (unit: $unit, integration: $integration)" >&2
fi
exit "$status"
