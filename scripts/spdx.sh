#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Checks or adds the SPDX licence line of our own source files (the project is
# AGPL-3.0-or-later, see LICENSE).
#
#   scripts/spdx.sh --check   lists the files without the line and exits 1 if there are any
#   scripts/spdx.sh --fix     adds the line where it is missing (idempotent)
#
# Which files, and where the line goes:
#   C++ (.cpp .hpp .h .cc .hh .ipp) and JavaScript/TypeScript under src/ tests/ bench/ web/:
#       "// SPDX-License-Identifier: AGPL-3.0-or-later" as the first line
#   CSS under web/: "/* SPDX-... */" as the first line
#   shell and Python scripts (.sh .bash .py, or any file whose first line is a "#!" shebang)
#   under scripts/ tests/ bench/ .ci/: "# SPDX-..." after the shebang (first line without one)
#   Lua (the wrk scripts under bench/): "-- SPDX-..." as the first line
#   CMakeLists.txt and *.cmake at the top and under those folders: "# SPDX-..." first
# Skipped: every other folder (build*/, var/), node_modules/, web/dist/ and web/e2e/artifacts/
# (build and test outputs), tests/fixtures/ (test inputs are data), JSON and lock files, and generated
# files ("@generated" or "DO NOT EDIT" in their first lines).
# A file that already names a different SPDX identifier is reported and left alone: changing
# a licence is a decision for a person, not for this script.
#
# Options: --root DIR (default: the checkout this script lives in). Exit codes: 0 all files
# have the line (--check) or were fixed (--fix), 1 files lack it or carry another identifier,
# 2 usage error.
set -euo pipefail

readonly IDENTIFIER='SPDX-License-Identifier: AGPL-3.0-or-later'
readonly HEAD_LINES=5 # "near the top": the line must be within the first HEAD_LINES lines
readonly FOLDERS=(src tests bench scripts .ci web)

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;/SPDX-License-Identifier/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

mode=''
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
while (($# > 0)); do
  case "$1" in
    --check | --fix) mode="${1#--}" ;;
    --root)
      (($# >= 2)) || { echo "spdx.sh: --root needs a directory" >&2; exit 2; }
      root="$2"
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) echo "spdx.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -n "$mode" ]] || { echo "spdx.sh: say --check or --fix (try --help)" >&2; exit 2; }
[[ -d "$root" ]] || { echo "spdx.sh: no such directory: $root" >&2; exit 2; }
cd "$root"

# Prints every candidate file, relative to the root, one per line, sorted.
candidate_files() {
  local dirs=()
  local d
  for d in "${FOLDERS[@]}"; do
    [[ -d "$d" ]] && dirs+=("$d")
  done
  {
    find . -maxdepth 1 -type f \( -name CMakeLists.txt -o -name '*.cmake' \)
    if ((${#dirs[@]} > 0)); then
      find "${dirs[@]}" \
        \( -type d \( -name node_modules -o -name .git -o -path tests/fixtures -o -path web/dist \
          -o -path web/e2e/artifacts \) -prune \) \
        -o -type f -print
    fi
  } | sed 's|^\./||' | LC_ALL=C sort
}

# Prints the comment style of a file ("slash", "hash-after-shebang", "hash", "dash") or
# nothing when the file is not ours to label.
comment_style() {
  local f="$1"
  local base="${f##*/}"
  local top="${f%%/*}"
  case "$base" in
    *.json | *.lock | pnpm-lock.yaml) return 0 ;; # data and lock files
    CMakeLists.txt | *.cmake) echo hash; return 0 ;;
  esac
  case "$top" in
    src | tests | bench | web)
      case "$base" in
        *.css) [[ "$top" == web ]] && echo css; return 0 ;;
        *.cpp | *.hpp | *.h | *.cc | *.hh | *.ipp) echo slash; return 0 ;;
        *.js | *.mjs | *.cjs | *.ts | *.tsx)
          if is_shebang "$f"; then echo slash-after-shebang; else echo slash; fi
          return 0
          ;;
        *.lua) echo dash; return 0 ;;
      esac
      ;;
  esac
  case "$top" in
    scripts | tests | bench | .ci)
      case "$base" in
        *.sh | *.bash | *.py) echo hash-after-shebang; return 0 ;;
      esac
      if is_shebang "$f"; then echo hash-after-shebang; fi
      ;;
  esac
  return 0
}

is_shebang() {
  local first=''
  IFS= read -r first <"$1" || true
  [[ "$first" == '#!'* ]]
}

is_generated() {
  head -n "$HEAD_LINES" "$1" | grep -qiE '@generated|do not edit'
}

has_identifier() {
  head -n "$HEAD_LINES" "$1" | grep -qF "$IDENTIFIER"
}

has_other_identifier() {
  head -n "$HEAD_LINES" "$1" | grep -q 'SPDX-License-Identifier:'
}

# Inserts the line in the file's own comment syntax; keeps the file's inode and mode.
add_identifier() {
  local f="$1" style="$2" tmp
  tmp="$(mktemp)"
  case "$style" in
    slash) { printf '// %s\n' "$IDENTIFIER"; cat "$f"; } >"$tmp" ;;
    hash) { printf '# %s\n' "$IDENTIFIER"; cat "$f"; } >"$tmp" ;;
    dash) { printf -- '-- %s\n' "$IDENTIFIER"; cat "$f"; } >"$tmp" ;;
    css) { printf '/* %s */\n' "$IDENTIFIER"; cat "$f"; } >"$tmp" ;;
    hash-after-shebang | slash-after-shebang)
      local marker='#'
      [[ "$style" == slash-after-shebang ]] && marker='//'
      if is_shebang "$f"; then
        { head -n 1 "$f"; printf '%s %s\n' "$marker" "$IDENTIFIER"; tail -n +2 "$f"; } >"$tmp"
      else
        { printf '%s %s\n' "$marker" "$IDENTIFIER"; cat "$f"; } >"$tmp"
      fi
      ;;
  esac
  cat "$tmp" >"$f"
  rm -f "$tmp"
}

# The whole run is one function, called on the last line: --fix rewrites this very file, and
# bash reads a script as it runs it.
main() {
  local f style status
  local missing=()
  local foreign=()
  local fixed=0
  while IFS= read -r f; do
    style="$(comment_style "$f")"
    [[ -n "$style" ]] || continue
    is_generated "$f" && continue
    has_identifier "$f" && continue
    if has_other_identifier "$f"; then
      foreign+=("$f")
    elif [[ "$mode" == fix ]]; then
      add_identifier "$f" "$style"
      fixed=$((fixed + 1))
    else
      missing+=("$f")
    fi
  done < <(candidate_files)

  status=0
  if ((${#missing[@]} > 0)); then
    echo "spdx.sh: ${#missing[@]} file(s) lack '$IDENTIFIER' in their first $HEAD_LINES lines" \
      "(scripts/spdx.sh --fix adds it):" >&2
    printf '  %s\n' "${missing[@]}" >&2
    status=1
  fi
  if ((${#foreign[@]} > 0)); then
    echo "spdx.sh: ${#foreign[@]} file(s) name another SPDX identifier; left alone:" >&2
    printf '  %s\n' "${foreign[@]}" >&2
    status=1
  fi
  if [[ "$mode" == fix ]]; then
    echo "spdx.sh: added the line to $fixed file(s)"
  fi
  return "$status"
}

main; exit
