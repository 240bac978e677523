#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Latency of GET /api/v1/reports/summary on 100,000 contracts spread over the lifecycle
# (`contractmgmt seed --workflow`: statuses, values, expirations, activation times, obligations,
# pending approvals), on SQLite and on a throwaway PostgreSQL 15. For each backend: the query
# plans (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE of the report's statements), then wrk with 1 and
# with 8 connections. Usage: bench/http/reports.sh [sqlite|postgres|both]
# Env: CM_BIN (build/src/contractmgmt), CM_BENCH_CONTRACTS (100000), CM_BENCH_SECONDS (10),
# CM_BENCH_PLANS (1; 0 skips the plans).
# Figures go to stdout; copy them into docs/PERFORMANCE.md with the date and machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

which_db="${1:-both}"
contracts="${CM_BENCH_CONTRACTS:-100000}"
seconds="${CM_BENCH_SECONDS:-10}"
plans="${CM_BENCH_PLANS:-1}"
work_prefix=cm-bench-reports
source bench/http/common.sh

# The report's statements (src/store/report_repository.cpp) with the organization's id and
# today's dates filled in, for the plans.
report_sql() {  # org_id
  local org="$1" today in90 since
  today="$(date -u +%F)"
  in90="$(date -u -d '+90 days' +%F)"
  since="$(( ($(date +%s) - 90 * 86400) * 1000 ))"
  cat <<SQL
SELECT status, type, archived, currency, COUNT(*), SUM(value_minor) FROM contracts WHERE org_id = '$org' GROUP BY status, type, archived, currency;
SELECT expiration_date, COUNT(*) FROM contracts WHERE org_id = '$org' AND status IN ('active', 'renewed') AND expiration_date >= '$today' AND expiration_date <= '$in90' GROUP BY expiration_date;
SELECT COUNT(*) FROM obligations WHERE org_id = '$org' AND status = 'open' AND due_date < '$today';
SELECT activated_at - created_at FROM contracts WHERE org_id = '$org' AND activated_at IS NOT NULL AND activated_at >= $since;
SELECT approval FROM contract_approvals WHERE org_id = '$org' AND status = 'pending';
SELECT id, name, email FROM users WHERE org_id = '$org';
SQL
}

show_plans() {  # backend url
  local org
  if [[ "$1" == postgres ]]; then
    org="$(psql -X -qAt "$2" -c "SELECT id FROM organizations WHERE name = 'Bench'")"
    psql -X -q "$2" -c "VACUUM ANALYZE" >/dev/null
    report_sql "$org" | sed 's/^/EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) /' |
      psql -X -q "$2" | grep -E 'Scan|Aggregate|Sort|Execution Time|Index Cond' | sed 's/^/    /'
  else
    local file="${2#sqlite://}"
    org="$(sqlite3 "$file" "SELECT id FROM organizations WHERE name = 'Bench'")"
    sqlite3 "$file" "ANALYZE"
    report_sql "$org" | sed 's/^/EXPLAIN QUERY PLAN /' | sqlite3 "$file" | sed 's/^/    /'
  fi
}

run_wrk() {  # connections
  local line
  line="$(wrk -t1 -c"$1" -d"${seconds}s" --latency -s "$here/summary.lua" "http://127.0.0.1:$port" | grep '^RESULT')"
  echo "| GET /api/v1/reports/summary, $1 connection(s) | ${line#RESULT } |"
}

bench_backend() {  # backend
  local backend="$1" url
  if [[ "$backend" == postgres ]]; then
    start_postgres
    url="postgresql://postgres@127.0.0.1:$pg_port/contracts"
  else
    url="sqlite://$work/bench.db"
  fi
  port="$(free_port)"
  export DATABASE_URL="$url" PORT="$port" LOG_LEVEL=warn APP_ENV=development DB_POOL_MAX=16 \
    DATA_DIR="$work/data" EMBEDDED_WORKER=false
  "$bin" migrate >/dev/null
  local seed_start seed_end seeded
  seed_start=$(date +%s)
  seeded="$("$bin" seed --org Bench --contracts "$contracts" --workflow 2>/dev/null)"
  seed_end=$(date +%s)
  CM_PASSWORD=benchmark-password "$bin" user create --org Bench --email bench@example.com --role viewer >/dev/null
  echo
  echo "### $backend (seeded in $((seed_end - seed_start)) s: $seeded)"
  if [[ "$plans" == 1 ]]; then
    echo
    echo "Plans:"
    echo
    show_plans "$backend" "$url"
  fi
  start_server_and_login
  echo
  echo "Report:"
  echo
  curl -fs "http://127.0.0.1:$port/api/v1/reports/summary" -H "Authorization: Bearer $CM_TOKEN" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); r["approvalsWaiting"]=r["approvalsWaiting"][:2]; print("    " + json.dumps(r))'
  echo
  echo "| scenario (wrk -t1 -d${seconds}s) | result |"
  echo "|---|---|"
  run_wrk 1
  run_wrk 8
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
case "$which_db" in
  sqlite) bench_backend sqlite ;;
  postgres) bench_backend postgres ;;
  both) bench_backend sqlite; bench_backend postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
