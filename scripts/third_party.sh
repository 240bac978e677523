#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Writes docs/THIRD_PARTY.md: every third-party component contractmgmt uses, with its licence,
# taken from the components' own metadata so that the list stays true.
#
#   scripts/third_party.sh [--binary PATH]           (re)writes docs/THIRD_PARTY.md
#   scripts/third_party.sh --check [--binary PATH]   exits 1 if docs/THIRD_PARTY.md is stale
#   scripts/third_party.sh --stdout [--binary PATH]  prints the document instead
#
# --binary: the built server (default build/src/contractmgmt). Sources of truth:
#   - the shared libraries the binary loads: `ldd` of the binary (direct ones from its ELF
#     NEEDED entries), each mapped to its Debian package with `dpkg -S`;
#   - the packages the binary reads data from without linking them (RUNTIME_DATA below);
#   - header-only libraries compiled into the binary, and the build and test tools
#     (COMPILED_IN, BUILD_ONLY and TEST_ONLY below: ldd cannot see them);
#   - licences of Debian packages: the DEP-5 "License:" fields of
#     /usr/share/doc/<package>/copyright, or "see copyright file" where it is not DEP-5;
#   - npm packages: every package-lock.json of the checkout (outside node_modules), name,
#     version and "license" as the lock file records them.
# The output is deterministic: sorted, without versions of Debian packages (they change with
# each point release; the lock files pin the npm versions), timestamps or machine paths.
# Needs: ldd, objdump (binutils), dpkg, awk, node (for the lock files). Exit codes: 0 written
# or up to date, 1 stale or a component could not be resolved, 2 usage error.
set -euo pipefail

# The purposes below are Markdown: their backquotes are meant literally.
# shellcheck disable=SC2016
# Packages the binary uses at run time without linking them: package|what reads it.
readonly RUNTIME_DATA=(
  'tzdata|organizations'"'"' calendars: IANA zones read from `/usr/share/zoneinfo` (`src/workflow/org_calendar.cpp`)'
  'libmagic-mgc|the magic database `libmagic` loads to detect document types (`src/extract/document_type.cpp`)'
  'ca-certificates|the CA certificates `libcurl` verifies S3 endpoints over HTTPS with'
  'fonts-dejavu-core|DejaVu Sans, embedded (subset) in signature certificate PDFs (`src/render/pdf_renderer.cpp`)'
  'fonts-noto-ui-core|Noto Sans UI (Arabic and other scripts), embedded (subset) in signature certificate PDFs'
  'fonts-wqy-microhei|WenQuanYi Micro Hei (CJK), embedded (subset) in signature certificate PDFs'
)
# shellcheck disable=SC2016
# Header-only libraries whose code is compiled into the binary: package|what of it.
readonly COMPILED_IN=(
  'libboost1.81-dev|Boost headers: Beast, Asio, and the header-only parts of the other Boost libraries'
  'libcli11-dev|CLI11, the command line parser'
)
# shellcheck disable=SC2016
# Build-time only: package|what for.
readonly BUILD_ONLY=(
  'g++-12|C++ compiler'
  'cmake|build system'
  'ninja-build|build system'
  'ccache|compiler cache'
  'mold|linker'
  'pkg-config|finds the libraries'
  'clang-format|code formatting'
  'libgtest-dev|GoogleTest, the unit and integration tests'
  'libgmock-dev|GoogleMock, the tests'
  'libbenchmark-dev|Google Benchmark, `bench/`'
)
# shellcheck disable=SC2016
# Test-time only (servers and clients the tests and benchmarks start): package|what for.
readonly TEST_ONLY=(
  'postgresql-15|the throwaway PostgreSQL of the tests'
  'redis-server|Redis for the tests'
  'nginx|the multi-process topology tests'
  'wrk|HTTP benchmarks'
  'prometheus|metrics scrape tests'
  'sqlite3|SQLite shell for the tests'
  'curl|HTTP client of the scripts'
  'awscli|independent S3 client of the blob tests'
  'python3-boto3|independent S3 client of the blob tests'
  'nodejs|runs s3rver (`tests/s3`) and the web UI tooling'
)

readonly OUTPUT_DOC='docs/THIRD_PARTY.md'
# The other licences of a copyright file beyond this many are counted, not named.
readonly MAX_OTHER_LICENCES=8

usage() {
  sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

die() {
  echo "third_party.sh: $*" >&2
  exit 1
}

mode='write'
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary=''
while (($# > 0)); do
  case "$1" in
    --check) mode=check ;;
    --stdout) mode=stdout ;;
    --binary)
      (($# >= 2)) || { echo "third_party.sh: --binary needs a path" >&2; exit 2; }
      binary="$2"
      shift
      ;;
    --binary=*) binary="${1#--binary=}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "third_party.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -n "$binary" ]] || binary="$root/build/src/contractmgmt"
