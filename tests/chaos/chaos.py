#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Crash and fault trials on real processes (see docs/TRIALS.md). Entry point: tests/chaos/run.sh."""

import argparse
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness as h  # noqa: E402
from harness import Violation, log  # noqa: E402

SUMMARY = []


def summary(kind, text):
    line = f"chaos {kind}: {text}"
    SUMMARY.append(line)
    print(line, flush=True)


def workdir(args, name):
    d = tempfile.mkdtemp(prefix=f"cm-chaos-{name}-", dir=args.tmp)
    keep = args.keep

    def remove():
        if keep:
            log(f"kept {d}")
        else:
            shutil.rmtree(d, ignore_errors=True)

    h.CLEANUP.push(f"rm {d}", remove)
    return d


def start_pg(args, work, netns=None):
    return h.Postgres(work, netns)


def leftover_temp_files(data_dir):
    found = glob.glob(os.path.join(data_dir, "tmp", "cm-upload-*"))
    found += glob.glob(os.path.join(data_dir, "blobs", "**", ".tmp-*"), recursive=True)
    return found


# ---------------------------------------------------------------------------------------------
# 1. kill -9 of `serve` under concurrent writes.


def trial_kill_serve(args, backend_name):
    kind = f"kill-serve-{backend_name}"
    started = time.monotonic()
    work = workdir(args, kind)
    pg = start_pg(args, work) if backend_name == "postgres" else None
    be = h.Backend(kind, args.bin, work, pg)
    server = be.server({"DB_ACQUIRE_TIMEOUT_MS": "3000", "JOB_LEASE_SECONDS": "5"})
    server.start()
    base = server.base
    admin_token = h.login(base, be.admin_email)
    manager_token = h.login(base, be.manager_email)
    ledger = h.Ledger()
    writers = h.Writers(base, admin_token, manager_token, ledger, threads=4, seed=args.seed)
    api = h.Api(base, admin_token, timeout=30, renew=lambda: h.login(base, be.admin_email))
    rng = random.Random(args.seed)
    total_checks = 0
    restart_times = []
    logged_in = time.monotonic()
    for trial in range(1, args.trials + 1):
        if time.monotonic() - logged_in > 600:  # access tokens last 15 minutes
            writers.admin_token = api.token = h.login(base, be.admin_email)
            writers.manager_token = h.login(base, be.manager_email)
            logged_in = time.monotonic()
        before = set(ledger.contracts)
        writers.start()
        # Kill while documents are being written: after the trial's first acknowledged upload
        # (at most 30 s on a slow machine), then 0.3-2 s later.
        uploads = ledger.acked["upload"]
        deadline = time.monotonic() + 30
        while ledger.acked["upload"] == uploads and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.3, 2.0))
        server.kill9()
        writers.stop()
        restart_times.append(server.start())
        if h.request(base, "GET", "/ready")[0] != 200:
            raise Violation(f"{kind} trial {trial}: /ready is not 200 after the restart")
        touched = set(ledger.contracts) - before
        _, checks = h.verify(api, ledger, only_ids=touched)
        total_checks += checks
        be.audit_verify()
        if ledger.problems:
            raise Violation(f"{kind} trial {trial}: " + "; ".join(ledger.problems[:5]))
        if trial % 10 == 0 or trial == args.trials:
            log(f"{kind}: trial {trial}/{args.trials} passed, {sum(ledger.acked.values())} writes "
                f"acknowledged and verified ({dict(ledger.acked)}), {total_checks} checks, "
                f"{time.monotonic() - started:.0f} s")
    # Everything acknowledged in any trial, and every contract there is, once more at the end.
    contracts, checks = h.verify(api, ledger)
    total_checks += checks
    be.audit_verify()
    server.terminate()
    left = leftover_temp_files(be.data_dir)
    acked = sum(ledger.acked.values())
    no_answer = ledger.count(lambda k: k.endswith("no-answer") or k.endswith("timeout"))
    summary(kind, f"{args.trials} kill -9 trials, {acked} writes acknowledged and verified "
                  f"({dict(ledger.acked)}), {no_answer} writes unanswered at the kills, "
                  f"{contracts} contracts checked whole ({total_checks} checks), audit chain intact, "
                  f"restart to /ready max {max(restart_times):.2f} s "
                  f"({server.failed_starts} starts exited early and were retried), "
                  f"{len(left)} upload spool files left by the kills, {time.monotonic() - started:.0f} s")


