#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""clang-tidy over src/ with the repository's .clang-tidy; exits 1 on any finding.

clang-tidy checks files one by one, so it reads the compile commands of its own build directory
(build-tidy), configured file by file (CM_UNITY=OFF) and never built. A full run costs about ten
CPU-minutes, so each file's clean result is remembered under ~/.cache/contractmgmt-tidy, keyed
by the hash of what decides the outcome: the file, every project header it reaches through
`#include "..."`, its compile command, .clang-tidy and the clang-tidy version (system headers
change only with the Debian packages, which change that version or the command's paths). Only
files whose key changed are checked again.

Usage: scripts/tidy.py [--build DIR] [--jobs N] [--no-cache] [FILE...]
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def project_headers(path: str, memo: dict) -> set:
    """Every project header `path` reaches through quoted includes (resolved against src/)."""
    if path in memo:
        return memo[path]
    memo[path] = set()  # breaks include cycles
    found = set()
    try:
        text = pathlib.Path(path).read_text(errors="replace")
    except OSError:
        return found
    for name in INCLUDE.findall(text):
        for base in (pathlib.Path(path).parent, ROOT / "src"):
            candidate = base / name
            if candidate.is_file():
                header = str(candidate.resolve())
                found.add(header)
                found |= project_headers(header, memo)
                break
    memo[path] = found
    return found


def configure(build: pathlib.Path) -> None:
    subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja",
                    "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCM_UNITY=OFF",
                    "-DCM_BUILD_TESTS=OFF", "-DCM_BUILD_BENCH=OFF"],
                   check=True, stdout=subprocess.DEVNULL)


def file_digest(path: str, memo: dict) -> str:
    if path not in memo:
        try:
            memo[path] = hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
        except OSError:
            memo[path] = "missing"
    return memo[path]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(ROOT / "build-tidy"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    build = pathlib.Path(args.build).resolve()
    configure(build)
    commands = json.loads((build / "compile_commands.json").read_text())
    wanted = {str(pathlib.Path(f).resolve()) for f in args.files}
    entries = [c for c in commands
               if c["file"].startswith(str(ROOT / "src") + "/")
               and (not wanted or c["file"] in wanted)]
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True).stdout
    config = (ROOT / ".clang-tidy").read_bytes()
    includes = {}
    cache = pathlib.Path.home() / ".cache" / "contractmgmt-tidy"
    cache.mkdir(parents=True, exist_ok=True)
    memo = {}

    def key_of(entry) -> str:
        h = hashlib.sha256()
        h.update(version.encode())
        h.update(config)
        # The command minus the absolute checkout path, so clones share results.
        h.update(entry["command"].replace(str(ROOT), "<root>").encode())
        h.update(file_digest(entry["file"], memo).encode())
        for header in sorted(project_headers(entry["file"], includes)):
            h.update(header.replace(str(ROOT), "<root>").encode())
            h.update(file_digest(header, memo).encode())
        return h.hexdigest()

    todo = []
    for entry in entries:
        key = key_of(entry)
        if args.no_cache or not (cache / key).exists():
            todo.append((entry, key))
    print(f"tidy: {len(entries)} files, {len(entries) - len(todo)} unchanged since a clean run")

    def run(item):
        entry, key = item
        result = subprocess.run(
            ["clang-tidy", "-p", str(build), "--quiet", "--warnings-as-errors=*", entry["file"]],
            capture_output=True, text=True)
        findings = result.returncode != 0
        if not findings:
            (cache / key).touch()
        return entry["file"], findings, result.stdout + result.stderr

    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for path, findings, output in pool.map(run, todo):
            if findings:
                failed.append(path)
                sys.stdout.write(output)
    if failed:
        print(f"tidy: findings in {len(failed)} files:", *sorted(failed), sep="\n  ")
        return 1
    print("tidy: no findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