[[ -f "$binary" ]] || die "no binary at $binary (build it with scripts/build.sh, or pass --binary PATH)"
for tool in ldd objdump dpkg dpkg-query awk node; do
  command -v "$tool" >/dev/null 2>&1 || die "needs '$tool' (scripts/setup.sh installs it)"
done

# ---------------------------------------------------------------------------------------------
# Debian packages and their licences

# Prints "soname<TAB>path" for every shared library the binary loads (ldd resolves the whole
# tree), sorted by soname. Fails on a library ldd cannot find.
loaded_libraries() {
  local out
  out="$(LC_ALL=C ldd "$binary")" || die "ldd failed on $binary"
  if grep -q 'not found' <<<"$out"; then
    die "ldd cannot resolve some libraries of $binary: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"
  fi
  awk '
    $2 == "=>" && $3 ~ /^\// { print $1 "\t" $3; next }
    $1 ~ /^\// { n = $1; sub(/.*\//, "", n); print n "\t" $1 }
  ' <<<"$out" | LC_ALL=C sort -u
}

# Prints the sonames the binary names itself (ELF NEEDED entries).
direct_libraries() {
  LC_ALL=C objdump -p "$binary" | awk '$1 == "NEEDED" { print $2 }' | LC_ALL=C sort -u
}

# The names under which dpkg may know a file: Debian 12 merges /lib into /usr/lib and dpkg
# records each file under one of the two, and a soname is a symlink to the versioned file.
path_variants() {
  local path="$1" resolved
  resolved="$(readlink -f "$path")"
  printf '%s\n' "$path" "/usr$path" "${path#/usr}" "$resolved" "/usr$resolved" "${resolved#/usr}" |
    grep '^/' | awk '!seen[$0]++'
}

# Fills OWNER (file -> Debian package, without architecture) for the given files and their
# variants with a single dpkg -S (one pass over dpkg's database instead of one per file).
declare -A OWNER=()
load_owners() {
  local variants=() path line pkgs file
  for path in "$@"; do
    mapfile -t -O "${#variants[@]}" variants < <(path_variants "$path")
  done
  while IFS= read -r line; do
    [[ "$line" == diversion* ]] && continue
    pkgs="${line%%: /*}"
    file="/${line#*: /}"
    pkgs="${pkgs%%,*}"
    OWNER["$file"]="${pkgs%%:*}"
  done < <(LC_ALL=C dpkg -S "${variants[@]}" 2>/dev/null || true)
}

# Prints the Debian package that ships a file (load_owners must have seen it).
package_of() {
  local candidate
  while IFS= read -r candidate; do
    if [[ -n "${OWNER[$candidate]:-}" ]]; then
      echo "${OWNER[$candidate]}"
      return 0
    fi
  done < <(path_variants "$1")
  die "no Debian package ships $1 (a library built or copied by hand?)"
}

require_installed() {
  local pkg="$1" status
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" || true
  [[ "$status" == "install ok installed" ]] ||
    die "package $pkg is not installed, so its licence cannot be read (run scripts/setup.sh)"
}

# Prints two lines for a package: the licence of its "Files: *" paragraph ("-" when there is
# none) and the other licences its copyright file names, "; "-separated ("-" when none), or
# "see copyright file" twice-worth when the file is not machine-readable (DEP-5).
package_licences() {
  local pkg="$1" file="/usr/share/doc/$1/copyright"
  if [[ ! -r "$file" ]]; then
    printf '%s\n%s\n' "no copyright file installed" "-"
    return 0
  fi
  if ! head -n 1 "$file" | grep -qiE '^Format:.*copyright-format'; then
    printf '%s\n%s\n' "see copyright file (not machine-readable)" "-"
    return 0
  fi
  awk -v max="$MAX_OTHER_LICENCES" '
    function flush() {
      if (files != "" && lic != "") {
        if (files ~ /(^|[ \t])\*([ \t]|$)/ && main == "") main = lic
        else other[lic] = 1
      }
      files = ""; lic = ""; field = ""
    }
    /^[ \t]*$/ { flush(); next }
    /^[ \t]/ { if (field == "files") files = files " " $0; next }
    {
      name = tolower($0); sub(/:.*/, "", name); field = name
      value = $0; sub(/^[^:]*:[ \t]*/, "", value); sub(/[ \t\r]+$/, "", value)
      if (name == "files") files = value
      else if (name == "license") lic = value
    }
    END {
      flush()
      print (main == "" ? "-" : main)
      n = 0
      for (l in other) if (l != main) list[++n] = l
      # insertion sort: awk has no portable sort, and the output must be stable
      for (i = 2; i <= n; i++) { v = list[i]; for (j = i - 1; j > 0 && list[j] > v; j--) list[j + 1] = list[j]; list[j + 1] = v }
      s = ""
      shown = (n > max ? max : n)
      for (i = 1; i <= shown; i++) s = s (i > 1 ? "; " : "") list[i]
      if (n > shown) s = s "; and " (n - shown) " more"
      print (s == "" ? "-" : s)
    }
  ' "$file"
}

