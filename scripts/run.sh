#!/usr/bin/env bash
# One command from a fresh checkout to a running server on http://localhost:8000 with SQLite in
# ./var. Any variable from docs/CONFIGURATION.md can be set in the environment to override.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
scripts/build.sh Release

mkdir -p var
export PORT="${PORT:-8000}"
export APP_ENV="${APP_ENV:-development}"
export DATA_DIR="${DATA_DIR:-$PWD/var}"
export DATABASE_URL="${DATABASE_URL:-sqlite://$PWD/var/contractmgmt.db}"
export WEB_ROOT="${WEB_ROOT:-$PWD/web/dist}"

bin=build/src/contractmgmt
"$bin" migrate

# First run: no users yet, so say how to create the first administrator.
if [[ "$DATABASE_URL" == sqlite:* ]] && command -v sqlite3 >/dev/null 2>&1; then
  db_path="${DATABASE_URL#sqlite://}"
  users="$(sqlite3 "$db_path" 'SELECT COUNT(*) FROM users;' 2>/dev/null || echo 0)"
  if [[ "$users" == "0" ]]; then
    cat <<HINT

No users yet. Create the first administrator (you will be asked for a password):

  DATABASE_URL='$DATABASE_URL' $bin user create --email admin@example.com --name 'Admin' --role admin

HINT
  fi
fi

echo "contractmgmt: serving on http://localhost:$PORT (Ctrl-C to stop)"
exec "$bin" serve
