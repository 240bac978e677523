# SPDX-License-Identifier: AGPL-3.0-or-later
"""Building blocks of the crash and fault trials (tests/chaos/run.sh): cleanup of everything
started, a throwaway PostgreSQL (optionally inside a network namespace), `contractmgmt`
processes, an HTTP client, and the ledger of acknowledged writes with its verification.

Debian's /usr/bin/python3, standard library only."""

import ctypes
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter

PG_BIN = "/usr/lib/postgresql/15/bin"
JWT_SECRET = "chaos-trial-jwt-secret-0123456789abcdefghij"
PASSWORD = "chaos trial password 1"


class Violation(Exception):
    """Something acknowledged was lost, half written, or answered wrongly."""


def log(msg):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------
# Cleanup: a stack of undo actions, run on exit, on an exception and on SIGINT/SIGTERM/SIGHUP.


class Cleanup:
    def __init__(self):
        self._actions = []
        self._lock = threading.Lock()

    def push(self, name, fn):
        token = object()
        with self._lock:
            self._actions.append((token, name, fn))
        return token

    def run(self, token):
        """Runs one action now (and forgets it)."""
        with self._lock:
            found = [a for a in self._actions if a[0] is token]
            self._actions = [a for a in self._actions if a[0] is not token]
        for _, name, fn in found:
            _safely(name, fn)

    def run_all(self):
        while True:
            with self._lock:
                if not self._actions:
                    return
                _, name, fn = self._actions.pop()
            _safely(name, fn)


def _safely(name, fn):
    try:
        fn()
    except Exception as e:  # cleanup goes on whatever fails
        print(f"[chaos] cleanup {name}: {e}", file=sys.stderr, flush=True)


CLEANUP = Cleanup()


def install_signal_handlers():
    def handler(signum, _frame):
        # Further signals must not interrupt the cleanup that the exception starts.
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        raise KeyboardInterrupt(f"signal {signum}")

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)


_libc = ctypes.CDLL("libc.so.6", use_errno=True)


def _die_with_parent():
    # PR_SET_PDEATHSIG = 1: the child gets SIGKILL if the harness dies (even by kill -9).
    _libc.prctl(1, signal.SIGKILL, 0, 0, 0)


def run(argv, env=None, check=True, timeout=600, input=None):
    r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, input=input)
    if check and r.returncode != 0:
        raise RuntimeError(f"command failed ({r.returncode}): {' '.join(argv)}\n{r.stdout}{r.stderr}")
    return r


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def base_env():
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ") if k in os.environ}
    return env


# ---------------------------------------------------------------------------------------------
# A network namespace reached over a veth pair: 10.231.<n>.1 on the host, .2 inside.


