#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Builds the web UI (web/, docs in web/README.md) into web/dist, which `contractmgmt serve`
# serves (WEB_ROOT). Installs the pinned npm packages first when web/node_modules is missing or
# older than the lock file, and skips the build when web/dist is newer than every input.
# Never downloads a browser (the end-to-end tests use Debian's /usr/bin/chromium).
#
#   scripts/web.sh           install if needed, build if stale
#   scripts/web.sh --force   build even when web/dist looks up to date
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../web"

force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund
fi

# The inputs of the build: a newer file in any of them means web/dist is stale.
inputs=(src index.html package.json package-lock.json vite.config.ts tsconfig.json
  tsconfig.app.json tsconfig.node.json)
if [[ "$force" -eq 0 && -f dist/index.html ]] &&
  [[ -z "$(find "${inputs[@]}" -newer dist/index.html -print -quit)" ]]; then
  echo "web: dist is up to date"
  exit 0
fi
echo "web: building dist"
npm run build --silent