# ---------------------------------------------------------------------------------------------
# 2. kill -9 of `worker` mid-job: text extraction and renewals.daily (with the other periodic
# jobs) complete exactly once; the outcome equals a control run of the same data without kills.

OUTCOME_QUERIES = {
    "renewal reminders": "SELECT contract_id, notice_deadline, offset_days FROM renewal_reminders",
    "obligation reminders": "SELECT obligation_id, due_date, offset_days FROM obligation_reminders",
    "notifications": "SELECT user_id, kind, entity_id, title FROM notifications",
    "audit events": "SELECT entity_id, action FROM audit_events",
    "contracts": "SELECT id, status, renewal_count, expiration_date, "
                 "COALESCE(termination_effective_date, '') FROM contracts",
    "extractions": "SELECT document_id, version, extraction, COALESCE(char_count, -1), "
                   "COALESCE(page_count, -1), COALESCE(length(extracted_text), -1) FROM document_versions",
}


def outcome(be):
    from collections import Counter
    return {name: Counter(tuple(row) for row in be.sql(q)) for name, q in OUTCOME_QUERIES.items()}


def unfinished_jobs(be):
    return int(be.sql("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')")[0][0])


def wait_jobs_done(be, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if unfinished_jobs(be) == 0:
            return
        time.sleep(0.1)
    rows = be.sql("SELECT kind, status, attempts, COALESCE(last_error, '') FROM jobs "
                  "WHERE status IN ('queued', 'running')")
    raise Violation(f"{what}: jobs not finished within {timeout} s: {rows[:10]}")


def check_jobs_once(be, what, versions):
    dead = be.sql("SELECT kind, attempts, COALESCE(last_error, '') FROM jobs WHERE status <> 'succeeded'")
    if dead:
        raise Violation(f"{what}: jobs that did not succeed: {dead[:10]}")
    per_version = be.sql("SELECT payload, count(*) FROM jobs WHERE kind = 'documents.extract_text' "
                         "GROUP BY payload HAVING count(*) <> 1")
    if per_version:
        raise Violation(f"{what}: extraction enqueued more than once: {per_version[:5]}")
    n = int(be.sql("SELECT count(*) FROM jobs WHERE kind = 'documents.extract_text'")[0][0])
    if n != versions:
        raise Violation(f"{what}: {n} extraction jobs for {versions} uploaded versions")
    periodic = be.sql("SELECT kind, count(*) FROM jobs WHERE kind <> 'documents.extract_text' "
                      "GROUP BY kind, unique_key HAVING count(*) <> 1")
    if periodic:
        raise Violation(f"{what}: a periodic job ran twice for one period: {periodic}")


def compare_outcomes(control, got, what):
    for name, expected in control.items():
        actual = got[name]
        if actual != expected:
            extra = actual - expected
            lost = expected - actual
            raise Violation(f"{what}: {name} differ from the control run without kills: "
                            f"{sum(extra.values())} extra (duplicates?) e.g. {list(extra)[:3]}, "
                            f"{sum(lost.values())} missing e.g. {list(lost)[:3]}")


def snapshot_db(be, name):
    """A copy of the database as it is now (no process may be writing)."""
    if be.pg is None:
        path = os.path.join(be.work, f"{name}.db")
        import sqlite3
        src, dst = sqlite3.connect(be.db_path), sqlite3.connect(path)
        src.backup(dst)
        src.close()
        dst.close()
        return f"sqlite://{path}", path
    be.pg.createdb(name, template=be.dbname)
    return be.pg.url(name), name


def backend_on(be, url, db):
    """A view of `be` on another copy of its database."""
    import copy
    other = copy.copy(be)
    other.env = dict(be.env, DATABASE_URL=url)
    if be.pg is None:
        other.db_path = db
    else:
        other.dbname = db
    return other


def upload_samples(api, cid, rng, count):
    """Text documents of known content, plus the extraction fixtures (PDF, RTF)."""
    expected = {}
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "extract")
    files = []
    for i in range(count):
        files.append((f"text-{i}.txt", h.document_text(rng, rng.randint(2000, 20000)).encode(), "text/plain"))
    for name, ctype in (("two_pages.pdf", "application/pdf"), ("sample.rtf", "application/rtf")):
        with open(os.path.join(fixtures, name), "rb") as f:
            files.append((name, f.read(), ctype))
    for name, body, ctype in files:
        d = api.json("POST", f"/api/v1/contracts/{cid}/documents?kind=attachment", body,
                     expect=(200, 201),
                     headers={"Content-Type": ctype, "Content-Disposition": f'attachment; filename="{name}"'})
        expected[d["id"]] = (name, body)
    return expected


