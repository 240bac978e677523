#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Validates every JSON response the API tests received against the OpenAPI description.

    tests/openapi/check_responses.py SPEC.json LOG.jsonl [--coverage]

LOG is what the test client wrote with CM_RESPONSE_LOG set (tests/support/response_log.hpp):
one {"method", "path", "status", "contentType", "body"} per line. Each response must belong to a
described operation, its status must be described (exactly, or by its class 4XX/5XX, or by
`default`), its media type must be the described one, and its body must validate against the
schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Exits 1 listing the first failures of
each operation; --coverage also lists the operations no test reached. Debian's
python3-jsonschema (scripts/setup.sh), hence /usr/bin/python3 and not a pyenv interpreter.
"""
import json
import sys
from collections import defaultdict

from jsonschema import Draft202012Validator, RefResolver

MAX_SHOWN = 3


def path_matcher(template):
    parts = template.strip("/").split("/")

    def matches(path):
        got = path.strip("/").split("/")
        return len(got) == len(parts) and all(
            p.startswith("{") or p == g for p, g in zip(parts, got))

    # Literal segments first: /contracts/new before /contracts/{id}.
    return matches, sum(1 for p in parts if not p.startswith("{"))


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    coverage = "--coverage" in argv[3:]
    resolver = RefResolver.from_schema(spec)
    routes = []
    for template, item in spec["paths"].items():
        matches, literal = path_matcher(template)
        routes.append((literal, template, matches, item))
    routes.sort(key=lambda r: -r[0])

    validators = {}
    failures = defaultdict(list)
    seen = defaultdict(int)
    lines = 0
    with open(argv[2], encoding="utf-8") as f:
        for raw in f:
            lines += 1
            record = json.loads(raw)
            method = record["method"].lower()
            if method in ("head", "options"):
                continue  # no body; CORS preflights are not operations
            path, status = record["path"], record["status"]
            op_name = None
            operation = None
            for _, template, matches, item in routes:
                if matches(path) and method in item:
                    op_name, operation = f"{method.upper()} {template}", item[method]
                    break
            if operation is None:
                if method == "head" or status in (404, 405):
                    continue  # unrouted on purpose: the tests probe what does not exist
                failures[f"{method.upper()} {path}"].append("no operation describes it")
                continue
            seen[op_name] += 1
            responses = operation.get("responses", {})
            described = (responses.get(str(status)) or responses.get(f"{status // 100}XX")
                         or responses.get("default"))
            if described is None:
                failures[op_name].append(f"status {status} is not described")
                continue
            media = record["contentType"].split(";")[0].strip()
            content = described.get("content", {})
            media = next((m for m in (media, media.split("/")[0] + "/*", "*/*") if m in content),
                         media)
            if media not in content:
                failures[op_name].append(
                    f"status {status}: media type {media} is not described ({', '.join(content) or 'none'})")
                continue
            schema = content[media].get("schema")
            if schema is None:
                failures[op_name].append(f"status {status} {media}: no schema")
                continue
            if schema.get("format") == "binary":
                continue  # a stored document's bytes, whatever they hold
            try:
                body = json.loads(record["body"])
            except json.JSONDecodeError as e:
                failures[op_name].append(f"status {status}: the body is not JSON ({e})")
                continue
            key = json.dumps(schema, sort_keys=True)
            validator = validators.get(key)
            if validator is None:
                validator = validators[key] = Draft202012Validator(schema, resolver=resolver)
            error = next(iter(sorted(validator.iter_errors(body), key=lambda e: e.path)), None)
            if error is not None:
                where = "/".join(str(p) for p in error.absolute_path) or "(root)"
                failures[op_name].append(
                    f"status {status} at {where}: {error.message[:300]}")

    operations = sum(len([m for m in item if m in ("get", "put", "post", "patch", "delete")])
                     for item in spec["paths"].values())
    print(f"openapi: {lines} responses checked, {len(seen)} of {operations} operations reached")
    if coverage:
        for template, item in spec["paths"].items():
            for m in item:
                if f"{m.upper()} {template}" not in seen:
                    print(f"  not reached: {m.upper()} {template}")
    if failures:
        total = sum(len(v) for v in failures.values())
        print(f"openapi: {total} responses do not match the description:", file=sys.stderr)
        for name, errors in sorted(failures.items()):
            print(f"  {name}: {len(errors)}", file=sys.stderr)
            for e in errors[:MAX_SHOWN]:
                print(f"    {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