class NetNs:
    def __init__(self, index):
        self.name = f"cmchaos{os.getpid()}"
        self.host_if = f"cmc{os.getpid() % 100000}h"
        self.ns_if = f"cmc{os.getpid() % 100000}n"
        self.host_ip = f"10.231.{index}.1"
        self.ns_ip = f"10.231.{index}.2"
        run(["ip", "netns", "add", self.name])
        CLEANUP.push(f"netns {self.name}", lambda: run(["ip", "netns", "del", self.name], check=False))
        run(["ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if])
        CLEANUP.push(f"veth {self.host_if}", lambda: run(["ip", "link", "del", self.host_if], check=False))
        run(["ip", "link", "set", self.ns_if, "netns", self.name])
        run(["ip", "addr", "add", f"{self.host_ip}/30", "dev", self.host_if])
        run(["ip", "link", "set", self.host_if, "up"])
        self.exec(["ip", "addr", "add", f"{self.ns_ip}/30", "dev", self.ns_if])
        self.exec(["ip", "link", "set", self.ns_if, "up"])
        self.exec(["ip", "link", "set", "lo", "up"])
        # Packet loss and partitions are nftables rules inside the namespace (this kernel may
        # have no netem); a table of our own, flushed to heal.
        self.exec(["nft", "add", "table", "inet", "cmchaos"])
        for hook in ("input", "output"):
            self.exec(["nft", "add", "chain", "inet", "cmchaos", hook,
                       f"{{ type filter hook {hook} priority 0; }}"])

    def prefix(self):
        return ["ip", "netns", "exec", self.name]

    def exec(self, argv, check=True):
        return run(self.prefix() + argv, check=check)

    def heal(self):
        for hook in ("input", "output"):
            self.exec(["nft", "flush", "chain", "inet", "cmchaos", hook])

    def loss(self, percent):
        """Drops `percent` % of packets in each direction (on the veth inside the namespace)."""
        self.heal()
        for hook, key in (("input", "iifname"), ("output", "oifname")):
            self.exec(["nft", "add", "rule", "inet", "cmchaos", hook, key, self.ns_if,
                       "numgen", "random", "mod", "100", "<", str(percent), "drop"])

    def partition(self):
        self.heal()
        for hook, key in (("input", "iifname"), ("output", "oifname")):
            self.exec(["nft", "add", "rule", "inet", "cmchaos", hook, key, self.ns_if, "drop"])


# ---------------------------------------------------------------------------------------------
# A throwaway PostgreSQL 15, run as `postgres` (it refuses root).


class Postgres:
    def __init__(self, work, netns=None):
        self.dir = os.path.join(work, "pg")
        self.netns = netns
        self.host = netns.ns_ip if netns else "127.0.0.1"
        os.makedirs(os.path.join(self.dir, "sock"), exist_ok=True)
        shutil.chown(work, "postgres")
        shutil.chown(self.dir, "postgres")
        shutil.chown(os.path.join(self.dir, "sock"), "postgres")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self._as_pg([f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                     "-E", "UTF8", "--no-locale", "--no-sync"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"\nlisten_addresses = '{self.host}'\nport = {self.port}\n"
                    f"unix_socket_directories = '{self.dir}/sock'\n"
                    "fsync = on\nsynchronous_commit = on\nmax_connections = 200\n")
        if netns:
            with open(os.path.join(self.data, "pg_hba.conf"), "a") as f:
                f.write(f"host all all {netns.host_ip}/32 trust\n")
        CLEANUP.push("postgres", lambda: self.stop("immediate", check=False))
        self.start()

    def _as_pg(self, argv, check=True, timeout=600):
        prefix = self.netns.prefix() if self.netns else []
        return run(prefix + ["runuser", "-u", "postgres", "--"] + argv, check=check, timeout=timeout)

    def start(self):
        self._as_pg([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"),
                     "-w", "-t", "60", "start"])

    def stop(self, mode="fast", check=True):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._as_pg([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop"],
                        check=check)

    def createdb(self, name, template=None):
        argv = [f"{PG_BIN}/createdb", "-h", self.host, "-p", str(self.port), "-U", "postgres"]
        if template:
            argv += ["-T", template]
        run(argv + [name])
        return self.url(name)

    def url(self, name, host=None, port=None):
        return f"postgresql://postgres@{host or self.host}:{port or self.port}/{name}"

    def query(self, db, sql):
        # ASCII unit and record separators: values (extracted texts) hold tabs and newlines.
        r = run(["psql", "-h", self.host, "-p", str(self.port), "-U", "postgres", "-d", db,
                 "-AtX", "-F", "\x1f", "-R", "\x1e", "-c", sql])
        records = r.stdout.rstrip("\n").split("\x1e")
        return [record.split("\x1f") for record in records if record]


# ---------------------------------------------------------------------------------------------
# contractmgmt processes.


class Process:
    """`contractmgmt serve` or `worker`; started from the main thread (PDEATHSIG is per thread)."""

    def __init__(self, binary, subcommand, env, log_path, port_var="PORT"):
        self.binary, self.subcommand, self.env, self.log_path = binary, subcommand, env, log_path
        self.port = int(env[port_var])
        self.base = f"127.0.0.1:{self.port}"
        self.proc = None
        CLEANUP.push(f"{subcommand}", self.kill9)

    failed_starts = 0

    def start(self, ready_timeout=90, attempts=3):
        """Starts and waits for /ready; like a supervisor, starts again when the process exits
        during start-up (counted in failed_starts). Returns the seconds to /ready."""
        started = time.monotonic()
        for attempt in range(1, attempts + 1):
            try:
                self._start_once(ready_timeout)
                return time.monotonic() - started
            except Violation:
                if attempt == attempts or self.alive():
                    raise
                self.failed_starts += 1
                time.sleep(1)

    def _start_once(self, ready_timeout):
        assert self.proc is None or self.proc.poll() is not None
        with open(self.log_path, "ab") as logf:
            logf.write(f"=== {time.strftime('%H:%M:%S')} start {self.subcommand}\n".encode())
            logf.flush()
            self.proc = subprocess.Popen([self.binary, self.subcommand], env=self.env,
                                         stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                         preexec_fn=_die_with_parent)
        self.wait_ready(ready_timeout)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Violation(f"{self.subcommand} exited with {self.proc.returncode} before it "
                                f"was ready; log: {self.log_path}\n{self.log_tail()}")
            try:
                status, _, body = request(self.base, "GET", "/ready", timeout=2)
                if status == 200:
                    return
                last = f"{status} {body[:200]!r}"
            except OSError as e:
                last = str(e)
            time.sleep(0.05)
        raise Violation(f"{self.subcommand} not ready within {timeout} s ({last}); log: {self.log_path}")

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def terminate(self, timeout=30):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n=3000):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
            return data[-n:].decode(errors="replace")
        except OSError:
            return ""


def cli(binary, env, *args, check=True, input=None, timeout=300):
    return run([binary, *args], env=env, check=check, input=input, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# HTTP.


class ConnError(OSError):
    pass


def request(base, method, path, body=None, headers=None, timeout=10, conn=None):
    """One request; returns (status, headers with lower-case names, body bytes). Raises OSError
    (or ConnError) when there is no answer."""
    own = conn is None
    c = conn or http.client.HTTPConnection(base, timeout=timeout)
    try:
        c.timeout = timeout
        if c.sock is not None:
            c.sock.settimeout(timeout)
        hdrs = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        c.request(method, path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    except (OSError, http.client.HTTPException) as e:
        c.close()
        raise ConnError(f"{method} {path}: {type(e).__name__}: {e}") from None
    finally:
        if own:
            c.close()


class Api:
    """A keep-alive client for one thread, with a bearer token."""

    def __init__(self, base, token, timeout=15, renew=None):
        """`renew`, when given, returns a new token: used once when the server says the token
        expired (a verification of a long run outlives the 15-minute access token)."""
        self.base, self.token, self.timeout, self.renew = base, token, timeout, renew
        self.conn = http.client.HTTPConnection(base, timeout=timeout)

    def call(self, method, path, body=None, headers=None, timeout=None):
        answer = self._call(method, path, body, headers, timeout)
        if answer[0] == 401 and self.renew and b"expired" in answer[2]:
            self.token = self.renew()
            answer = self._call(method, path, body, headers, timeout)
        return answer

    def _call(self, method, path, body, headers, timeout):
        hdrs = {"Authorization": f"Bearer {self.token}"}
        hdrs.update(headers or {})
        for attempt in (1, 2):
            try:
                return request(self.base, method, path, body, hdrs, timeout or self.timeout, self.conn)
            except ConnError:
                # A kept-alive connection to a server that was killed since: reads try once more
                # on a new connection; writes report it (their effect is unknown).
                fresh = self.conn.sock is None and attempt == 1 and method == "GET"
                self.conn = http.client.HTTPConnection(self.base, timeout=self.timeout)
                if not fresh:
                    raise

    def json(self, method, path, body=None, expect=(200,), headers=None):
        status, h, data = self.call(method, path, body, headers)
        if status not in expect:
            raise Violation(f"{method} {path} answered {status}, expected {expect}: {data[:400]!r}")
        return json.loads(data) if data else None


def login(base, email):
    status, _, data = request(base, "POST", "/api/v1/auth/login",
                              {"email": email, "password": PASSWORD}, timeout=90)
    if status != 200:
        raise Violation(f"login {email}: {status} {data[:300]!r}")
    return json.loads(data)["accessToken"]


# ---------------------------------------------------------------------------------------------
# A backend: a database, its migrations, an organization with an admin and a manager.


class Backend:
    def __init__(self, name, binary, work, pg=None, dbname="contracts", data_dir=None):
        self.name, self.binary, self.work, self.pg = name, binary, work, pg
        self.dbname = dbname
        self.data_dir = data_dir or os.path.join(work, "data")
        os.makedirs(self.data_dir, exist_ok=True)
        web = os.path.join(work, "web")
        os.makedirs(web, exist_ok=True)
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><title>contractmgmt</title>\n")
        if pg is None:
            self.db_path = os.path.join(work, "contractmgmt.db")
            self.url = f"sqlite://{self.db_path}"
        else:
            self.url = pg.createdb(dbname)
        self.env = base_env()
        self.env.update({
            "APP_ENV": "development", "HOST": "127.0.0.1", "LOG_LEVEL": "warn",
            "JWT_SECRET": JWT_SECRET, "WEB_ROOT": web, "DATA_DIR": self.data_dir,
            "DATABASE_URL": self.url, "PORT": str(free_port()), "WORKER_PORT": str(free_port()),
            "METRICS_PORT": str(free_port()),
        })
        self.env["ENCRYPTION_KEY"] = cli(binary, self.env, "keys", "generate").stdout.strip()
        cli(binary, self.env, "migrate")
        self.admin_email = "admin@chaos.example"
        self.manager_email = "manager@chaos.example"
        env = dict(self.env, CM_PASSWORD=PASSWORD)
        cli(binary, env, "user", "create", "--org", "Chaos", "--email", self.admin_email, "--role", "admin")
        cli(binary, env, "user", "create", "--org", "Chaos", "--email", self.manager_email, "--role", "manager")

    def server(self, extra=None, subcommand="serve", log_name=None):
        env = dict(self.env)
        env.update(extra or {})
        return Process(self.binary, subcommand, env,
                       os.path.join(self.work, log_name or f"{subcommand}.log"),
                       port_var="WORKER_PORT" if subcommand == "worker" else "PORT")

    def audit_verify(self):
        r = cli(self.binary, self.env, "audit", "verify", check=False)
        if r.returncode != 0:
            raise Violation(f"{self.name}: contractmgmt audit verify exited {r.returncode}: "
                            f"{r.stdout[-800:]}{r.stderr[-800:]}")
        return r.stdout.strip()

    def sql(self, query):
        if self.pg is not None:
            return self.pg.query(self.dbname, query)
        con = sqlite3.connect(self.db_path, timeout=30)
        try:
            return [[("" if v is None else str(v)) for v in row] for row in con.execute(query)]
        finally:
            con.close()


# ---------------------------------------------------------------------------------------------
# The ledger of acknowledged writes, and the writers that fill it.

WORDS = ("agreement party term renewal notice clause indemnity warranty payment delivery "
         "confidential licence liability breach remedy schedule annex exhibit invoice").split()


def document_text(rng, n_words):
    return " ".join(rng.choice(WORDS) for _ in range(n_words)) + "\n"


class ContractRecord:
    def __init__(self, cid, version, status):
        self.id = cid
        self.version = version          # the newest acknowledged version
        self.statuses = {status}        # statuses the contract may be in now
        self.docs = {}                  # (doc id, version) -> (sha256, size) acknowledged
        self.uploads_acked = 0
        self.transitions_acked = 0
        self.uncertain = False          # a write got no answer: its effect is unknown


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.contracts = {}
        self.acked = Counter()          # op -> acknowledged writes
        self.statuses = Counter()       # "op status" -> count, "op no-answer"
        self.problems = []              # 500s and other answers that are violations
        self.max_latency = 0.0
        self.slow = []                  # (seconds, op) above the allowed bound

    def note(self, op, status, seconds, body=b"", headers=None, bound=None):
        with self.lock:
            self.statuses[f"{op} {status}"] += 1
            self.max_latency = max(self.max_latency, seconds)
            if bound is not None and seconds > bound:
                self.slow.append((round(seconds, 2), op, status))
            if status == 500 or (isinstance(status, int) and status >= 500 and status != 503 and status != 507):
                self.problems.append(f"{op}: {status} {body[:300]!r}")
            if status == 503 and headers is not None and "retry-after" not in headers:
                self.problems.append(f"{op}: 503 without Retry-After: {body[:200]!r}")

    def count(self, predicate):
        with self.lock:
            return sum(v for k, v in self.statuses.items() if predicate(k))


class Writers:
    """Threads that create contracts, upload documents and versions, start approvals and
    approve them, each thread on its own contracts; every 2xx goes into the ledger."""

    def __init__(self, base, admin_token, manager_token, ledger, threads=4, seed=1,
                 request_timeout=15, latency_bound=None, max_doc_words=4000):
        self.base, self.ledger = base, ledger
        self.admin_token, self.manager_token = admin_token, manager_token
        self.n, self.seed, self.request_timeout = threads, seed, request_timeout
        self.latency_bound = latency_bound
        self.max_doc_words = max_doc_words
        self.stop_event = threading.Event()
        self.pause_event = threading.Event()
        self.threads = []
        self.generation = 0

    def start(self):
        self.stop_event.clear()
        self.generation += 1
        self.threads = [threading.Thread(target=self._loop, args=(i,), daemon=True)
                        for i in range(self.n)]
        for t in self.threads:
            t.start()

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(self.request_timeout + 30)
            if t.is_alive():
                raise Violation(f"a writer thread is stuck for more than {self.request_timeout + 30} s")

    def _timed(self, api, op, method, path, body=None, headers=None):
        started = time.monotonic()
        try:
            status, h, data = api.call(method, path, body, headers, timeout=self.request_timeout)
        except ConnError as e:
            elapsed = time.monotonic() - started
            kind = "timeout" if "timed out" in str(e) else "no-answer"
            self.ledger.note(op, kind, elapsed, bound=self.latency_bound)
            return None, None, None
        self.ledger.note(op, status, time.monotonic() - started, data, h, bound=self.latency_bound)
        return status, h, data

    def _loop(self, index):
        rng = random.Random(f"{self.seed}-{self.generation}-{index}")
        admin = Api(self.base, self.admin_token, self.request_timeout)
        manager = Api(self.base, self.manager_token, self.request_timeout)
        while not self.stop_event.is_set():
            try:
                self._one_contract(rng, admin, manager)
            except Violation as e:
                with self.ledger.lock:
                    self.ledger.problems.append(str(e))
            except Exception as e:  # a harness bug must be seen, not swallowed
                with self.ledger.lock:
                    self.ledger.problems.append(f"writer error: {type(e).__name__}: {e}")
                time.sleep(0.1)

    def _failed(self, rec):
        rec.uncertain = True
        time.sleep(0.05)  # the server is probably down; do not spin

    def _one_contract(self, rng, admin, manager):
        title = f"chaos {uuid.uuid4()}"
        status, h, data = self._timed(admin, "create", "POST", "/api/v1/contracts",
                                      {"title": title, "type": rng.choice(["nda", "msa", "sow"])})
        if status not in (201,):
            if status is not None and status < 500:
                raise Violation(f"create answered {status}: {data[:300]!r}")
            time.sleep(0.05)
            return
        c = json.loads(data)
        rec = ContractRecord(c["id"], c["version"], c["status"])
        with self.ledger.lock:
            self.ledger.contracts[rec.id] = rec
            self.ledger.acked["create"] += 1
        # Documents: one or two, the second sometimes a new version of the first.
        names = [f"doc-{uuid.uuid4().hex[:12]}.txt"]
        if rng.random() < 0.5:
            names.append(names[0] if rng.random() < 0.5 else f"doc-{uuid.uuid4().hex[:12]}.txt")
        for name in names:
            if self.stop_event.is_set():
                return
            body = document_text(rng, rng.randint(5, self.max_doc_words)).encode()
            status, h, data = self._timed(
                admin, "upload", "POST", f"/api/v1/contracts/{rec.id}/documents?kind=attachment", body,
                {"Content-Type": "text/plain", "Content-Disposition": f'attachment; filename="{name}"'})
            if status not in (200, 201):
                if status is not None and status < 500:
                    raise Violation(f"upload answered {status}: {data[:300]!r}")
                return self._failed(rec)
            d = json.loads(data)
            doc_id, version = d["id"], newest_version(d)
            sha = hashlib.sha256(body).hexdigest()
            with self.ledger.lock:
                rec.docs[(doc_id, version["version"])] = (sha, len(body))
                rec.uploads_acked += 1
                self.ledger.acked["upload"] += 1
            if version.get("sha256") != sha:
                raise Violation(f"upload of {name} acknowledged with sha256 {version.get('sha256')}, sent {sha}")
        if self.stop_event.is_set() or rng.random() < 0.2:
            return
        status, h, data = self._timed(admin, "submit", "POST", f"/api/v1/contracts/{rec.id}/transitions",
                                      {"to": "in_review"})
        if status != 200:
            if status is not None and status < 500:
                raise Violation(f"transition to in_review answered {status}: {data[:300]!r}")
            with self.ledger.lock:
                rec.statuses.add("in_review")
            return self._failed(rec)
        c = json.loads(data)
        with self.ledger.lock:
            rec.version, rec.statuses = c["version"], {c["status"]}
            rec.transitions_acked += 1
            self.ledger.acked["submit"] += 1
        if self.stop_event.is_set() or rng.random() < 0.2:
            return
        status, h, data = self._timed(manager, "approve", "POST",
                                      f"/api/v1/contracts/{rec.id}/approval/decisions",
                                      {"decision": "approve"})
        if status not in (200, 201):
            if status is not None and status < 500:
                raise Violation(f"approval decision answered {status}: {data[:300]!r}")
            with self.ledger.lock:
                rec.statuses.add("approved")
            return self._failed(rec)
        with self.ledger.lock:
            rec.statuses = {"approved"}
            rec.transitions_acked += 1
            self.ledger.acked["approve"] += 1


def newest_version(document):
    versions = document.get("versions") or []
    if versions:
        return max(versions, key=lambda v: v["version"])
    return document["latest"]


# ---------------------------------------------------------------------------------------------
# Verification through the API.


def all_contract_ids(api):
    ids, cursor = [], None
    while True:
        path = "/api/v1/contracts?limit=200" + (f"&cursor={cursor}" if cursor else "")
        page = api.json("GET", path)
        ids += [c["id"] for c in page["items"]]
        cursor = page.get("nextCursor")
        if not cursor:
            return ids


def audit_actions(api, entity_id):
    actions, cursor = Counter(), None
    while True:
        path = f"/api/v1/audit?entityId={entity_id}&limit=200" + (f"&cursor={cursor}" if cursor else "")
        page = api.json("GET", path)
        for e in page["items"]:
            actions[e["action"]] += 1
        cursor = page.get("nextCursor")
        if not cursor:
            return actions


def check_contract(api, cid, rec=None):
    """Everything about one contract is whole: it exists with its creation event; each document
    version's contents are there (sha256 matches) with its upload event; and what the ledger
    says was acknowledged is all present. Returns the number of checks made."""
    status, _, data = api.call("GET", f"/api/v1/contracts/{cid}")
    if status != 200:
        raise Violation(f"acknowledged contract {cid} is missing: GET answered {status} {data[:200]!r}")
    c = json.loads(data)
    checks = 1
    actions = audit_actions(api, cid)
    if actions["contract.created"] != 1:
        raise Violation(f"contract {cid} has {actions['contract.created']} contract.created events: {dict(actions)}")
    if rec is not None:
        if c["version"] < rec.version:
            raise Violation(f"contract {cid} is at version {c['version']}, version {rec.version} was acknowledged")
        if c["status"] not in rec.statuses:
            raise Violation(f"contract {cid} is {c['status']}, acknowledged state allows {sorted(rec.statuses)}")
    versions_seen = 0
    docs = api.json("GET", f"/api/v1/contracts/{cid}/documents?limit=200")["items"]
    present = {}
    for d in docs:
        full = api.json("GET", f"/api/v1/contracts/{cid}/documents/{d['id']}")
        uploads = audit_actions(api, d["id"])["document.uploaded"]
        if uploads != len(full.get("versions", [])):
            raise Violation(f"document {d['id']} of {cid} has {len(full.get('versions', []))} versions "
                            f"and {uploads} document.uploaded audit events")
        for v in full.get("versions", []):
            versions_seen += 1
            st, h, body = api.call("GET", f"/api/v1/contracts/{cid}/documents/{d['id']}/versions/{v['version']}/content")
            if st != 200:
                raise Violation(f"document {d['id']} v{v['version']} of {cid}: content answered {st} "
                                f"(a row without its blob?) {body[:200]!r}")
            sha = hashlib.sha256(body).hexdigest()
            if sha != v["sha256"]:
                raise Violation(f"document {d['id']} v{v['version']} of {cid}: content sha256 {sha} != row {v['sha256']}")
            present[(d["id"], v["version"])] = sha
            checks += 1
    if rec is not None:
        for key, (sha, _size) in rec.docs.items():
            if present.get(key) != sha:
                raise Violation(f"acknowledged document {key[0]} v{key[1]} of contract {cid} is "
                                f"{'missing' if key not in present else 'different'}")
            checks += 1
        if "in_review" in rec.statuses and rec.transitions_acked >= 1 and actions["approval.started"] < 1:
            raise Violation(f"contract {cid} was submitted but has no approval.started event: {dict(actions)}")
    return checks


def verify(api, ledger, only_ids=None):
    """Checks the acknowledged contracts (only_ids: a subset) and every other contract the
    organization has (so unacknowledged writes are whole or absent). Returns (contracts, checks)."""
    with ledger.lock:
        recs = dict(ledger.contracts)
    ids = set(all_contract_ids(api))
    missing = [cid for cid in recs if cid not in ids]
    if missing:
        raise Violation(f"{len(missing)} acknowledged contracts are not listed, e.g. {missing[:3]}")
    todo = ids if only_ids is None else (set(only_ids) | (ids - set(recs)))
    checks = 0
    for cid in sorted(todo):
        checks += check_contract(api, cid, recs.get(cid))
    return len(todo), checks
