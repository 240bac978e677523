#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# A/B of the by-id read on PostgreSQL: seeds 100,000 contracts once into a PostgreSQL kept in
# /tmp/abwork (first run ~2 min), then starts BIN with the given settings and runs two
# `wrk -t2 -c64 -d8s` rounds of get_by_id.lua. Compare builds or settings in the same minutes:
#   bench/http/by_id_ab.sh build/src/contractmgmt HTTP_THREADS=1
# Stop the database afterwards: runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/abwork/pg stop
set -euo pipefail
work=/tmp/abwork
pg_bin=/usr/lib/postgresql/15/bin
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ ! -f $work/seeded ]]; then
  rm -rf $work; mkdir -p $work/pg $work/pgsock; chown -R postgres $work
  runuser -u postgres -- $pg_bin/initdb -A trust -U postgres -D $work/pg >/dev/null
  echo 55432 > $work/port
  runuser -u postgres -- $pg_bin/pg_ctl -D $work/pg -w -l $work/pg.log -o "-p 55432 -k $work/pgsock -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
  createdb -h 127.0.0.1 -p 55432 -U postgres contracts
  export DATABASE_URL=postgresql://postgres@127.0.0.1:55432/contracts
  $1 migrate >/dev/null
  $1 seed --org Bench --contracts 100000 >/dev/null 2>&1
  CM_PASSWORD=benchmark-password $1 user create --org Bench --email bench@example.com --role admin >/dev/null
  touch $work/seeded
fi
bin=$1; shift
export DATABASE_URL=postgresql://postgres@127.0.0.1:55432/contracts PORT=18080 LOG_LEVEL=warn APP_ENV=development DB_POOL_MAX=16 DATA_DIR=$work/data
for kv in "$@"; do export "$kv"; done
$bin serve > $work/serve.log 2>&1 &
pid=$!
for _ in $(seq 50); do curl -fs http://127.0.0.1:18080/ready >/dev/null && break; sleep 0.2; done
export CM_TOKEN="$(curl -fs http://127.0.0.1:18080/api/v1/auth/login -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"benchmark-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
export CM_IDS_FILE=$work/ids.txt CM_BENCH_DIR=$here
curl -fs "http://127.0.0.1:18080/api/v1/contracts?limit=200" -H "Authorization: Bearer $CM_TOKEN" | python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin)["items"]]' > $CM_IDS_FILE
for i in 1 2; do wrk -t2 -c64 -d8s --latency -s $here/get_by_id.lua http://127.0.0.1:18080 | grep RESULT; done
kill $pid; wait $pid 2>/dev/null || true
