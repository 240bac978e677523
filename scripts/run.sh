#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# One command from a fresh checkout to a running server on http://localhost:8000 with SQLite in
# ./var and the web UI (http://localhost:8000 is the app). Any variable from docs/CONFIGURATION.md can be set in the environment to override.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
# Only what it runs: the server binary, not the tests and benchmarks.
scripts/build.sh "${CM_BUILD_TYPE:-RelWithDebInfo}" contractmgmt
# The web UI into web/dist (npm ci and vite build, each skipped when up to date).
scripts/web.sh

mkdir -p var
export PORT="${PORT:-8000}"
export APP_ENV="${APP_ENV:-development}"
export DATA_DIR="${DATA_DIR:-$PWD/var}"
export DATABASE_URL="${DATABASE_URL:-sqlite://$PWD/var/contractmgmt.db}"
export WEB_ROOT="${WEB_ROOT:-$PWD/web/dist}"

bin=build/src/contractmgmt
# Applies pending migrations. On a database without users, serve prints a one-time setup link
# that creates the organization and its first administrator.
"$bin" migrate

echo "contractmgmt: serving on http://localhost:$PORT (Ctrl-C to stop)"
exec "$bin" serve
