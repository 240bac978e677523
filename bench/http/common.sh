# SPDX-License-Identifier: AGPL-3.0-or-later
# Shared by the HTTP benchmark scripts (sourced after `set -euo pipefail` and `cd` to the
# checkout): the binary and work directory, cleanup on exit (server, PostgreSQL, files), the
# tool checks, a free port, and a throwaway PostgreSQL 15 with a `contracts` database.
# Set `work_prefix` before sourcing; start_postgres sets `pg_port`; start_server_and_login
# starts the server and logs in.

bin="${CM_BIN:-$PWD/build/src/contractmgmt}"
here="$PWD/bench/http"
export CM_BENCH_DIR="$here"
work="$(mktemp -d "/tmp/${work_prefix:-cm-bench}.XXXXXX")"
pg_bin=/usr/lib/postgresql/15/bin
server_pid=""

cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [[ -d "$work/pg" ]]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

[[ -x "$bin" ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/setup.sh" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_postgres() {
  mkdir -p "$work/pg" "$work/pgsock"
  chown -R postgres "$work"
  runuser -u postgres -- "$pg_bin/initdb" -A trust -U postgres -D "$work/pg" >/dev/null
  pg_port="$(free_port)"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -w -l "$work/pg.log" \
    -o "-p $pg_port -k $work/pgsock -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
  createdb -h 127.0.0.1 -p "$pg_port" -U postgres contracts
}

# Starts `contractmgmt serve` (environment already exported, PORT in `port`), waits until it is
# ready and logs in as bench@example.com: sets `server_pid` and exports CM_TOKEN.
start_server_and_login() {
  "$bin" serve >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  CM_TOKEN="$(curl -fs "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchmark-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
  export CM_TOKEN
}
