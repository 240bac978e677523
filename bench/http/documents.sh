#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Document upload/download throughput on loopback: a 5 MiB PDF uploaded and downloaded through
# the real server, on the local blob store and on S3 (s3rver from tests/s3), each with and
# without encryption at rest; then server memory during 32 concurrent 10 MiB uploads.
# Usage: bench/http/documents.sh [local|s3|both|memory]
# Env: CM_BENCH_UPLOADS (40), CM_BENCH_SECONDS (10), CM_BIN.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

which_store="${1:-both}"
uploads="${CM_BENCH_UPLOADS:-40}"
seconds="${CM_BENCH_SECONDS:-10}"
bin="${CM_BIN:-$PWD/build/src/contractmgmt}"
here="$PWD/bench/http"
work="$(mktemp -d /tmp/cm-docbench.XXXXXX)"
server_pid=""
s3_pid=""

cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n "$s3_pid" ]] && kill "$s3_pid" 2>/dev/null && wait "$s3_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[[ -x "$bin" ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A 5 MiB PDF (a valid header and trailer around incompressible filler) and a 10 MiB text file.
python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
filler = os.urandom(5 * 1024 * 1024 - 200)
with open(f"{work}/5mib.pdf", "wb") as f:
    f.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length " + str(len(filler)).encode() + b" >>\nstream\n")
    f.write(filler)
    f.write(b"\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n")
with open(f"{work}/10mib.txt", "wb") as f:
    line = b"The supplier shall deliver the services described in Schedule 1.\n"
    f.write(line * (10 * 1024 * 1024 // len(line)))
PY

start_s3() {
  [[ -d tests/s3/node_modules ]] || (cd tests/s3 && npm ci --silent >/dev/null)
  mkdir -p "$work/s3"
  node --openssl-legacy-provider tests/s3/server.js "$work/s3" bench >"$work/s3.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 50); do grep -q '^listening' "$work/s3.log" && break; sleep 0.2; done
  s3_port="$(awk '/^listening/ {print $2; exit}' "$work/s3.log")"
}

rss_mib() { echo $(($(awk "/$1/ {print \$2}" /proc/$server_pid/status) / 1024)); }

bench_case() {  # store encrypted
  local store="$1" encrypted="$2"
  port="$(free_port)"
  local data="$work/data-$store-$encrypted"
  mkdir -p "$data"
  export DATABASE_URL="sqlite://$data/db.sqlite" DATA_DIR="$data" PORT="$port" LOG_LEVEL=warn \
    APP_ENV=development MAX_UPLOAD_BYTES=$((16 * 1024 * 1024))
  unset ENCRYPTION_KEY BLOB_BACKEND S3_BUCKET S3_ENDPOINT S3_FORCE_PATH_STYLE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  [[ "$encrypted" == yes ]] && export ENCRYPTION_KEY="$("$bin" keys generate)"
  if [[ "$store" == s3 ]]; then
    export BLOB_BACKEND=s3 S3_BUCKET=bench S3_ENDPOINT="http://127.0.0.1:$s3_port" S3_FORCE_PATH_STYLE=true \
      AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
  fi
  "$bin" migrate >/dev/null
  CM_PASSWORD=benchmark-password "$bin" user create --org Bench --email bench@example.com --role admin >/dev/null
  "$bin" serve >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  local token contract base
  token="$(curl -fs "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchmark-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
  contract="$(curl -fs "http://127.0.0.1:$port/api/v1/contracts" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"title":"Bench","type":"msa"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  base="http://127.0.0.1:$port/api/v1/contracts/$contract/documents"

  # Uploads: 4 at a time, each a new document.
  local start end
  start=$(date +%s.%N)
  seq "$uploads" | xargs -P 4 -I{} curl -fs -o /dev/null -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/pdf' -H 'Content-Disposition: attachment; filename="bench-{}.pdf"' \
    --data-binary "@$work/5mib.pdf" "$base"
  end=$(date +%s.%N)
  local up_mbs
  up_mbs="$(python3 -c "print(round($uploads * 5 / ($end - $start), 1))")"

  # Downloads with wrk: 4 connections on one document's content.
  local doc
  doc="$(curl -fs "$base?limit=1" -H "Authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
  local down
  down="$(CM_TOKEN="$token" wrk -t2 -c4 -d"${seconds}s" -s "$here/download.lua" "$base/$doc/versions/1/content" |
    awk '/Requests\/sec/ {print $2}')"
  local down_mbs
  down_mbs="$(python3 -c "print(round($down * 5, 1))")"
  echo "| $store | $encrypted | $up_mbs MiB/s | $down_mbs MiB/s ($down downloads/s) | $(rss_mib VmHWM) MiB |"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

memory_case() {  # embedded_worker
  port="$(free_port)"
  local data="$work/data-memory-$1"
  mkdir -p "$data"
  export DATABASE_URL="sqlite://$data/db.sqlite" DATA_DIR="$data" PORT="$port" LOG_LEVEL=warn \
    APP_ENV=development MAX_UPLOAD_BYTES=$((16 * 1024 * 1024)) ENCRYPTION_KEY="$("$bin" keys generate)" \
    EMBEDDED_WORKER="$1"
  unset BLOB_BACKEND S3_BUCKET S3_ENDPOINT
  "$bin" migrate >/dev/null
  CM_PASSWORD=benchmark-password "$bin" user create --org Bench --email bench@example.com --role admin >/dev/null
  "$bin" serve >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  local token contract
  token="$(curl -fs "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchmark-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
  contract="$(curl -fs "http://127.0.0.1:$port/api/v1/contracts" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"title":"Bench","type":"msa"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  local before
  before="$(rss_mib VmRSS)"
  seq 32 | xargs -P 32 -I{} curl -fs -o /dev/null -H "Authorization: Bearer $token" \
    -H 'Content-Type: text/plain' -H 'Content-Disposition: attachment; filename="big-{}.txt"' \
    --data-binary "@$work/10mib.txt" "http://127.0.0.1:$port/api/v1/contracts/$contract/documents"
  [[ "$1" == true ]] && sleep 20  # let the embedded worker extract the 32 texts
  echo
  echo "32 concurrent 10 MiB uploads (encrypted, local, EMBEDDED_WORKER=$1): RSS before $before MiB, peak $(rss_mib VmHWM) MiB, after $(rss_mib VmRSS) MiB"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "machine: $(nproc) cores, $(date -u +%Y-%m-%d); $uploads uploads of 5 MiB (4 parallel), downloads wrk -t2 -c4 -d${seconds}s"
echo
echo "| store | encrypted | upload | download | server peak RSS |"
echo "|---|---|---|---|---|"
case "$which_store" in
  local) bench_case local no; bench_case local yes ;;
  s3) start_s3; bench_case s3 no; bench_case s3 yes ;;
  both) bench_case local no; bench_case local yes; start_s3; bench_case s3 no; bench_case s3 yes ;;
  memory) ;;
  *) echo "usage: $0 [local|s3|both|memory]" >&2; exit 2 ;;
esac
memory_case false
memory_case true
