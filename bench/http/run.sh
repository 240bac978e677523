#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# HTTP benchmark with wrk on loopback: seeds 100,000 contracts, then measures GET by id, the
# filtered list and POST, on SQLite and on a throwaway PostgreSQL 15, plus pgbench -S on that
# same PostgreSQL as the raw database limit. Usage: bench/http/run.sh [sqlite|postgres|both]
# Env: CM_BENCH_CONTRACTS (100000), CM_BENCH_SECONDS (10), CM_BENCH_CONNECTIONS (64).
# Figures go to stdout; copy them into docs/PERFORMANCE.md with the date and machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

which_db="${1:-both}"
contracts="${CM_BENCH_CONTRACTS:-100000}"
seconds="${CM_BENCH_SECONDS:-10}"
connections="${CM_BENCH_CONNECTIONS:-64}"
work_prefix=cm-bench
source bench/http/common.sh

start_postgres_with_pgbench() {
  start_postgres
  createdb -h 127.0.0.1 -p "$pg_port" -U postgres pgbench
}

raw_pgbench() {
  pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -i -s 10 -q pgbench >/dev/null 2>&1
  for c in 8 "$connections"; do
    local tps
    tps="$(pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -S -M prepared -c "$c" -j 2 -T "$seconds" pgbench 2>/dev/null |
      awk '/^tps/ {print int($3)}')"
    echo "| raw pgbench -S -M prepared, $c clients | $tps tps |"
  done
}

run_wrk() {  # name script
  local line
  line="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/$2" "http://127.0.0.1:$port" | grep '^RESULT')"
  echo "| $1 | ${line#RESULT } |"
}

bench_backend() {  # backend
  local backend="$1" url
  if [[ "$backend" == postgres ]]; then
    start_postgres_with_pgbench
    url="postgresql://postgres@127.0.0.1:$pg_port/contracts"
  else
    url="sqlite://$work/bench.db"
  fi
  port="$(free_port)"
  export DATABASE_URL="$url" PORT="$port" LOG_LEVEL=warn APP_ENV=development DB_POOL_MAX=16
  "$bin" migrate >/dev/null
  local seed_start seed_end
  seed_start=$(date +%s)
  "$bin" seed --org Bench --contracts "$contracts" >/dev/null 2>&1
  seed_end=$(date +%s)
  CM_PASSWORD=benchmark-password "$bin" user create --org Bench --email bench@example.com --role admin >/dev/null
  start_server_and_login
  export CM_IDS_FILE="$work/ids.txt"
  curl -fs "http://127.0.0.1:$port/api/v1/contracts?limit=200" -H "Authorization: Bearer $CM_TOKEN" |
    python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin)["items"]]' >"$CM_IDS_FILE"
  echo
  echo "### $backend ($contracts contracts seeded in $((seed_end - seed_start)) s; wrk -t2 -c$connections -d${seconds}s)"
  echo
  echo "| scenario | result |"
  echo "|---|---|"
  run_wrk "GET /api/v1/contracts/{id}" get_by_id.lua
  run_wrk "GET /api/v1/contracts (filtered list, 50 per page)" list.lua
  echo "| server RSS after reads | $(($(awk '/VmRSS/ {print $2}' /proc/$server_pid/status) / 1024)) MiB |"
  run_wrk "POST /api/v1/contracts" create.lua
  echo "| server RSS after writes | $(($(awk '/VmRSS/ {print $2}' /proc/$server_pid/status) / 1024)) MiB |"
  [[ "$backend" == postgres ]] && raw_pgbench
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB, $(date -u +%Y-%m-%d)"
case "$which_db" in
  sqlite) bench_backend sqlite ;;
  postgres) bench_backend postgres ;;
  both) bench_backend sqlite; bench_backend postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
