#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Crash and fault trials on real processes (docs/TRIALS.md):
#   tests/chaos/run.sh [--trials N] [--only NAME]... [--keep] [--list]
# Uses an existing build (CM_BIN, default build/src/contractmgmt); needs root (PostgreSQL runs as
# `postgres`, network namespaces, a tmpfs mount). Exits non-zero on any violation. Every process,
# namespace and mount it starts is removed on exit, also when interrupted.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CM_BIN="${CM_BIN:-$PWD/build/src/contractmgmt}"
# Debian's python3 (standard library only); the pyenv python3 on PATH may lack sqlite3.
exec /usr/bin/python3 tests/chaos/chaos.py "$@"