# Escapes a value for a Markdown table cell.
cell() {
  local v="$1"
  v="${v//|/\\|}"
  printf '%s' "$v"
}

# Prints the table rows of the linked libraries, one per package.
linked_rows() {
  local direct libs
  direct="$(direct_libraries)"
  libs="$(loaded_libraries)"
  local soname path pkg
  local paths=()
  mapfile -t paths < <(cut -f2 <<<"$libs")
  load_owners "${paths[@]}"
  # package<TAB>soname<TAB>direct?
  local mapped=''
  while IFS=$'\t' read -r soname path; do
    [[ -n "$soname" ]] || continue
    pkg="$(package_of "$path")"
    if grep -qxF "$soname" <<<"$direct"; then
      mapped+="$pkg"$'\t'"$soname"$'\t'"direct"$'\n'
    else
      mapped+="$pkg"$'\t'"$soname"$'\t'"indirect"$'\n'
    fi
  done <<<"$libs"
  local packages
  packages="$(cut -f1 <<<"$mapped" | grep -v '^$' | LC_ALL=C sort -u)"
  while IFS= read -r pkg; do
    local sonames how main others
    sonames="$(awk -F'\t' -v p="$pkg" '$1 == p { print "`" $2 "`" }' <<<"$mapped" |
      LC_ALL=C sort -u | paste -sd ' ' | sed 's/ /, /g')"
    if awk -F'\t' -v p="$pkg" '$1 == p && $3 == "direct" { found = 1 } END { exit !found }' <<<"$mapped"; then
      how=direct
    else
      how='via another library'
    fi
    { read -r main; read -r others; } < <(package_licences "$pkg")
    printf '| %s | %s | %s | %s | %s |\n' "$pkg" "$sonames" "$how" "$(cell "$main")" "$(cell "$others")"
  done <<<"$packages"
}

# Prints rows "| package | purpose | licence | other licences |" for a list of package|purpose.
listed_rows() {
  local entry pkg purpose main others
  for entry in "$@"; do
    pkg="${entry%%|*}"
    purpose="${entry#*|}"
    require_installed "$pkg"
    { read -r main; read -r others; } < <(package_licences "$pkg")
    printf '| %s | %s | %s | %s |\n' "$pkg" "$purpose" "$(cell "$main")" "$(cell "$others")"
  done | LC_ALL=C sort
}

# Prints rows "| package | purpose | licence |" (the short tables).
short_rows() {
  local entry pkg purpose main others
  for entry in "$@"; do
    pkg="${entry%%|*}"
    purpose="${entry#*|}"
    require_installed "$pkg"
    { read -r main; read -r others; } < <(package_licences "$pkg")
    printf '| %s | %s | %s |\n' "$pkg" "$purpose" "$(cell "$main")"
  done | LC_ALL=C sort
}

# ---------------------------------------------------------------------------------------------
# npm packages

lock_files() {
  (cd "$root" && find . \( -type d \( -name node_modules -o -name .git -o -name 'build*' \) -prune \) \
    -o -type f -name package-lock.json -print) | sed 's|^\./||' | LC_ALL=C sort
}

# Prints the rows of one lock file (lockfileVersion 2 or 3: the "packages" map).
npm_rows() {
  node - "$1" <<'EOF'
'use strict';
const fs = require('fs');
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
if (!lock.packages) {
  console.error(`third_party.sh: ${file}: lockfileVersion ${lock.lockfileVersion} has no "packages"; regenerate it with npm 7 or later`);
  process.exit(1);
}
const licenceOf = (p) => {
  if (typeof p.license === 'string') return p.license;
  if (Array.isArray(p.licenses)) return p.licenses.map((l) => l.type || l).join(' OR ');
  if (p.license && p.license.type) return p.license.type;
  return 'not stated in the lock file';
};
const rows = new Map();
for (const [key, p] of Object.entries(lock.packages)) {
  if (key === '' || p.link) continue; // the project itself; workspace links are our own code
  const name = p.name || key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const use = p.dev ? 'development' : p.optional ? 'optional' : p.devOptional ? 'development (optional)' : 'runtime';
  const row = `| ${name} | ${p.version || '?'} | ${licenceOf(p).replace(/\|/g, '\\|')} | ${use} |`;
  rows.set(row, [name, p.version || '']);
}
const sorted = [...rows.entries()].sort((a, b) =>
  a[1][0] < b[1][0] ? -1 : a[1][0] > b[1][0] ? 1 : a[1][1] < b[1][1] ? -1 : a[1][1] > b[1][1] ? 1 : 0);
for (const [row] of sorted) console.log(row);
EOF
}