def trial_kill_worker(args, backend_name):
    kind = f"kill-worker-{backend_name}"
    started = time.monotonic()
    trials = max(2, args.trials // 5)
    work = workdir(args, kind)
    pg = start_pg(args, work) if backend_name == "postgres" else None
    be = h.Backend(kind, args.bin, work, pg)
    rng = random.Random(args.seed)
    t0 = time.monotonic()
    h.cli(args.bin, be.env, "seed", "--org", "Chaos", "--contracts", str(args.seed_contracts),
          "--counterparties", "50", "--workflow")
    seed_s = time.monotonic() - t0
    # Documents uploaded through a serve without a worker: their extraction jobs wait queued.
    server = be.server({"EMBEDDED_WORKER": "false"}, log_name="serve-upload.log")
    server.start()
    api = h.Api(server.base, h.login(server.base, be.admin_email), timeout=30)
    c = api.json("POST", "/api/v1/contracts", {"title": "extraction", "type": "nda"}, expect=(201,))
    samples = upload_samples(api, c["id"], rng, 3)
    server.terminate()
    versions = len(samples)
    pristine_url, pristine = snapshot_db(be, "pristine")

    worker_env = {"JOB_LEASE_SECONDS": "5", "WORKER_CONCURRENCY": "2", "JOB_POLL_INTERVAL_MS": "100"}

    # The control: the same data, one worker, no kills.
    url, db = snapshot_db(backend_on(be, pristine_url, pristine), "control")
    control_be = backend_on(be, url, db)
    worker = control_be.server(worker_env, subcommand="worker", log_name="worker-control.log")
    t0 = time.monotonic()
    worker.start()
    wait_jobs_done(control_be, 600, f"{kind} control run")
    control_s = time.monotonic() - t0
    worker.terminate()
    check_jobs_once(control_be, f"{kind} control run", versions)
    control = outcome(control_be)
    control_be.audit_verify()
    extracted = [k for k in control["extractions"] if k[2] == "done"]
    if len(extracted) != versions:
        raise Violation(f"{kind}: control run extracted {len(extracted)} of {versions} versions: {control['extractions']}")
    # The extracted texts are the uploaded ones (trials must match the control's lengths).
    for doc_id, text in control_be.sql("SELECT document_id, extracted_text FROM document_versions"):
        name, body = samples[doc_id]
        if name.endswith(".txt") and text.strip() != body.decode().strip():
            raise Violation(f"{kind}: the extracted text of {name} is not what was uploaded")
    reminders = sum(control["renewal reminders"].values())
    if reminders == 0:
        raise Violation(f"{kind}: the seeded data owes no renewal reminders; the trial would prove nothing")

    kills = kills_mid_job = 0
    for trial in range(1, trials + 1):
        url, db = snapshot_db(backend_on(be, pristine_url, pristine), f"trial{trial}")
        tbe = backend_on(be, url, db)
        worker = tbe.server(worker_env, subcommand="worker", log_name=f"worker-trial{trial}.log")
        for k in range(rng.randint(1, 3)):
            worker.start()
            time.sleep(rng.uniform(0.05, max(0.3, control_s)))
            running = int(tbe.sql("SELECT count(*) FROM jobs WHERE status = 'running'")[0][0])
            worker.kill9()
            kills += 1
            kills_mid_job += 1 if running else 0
        worker.start()
        wait_jobs_done(tbe, 600, f"{kind} trial {trial}")
        worker.terminate()
        check_jobs_once(tbe, f"{kind} trial {trial}", versions)
        compare_outcomes(control, outcome(tbe), f"{kind} trial {trial}")
        tbe.audit_verify()
        if be.pg is None:
            os.unlink(db)
    scratch = glob.glob(os.path.join(be.data_dir, "tmp", "extract-*"))
    summary(kind, f"{trials} trials, {kills} worker kills ({kills_mid_job} while a job was running), "
                  f"{versions} extractions and {reminders} renewal reminders "
                  f"({sum(control['notifications'].values())} notifications, "
                  f"{sum(control['obligation reminders'].values())} obligation reminders) each exactly once "
                  f"as in the control run; seed of {args.seed_contracts} contracts {seed_s:.1f} s, "
                  f"control run {control_s:.1f} s, {len(scratch)} extraction scratch files left by kills, "
                  f"{time.monotonic() - started:.0f} s")


# ---------------------------------------------------------------------------------------------
# Phases of load with their own answer counts.


class Phases:
    def __init__(self, ledger):
        self.ledger = ledger
        self.rows = []
        self._mark = None

    def begin(self, name):
        with self.ledger.lock:
            self._mark = (name, time.monotonic(), dict(self.ledger.statuses), len(self.ledger.problems),
                          len(self.ledger.slow))

    def end(self):
        name, t0, before, problems_before, slow_before = self._mark
        with self.ledger.lock:
            after = dict(self.ledger.statuses)
            problems = self.ledger.problems[problems_before:]
            slow = self.ledger.slow[slow_before:]
        diff = {}
        for k, v in after.items():
            status = k.split(" ", 1)[1]
            n = v - before.get(k, 0)
            if n:
                diff[status] = diff.get(status, 0) + n
        self.rows.append((name, time.monotonic() - t0, diff, problems, slow))
        return diff

    def describe(self):
        out = []
        for name, secs, diff, problems, slow in self.rows:
            answers = ", ".join(f"{k}:{v}" for k, v in sorted(diff.items()))
            out.append(f"{name} {secs:.0f}s [{answers}]" + (f" {len(problems)} problems" if problems else ""))
        return "; ".join(out)

    def count(self, status_pred):
        return sum(v for _, _, d, _, _ in self.rows for k, v in d.items() if status_pred(k))


def wait_recovered(base, admin_token, timeout, what):
    """Seconds until /ready is 200 and a write succeeds, without restarting anything."""
    t0 = time.monotonic()
    api = h.Api(base, admin_token, timeout=10)
    while time.monotonic() - t0 < timeout:
        try:
            if h.request(base, "GET", "/ready", timeout=5)[0] == 200:
                st, _, _ = api.call("POST", "/api/v1/contracts", {"title": "recovery probe", "type": "nda"})
                if st == 201:
                    return time.monotonic() - t0
        except h.ConnError:
            pass
        time.sleep(0.2)
    raise Violation(f"{what}: not recovered {timeout} s after the fault ended (no restart was made)")


def reader_loop(base, token, ledger, stop, bound):
    """GET /api/v1/contracts/{id} (the asynchronous read path) and the list, on acknowledged ids."""
    api = h.Api(base, token, timeout=30)
    rng = random.Random(7)
    while not stop.is_set():
        with ledger.lock:
            ids = list(ledger.contracts)
        if not ids:
            time.sleep(0.05)
            continue
        path = f"/api/v1/contracts/{rng.choice(ids)}" if rng.random() < 0.8 else "/api/v1/contracts?limit=20"
        t0 = time.monotonic()
        try:
            st, hd, body = api.call("GET", path)
        except h.ConnError as e:
            ledger.note("read", "timeout" if "timed out" in str(e) else "no-answer", time.monotonic() - t0, bound=bound)
            time.sleep(0.05)
            continue
        ledger.note("read", st, time.monotonic() - t0, body, hd, bound=bound)
        if st == 404:
            with ledger.lock:
                ledger.problems.append(f"read {path}: 404 for an acknowledged contract")
        if st >= 500:
            time.sleep(0.05)


class Load:
    def __init__(self, base, admin_token, manager_token, ledger, bound, request_timeout=60):
        import threading
        self.writers = h.Writers(base, admin_token, manager_token, ledger, threads=3, seed=3,
                                 request_timeout=request_timeout, latency_bound=bound, max_doc_words=2000)
        self.stop_event = threading.Event()
        self.reader = threading.Thread(target=reader_loop, args=(base, admin_token, ledger, self.stop_event, bound),
                                       daemon=True)

    def start(self):
        self.writers.start()
        self.reader.start()

    def stop(self):
        self.stop_event.set()
        self.writers.stop()
        self.reader.join(90)


# ---------------------------------------------------------------------------------------------
# 3. PostgreSQL restarted, then stopped for 30 s, under load.


def trial_pg_outage(args):
    kind = "pg-outage"
    started = time.monotonic()
    work = workdir(args, kind)
    pg = start_pg(args, work)
    be = h.Backend(kind, args.bin, work, pg)
    acquire_ms = 2000
    server = be.server({"DB_ACQUIRE_TIMEOUT_MS": str(acquire_ms), "DB_ASYNC_QUERY_TIMEOUT_MS": "2000",
                        "AUTH_CACHE_TTL_MS": "1000"})
    server.start()
    admin, manager = h.login(server.base, be.admin_email), h.login(server.base, be.manager_email)
    ledger = h.Ledger()
    bound = acquire_ms / 1000 + args.slack
    load = Load(server.base, admin, manager, ledger, bound)
    phases = Phases(ledger)
    phases.begin("before")
    load.start()
    time.sleep(3)
    phases.end()
    phases.begin("restart")
    pg.stop("fast")
    pg.start()
    time.sleep(0.5)
    phases.end()
    phases.begin("after-restart")
    time.sleep(4)
    diff = phases.end()
    if not any(k.startswith("2") for k in diff):
        raise Violation(f"{kind}: no write succeeded within 4 s after PostgreSQL restarted: {diff}")
    phases.begin(f"down-{args.outage_seconds}s")
    pg.stop("fast")
    time.sleep(args.outage_seconds)
    down = phases.end()
    try:
        ready = h.request(server.base, "GET", "/ready", timeout=5)[0]
    except h.ConnError:
        ready = "no answer"
    if ready != 503:
        raise Violation(f"{kind}: /ready answered {ready} while PostgreSQL was down")
    pg.start()
    phases.begin("recovery")
    recovered = wait_recovered(server.base, admin, 30, kind)
    time.sleep(3)
    phases.end()
    load.stop()
    if not server.alive():
        raise Violation(f"{kind}: serve exited during the outage")
    if ledger.problems:
        raise Violation(f"{kind}: {len(ledger.problems)} wrong answers, e.g. " + "; ".join(ledger.problems[:5]))
    if ledger.slow:
        raise Violation(f"{kind}: {len(ledger.slow)} requests took longer than {bound} s: {ledger.slow[:5]}; "
                        f"phases: {phases.describe()}")
    api = h.Api(server.base, admin, timeout=30)
    contracts, checks = h.verify(api, ledger)
    be.audit_verify()
    server.terminate()
    n503 = down.get("503", 0)
    summary(kind, f"{sum(ledger.acked.values())} writes acknowledged and verified ({contracts} contracts, "
                  f"{checks} checks); while down {n503} x 503 (all with Retry-After), "
                  f"{phases.count(lambda k: k == '500')} x 500 overall; recovered by itself in {recovered:.1f} s; "
                  f"slowest answer {ledger.max_latency:.2f} s (bound {bound:.0f} s); phases: {phases.describe()}; "
                  f"{time.monotonic() - started:.0f} s")


# ---------------------------------------------------------------------------------------------
# 4. DATA_DIR on a full file system.


def fs_free(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def set_free(filler, mount, target):
    """Grows or shrinks `filler` until `target` bytes are free on `mount`."""
    free = fs_free(mount)
    if free > target:
        with open(filler, "ab") as f:
            f.write(b"\0" * (free - target))
    else:
        os.truncate(filler, max(0, os.path.getsize(filler) - (target - free)))


def trial_disk_full(args):
    kind = "disk-full"
    started = time.monotonic()
    work = workdir(args, kind)
    data = os.path.join(work, "data")
    os.makedirs(data)
    h.run(["mount", "-t", "tmpfs", "-o", "size=24m,mode=0755", f"cmchaos{os.getpid()}", data])
    h.CLEANUP.push(f"umount {data}", lambda: h.run(["umount", "-l", data], check=False))
    be = h.Backend(kind, args.bin, work, None, data_dir=data)
    server = be.server({"EMBEDDED_WORKER": "false"})
    server.start()
    base = server.base
    api = h.Api(base, h.login(base, be.admin_email), timeout=30)
    rng = random.Random(args.seed)
    c = api.json("POST", "/api/v1/contracts", {"title": "disk full", "type": "nda"}, expect=(201,))
    cid = c["id"]
    first_body = h.document_text(rng, 20000).encode()

    def upload(name, body):
        return api.call("POST", f"/api/v1/contracts/{cid}/documents?kind=attachment", body,
                        {"Content-Type": "text/plain", "Content-Disposition": f'attachment; filename="{name}"'})

    st, _, body = upload("before.txt", first_body)
    if st != 201:
        raise Violation(f"{kind}: baseline upload answered {st} {body[:200]!r}")
    first = json.loads(body)
    filler = os.path.join(data, "filler")
    with open(filler, "wb") as f:
        chunk = b"\0" * (1 << 20)
        try:
            while True:
                f.write(chunk)
                f.flush()
        except OSError:
            pass
    results = []
    for case, free_mb, size_mb in (("blob write", 1.5, 1), ("upload spool", 0.5, 3)):
        # Leave `free_mb` free: for "blob write" the spooled body fits and its blob does not.
        set_free(filler, data, int(free_mb * (1 << 20)))
        free_before = fs_free(data)
        docs_before = api.json("GET", f"/api/v1/contracts/{cid}/documents")["items"]
        payload = h.document_text(rng, int(size_mb * (1 << 20) / 7)).encode()
        try:
            st, hd, body = upload(f"{case.replace(' ', '-')}.txt", payload)
        except h.ConnError as e:
            raise Violation(f"{kind} ({case}, {free_before >> 10} KiB free, {len(payload) >> 10} KiB upload): "
                            f"no answer ({e}); expected 507 or 503 problem+json")
        ctype = hd.get("content-type", "")
        results.append(f"{case}: {st}")
        if st not in (507, 503) or not ctype.startswith("application/problem+json"):
            raise Violation(f"{kind} ({case}, {free_before >> 10} KiB free, {len(payload) >> 10} KiB upload): "
                            f"answered {st} {ctype} {body[:300]!r}; expected 507 or 503 problem+json")
        problem = json.loads(body)
        time.sleep(0.2)
        docs_after = api.json("GET", f"/api/v1/contracts/{cid}/documents")["items"]
        if len(docs_after) != len(docs_before):
            raise Violation(f"{kind} ({case}): a failed upload left a document row: {docs_after}")
        left = leftover_temp_files(data)
        if left:
            raise Violation(f"{kind} ({case}): temporary files left after the failed upload: {left}")
        if fs_free(data) < free_before - (64 << 10):
            raise Violation(f"{kind} ({case}): {(free_before - fs_free(data)) >> 10} KiB stayed used after the failure")
        # Reads keep working on the full disk.
        got = api.json("GET", f"/api/v1/contracts/{cid}")
        st, _, content = api.call("GET", f"/api/v1/contracts/{cid}/documents/{first['id']}/versions/1/content")
        if st != 200 or content != first_body:
            raise Violation(f"{kind} ({case}): download on the full disk answered {st}")
        st, _, _ = api.call("POST", "/api/v1/contracts", {"title": "while full", "type": "nda"})
        if st != 201:
            raise Violation(f"{kind} ({case}): a contract (database not on DATA_DIR) could not be created: {st}")
        results[-1] += f" {problem.get('type')}"
        _ = got
    os.unlink(filler)
    for name, mb in (("after-small.txt", 1), ("after-large.txt", 3)):
        payload = h.document_text(rng, int(mb * (1 << 20) / 7)).encode()
        st, _, body = upload(name, payload)
        if st != 201:
            raise Violation(f"{kind}: upload after space was freed answered {st} {body[:200]!r}")
        d = json.loads(body)
        st, _, content = api.call("GET", f"/api/v1/contracts/{cid}/documents/{d['id']}/versions/1/content")
        if st != 200 or content != payload:
            raise Violation(f"{kind}: document uploaded after the disk was freed reads back wrong ({st})")
    be.audit_verify()
    ledger = h.Ledger()
    contracts, checks = h.verify(api, ledger)
    server.terminate()
    summary(kind, f"{'; '.join(results)}; no rows, temp files or space left behind; reads and "
                  f"database writes kept working; uploads work again after freeing space; "
                  f"{contracts} contracts checked whole; {time.monotonic() - started:.0f} s")


# ---------------------------------------------------------------------------------------------
# 5. Network faults between serve and PostgreSQL: latency, loss, a partition.


class DelayProxy:
    """TCP forwarder on 127.0.0.1 adding `delay` seconds each way (the kernel here may have no
    netem); what it forwards crosses the veth pair, where nftables drops packets."""

    def __init__(self, target_host, target_port):
        import socket
        import threading
        self.target = (target_host, target_port)
        self.delay = 0.0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.closed = False
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()
        h.CLEANUP.push("delay proxy", self.close)

    def close(self):
        self.closed = True
        for s in [self.sock] + self.conns:
            try:
                s.close()
            except OSError:
                pass

    def _accept(self):
        import socket
        import threading
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.conns += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, src, dst):
        import collections
        import threading
        queue = collections.deque()
        cv = threading.Condition()

        def sender():
            while True:
                with cv:
                    while not queue:
                        cv.wait()
                    due, data = queue.popleft()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    if data is None:
                        dst.shutdown(1)
                        return
                    dst.sendall(data)
                except OSError:
                    return

        threading.Thread(target=sender, daemon=True).start()
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            with cv:
                queue.append((time.monotonic() + self.delay, data or None))
                cv.notify()
            if not data:
                return


def trial_net_faults(args):
    kind = "net-faults"
    started = time.monotonic()
    work = workdir(args, kind)
    ns = h.NetNs(index=(os.getpid() % 200) + 20)
    pg = start_pg(args, work, netns=ns)
    proxy = DelayProxy(pg.host, pg.port)
    be = h.Backend(kind, args.bin, work, pg)
    be.env["DATABASE_URL"] = pg.url(be.dbname, host="127.0.0.1", port=proxy.port)
    acquire_ms, async_ms = 2000, 3000
    server = be.server({"DB_ACQUIRE_TIMEOUT_MS": str(acquire_ms), "DB_ASYNC_QUERY_TIMEOUT_MS": str(async_ms),
                        "DB_POOL_MAX": "10", "HANDLER_THREADS": "8"})
    server.start()
    admin, manager = h.login(server.base, be.admin_email), h.login(server.base, be.manager_email)
    ledger = h.Ledger()
    partition_s = 8
    # A request in flight when the partition starts waits for it to heal (TCP retransmits); any
    # other waits at most the configured timeouts. Beyond this bound it hangs.
    bound = partition_s + max(acquire_ms, async_ms) / 1000 + args.slack
    load = Load(server.base, admin, manager, ledger, bound)
    phases = Phases(ledger)
    phases.begin("baseline")
    load.start()
    time.sleep(3)
    phases.end()
    phases.begin("latency-50ms")
    proxy.delay = 0.05
    time.sleep(6)
    lat = phases.end()
    proxy.delay = 0
    phases.begin("loss-10%")
    ns.loss(10)
    time.sleep(6)
    loss = phases.end()
    phases.begin(f"partition-{partition_s}s")
    ns.partition()
    time.sleep(partition_s)
    part = phases.end()
    ns.heal()
    phases.begin("healed")
    recovered = wait_recovered(server.base, admin, 45, kind)
    time.sleep(3)
    phases.end()
    load.stop()
    if not any(k.startswith("2") for k in lat) or not any(k.startswith("2") for k in loss):
        raise Violation(f"{kind}: no write succeeded under latency or loss: {phases.describe()}")
    if ledger.problems:
        raise Violation(f"{kind}: {len(ledger.problems)} wrong answers, e.g. " + "; ".join(ledger.problems[:5]))
    if ledger.slow:
        raise Violation(f"{kind}: {len(ledger.slow)} requests took longer than {bound:.0f} s (hung): "
                        f"{ledger.slow[:5]}; phases: {phases.describe()}")
    api = h.Api(server.base, admin, timeout=30)
    contracts, checks = h.verify(api, ledger)
    be.audit_verify()
    server.terminate()
    summary(kind, f"{sum(ledger.acked.values())} writes acknowledged and verified ({contracts} contracts, "
                  f"{checks} checks); partition: {part.get('503', 0)} x 503, "
                  f"{phases.count(lambda k: k == '500')} x 500 overall, slowest answer {ledger.max_latency:.1f} s "
                  f"(bound {bound:.0f} s); recovered by itself in {recovered:.1f} s; phases: {phases.describe()}; "
                  f"{time.monotonic() - started:.0f} s")


# ---------------------------------------------------------------------------------------------


KINDS = {
    "kill-serve-sqlite": lambda a: trial_kill_serve(a, "sqlite"),
    "kill-serve-postgres": lambda a: trial_kill_serve(a, "postgres"),
    "kill-worker-sqlite": lambda a: trial_kill_worker(a, "sqlite"),
    "kill-worker-postgres": lambda a: trial_kill_worker(a, "postgres"),
    "pg-outage": trial_pg_outage,
    "disk-full": trial_disk_full,
    "net-faults": trial_net_faults,
}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--trials", type=int, default=10, help="kill -9 trials per backend (default 10)")
    p.add_argument("--only", action="append", default=[],
                   help="run only the trial kinds whose name starts with this (repeatable)")
    p.add_argument("--skip", action="append", default=[],
                   help="skip the trial kinds whose name starts with this (repeatable)")
    p.add_argument("--seed", type=int, default=int(os.environ.get("CM_CHAOS_SEED", "0")) or None)
    p.add_argument("--seed-contracts", type=int, default=1000,
                   help="contracts seeded for the worker trials (default 1000)")
    p.add_argument("--outage-seconds", type=int, default=30,
                   help="how long PostgreSQL stays stopped in pg-outage (default 30)")
    p.add_argument("--slack", type=float, default=float(os.environ.get("CM_CHAOS_SLACK", "10")),
                   help="seconds a request may take beyond the configured timeouts before it counts "
                        "as hung (default 10; raise it on an overloaded machine)")
    p.add_argument("--keep", action="store_true", help="keep the work directories")
    p.add_argument("--list", action="store_true", help="list the trial kinds")
    args = p.parse_args()
    args.bin = os.path.abspath(os.environ.get("CM_BIN", "build/src/contractmgmt"))
    args.tmp = os.environ.get("TMPDIR", "/tmp")
    if args.seed is None:
        args.seed = random.randrange(1, 1 << 30)
    if args.list:
        print("\n".join(KINDS))
        return 0
    if not os.access(args.bin, os.X_OK):
        print(f"chaos: {args.bin} is not an executable; build first (scripts/build.sh) or set CM_BIN",
              file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("chaos: run as root (PostgreSQL as `postgres`, namespaces, mounts)", file=sys.stderr)
        return 2
    selected = [k for k in KINDS if (not args.only or any(k.startswith(o) for o in args.only))
                and not any(k.startswith(o) for o in args.skip)]
    if not selected:
        print(f"chaos: no trial kind matches {args.only}; kinds: {', '.join(KINDS)}", file=sys.stderr)
        return 2
    h.install_signal_handlers()
    log(f"binary {args.bin}, seed {args.seed} (CM_CHAOS_SEED={args.seed} repeats it), kinds: {' '.join(selected)}")
    failures = []
    started = time.monotonic()
    try:
        for kind in selected:
            try:
                KINDS[kind](args)
            except Violation as e:
                failures.append(kind)
                summary(kind, f"VIOLATION: {e}")
            except KeyboardInterrupt:
                raise
            except Exception as e:
                failures.append(kind)
                summary(kind, f"ERROR (harness or environment): {type(e).__name__}: {e}")
                traceback.print_exc()
            finally:
                h.CLEANUP.run_all()
    except KeyboardInterrupt as e:
        print(f"chaos: interrupted ({e}); cleaning up", file=sys.stderr, flush=True)
        h.CLEANUP.run_all()
        return 130
    finally:
        h.CLEANUP.run_all()
    print(f"chaos: {len(selected) - len(failures)}/{len(selected)} trial kinds passed in "
          f"{time.monotonic() - started:.0f} s (seed {args.seed})", flush=True)
    for line in SUMMARY:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
