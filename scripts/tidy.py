#!/usr/bin/env python3
"""clang-tidy over src/ with the repository's .clang-tidy; exits 1 on any finding.

A full run costs about ten CPU-minutes, so each file's clean result is remembered under
~/.cache/contractmgmt-tidy, keyed by the hash of everything that decides the outcome: the file,
every header it includes (from ninja's dependency log), its compile command, .clang-tidy and the
clang-tidy version. Only files whose key changed are checked again.

Usage: scripts/tidy.py [--build DIR] [--jobs N] [--no-cache] [FILE...]
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def ninja_deps(build: pathlib.Path) -> dict:
    """object file -> list of its header dependencies (absolute paths)."""
    out = subprocess.run(["ninja", "-C", str(build), "-t", "deps"], capture_output=True,
                         text=True, check=True).stdout
    deps, current = {}, None
    for line in out.splitlines():
        if not line.strip():
            current = None
        elif not line.startswith(" "):
            current = line.split(":")[0]
            deps[current] = []
        elif current is not None:
            path = line.strip()
            deps[current].append(path if os.path.isabs(path) else str(build / path))
    return deps


def file_digest(path: str, memo: dict) -> str:
    if path not in memo:
        try:
            memo[path] = hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
        except OSError:
            memo[path] = "missing"
    return memo[path]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    build = pathlib.Path(args.build).resolve()
    commands = json.loads((build / "compile_commands.json").read_text())
    wanted = {str(pathlib.Path(f).resolve()) for f in args.files}
    entries = [c for c in commands
               if c["file"].startswith(str(ROOT / "src") + "/")
               and (not wanted or c["file"] in wanted)]
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True).stdout
    config = (ROOT / ".clang-tidy").read_bytes()
    deps = ninja_deps(build)
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
        words = entry["command"].split()
        obj = words[words.index("-o") + 1] if "-o" in words else None
        for dep in sorted(deps.get(obj, [])):
            h.update(file_digest(dep, memo).encode())
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