# Prints "licence: count" pairs of a lock file's rows.
licence_counts() {
  awk -F' \\| ' '{ print $3 }' | LC_ALL=C sort | uniq -c | LC_ALL=C sort -k1,1nr -k2 |
    awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s%s %d", (NR > 1 ? ", " : ""), $0, n } END { print "" }'
}

# ---------------------------------------------------------------------------------------------
# The document

generate() {
  cat <<'EOF'
# Third-party software

Generated by `scripts/third_party.sh` from the components' own metadata (the binary's `ldd`,
`dpkg -S`, each Debian package's `/usr/share/doc/<package>/copyright`, and the `license` fields
of the npm lock files). Do not edit by hand: run `scripts/third_party.sh --binary
build/src/contractmgmt` after a dependency changes; `scripts/third_party.sh --check` fails when
this file is stale.

contractmgmt itself is licensed under the GNU Affero General Public License, version 3 or (at
your option) any later version (`LICENSE`, SPDX `AGPL-3.0-or-later`). It links poppler (GPL,
see below), so the combined work is distributed under the AGPL; review this file's diff when a
dependency changes: every licence here must be compatible with that.

The licence column is the `License:` of the copyright file's `Files: *` paragraph, the licence
of the package as a whole; the last column lists the other licences the same file names, which
often cover only files that are not in the binary package (tests, build scripts, examples).
"see copyright file" means the package's copyright file is not machine-readable (DEP-5) and
has to be read; "-" means there is no `Files: *` paragraph (or no other licence). Debian package versions are those of Debian 12 (bookworm) at build time.

## Shared libraries the binary links (Debian 12 packages)

"direct" libraries are named by `contractmgmt` itself; the others are loaded because a direct
one needs them.

| Debian package | libraries | linked | licence (`Files: *`) | other licences in the copyright file |
|---|---|---|---|---|
EOF
  linked_rows
  cat <<'EOF'

## Compiled into the binary from headers

| Debian package | what | licence (`Files: *`) | other licences in the copyright file |
|---|---|---|---|
EOF
  listed_rows "${COMPILED_IN[@]}"
  cat <<'EOF'

## Used at run time without linking

| Debian package | what the binary reads | licence (`Files: *`) | other licences in the copyright file |
|---|---|---|---|
EOF
  listed_rows "${RUNTIME_DATA[@]}"

  local lock rows
  echo
  echo "## npm packages"
  echo
  echo "From each \`package-lock.json\` of the repository (name, version and \`license\` as the"
  echo "lock file records them). \`development\` packages are build or test tools. \"not stated in"
  echo "the lock file\": the package's \`package.json\` has no SPDX \`license\` string (an old-style"
  echo "\`license\` object or \`licenses\` array, or nothing), so npm recorded none; read the package's"
  echo "own licence file."
  while IFS= read -r lock; do
    [[ -n "$lock" ]] || continue
    rows="$(npm_rows "$root/$lock")" || die "cannot read $lock"
    echo
    echo "### \`$lock\`"
    echo
    case "$lock" in
      tests/*) echo "Test tooling only: not part of the binary or of the web UI." ; echo ;;
    esac
    echo "Licences: $(licence_counts <<<"$rows")."
    echo
    echo "| package | version | licence | use |"
    echo "|---|---|---|---|"
    echo "$rows"
  done < <(lock_files)

  cat <<'EOF'

## Build and test tools (not shipped)

Needed to build contractmgmt or to run its tests and benchmarks (`scripts/setup.sh` installs
them); nothing of them ends up in the binary.

| Debian package | used for | licence (`Files: *`) |
|---|---|---|
EOF
  short_rows "${BUILD_ONLY[@]}" "${TEST_ONLY[@]}"
}

# Generate in full before touching the file, so a failure leaves the old document in place.
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
generate >"$tmp"

case "$mode" in
  stdout) cat "$tmp" ;;
  write)
    cp "$tmp" "$root/$OUTPUT_DOC"
    echo "third_party.sh: wrote $OUTPUT_DOC"
    ;;
  check)
    if ! diff -u "$root/$OUTPUT_DOC" "$tmp" >&2; then
      echo "third_party.sh: $OUTPUT_DOC is stale; run scripts/third_party.sh and commit it" >&2
      exit 1
    fi
    echo "third_party.sh: $OUTPUT_DOC is up to date"
    ;;
esac
