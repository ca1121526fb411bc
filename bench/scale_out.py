"""Scaling out: the appeals benchmark's submit and list load against one and two app processes and
two task workers, in front of one PostgreSQL directly and through PgBouncer (transaction pooling).

    .venv/bin/python bench/scale_out.py [--clients 1,4,8] [--seconds 5] [--workers N] [--pool-size N]

Three configurations, each serving the site and the appeals benchmark's floors (bench/appeals_api.py)
with gunicorn as ``docs/deploy.md`` runs it (sync workers, two per core, persistent connections):

* direct ×1: one app process connected to PostgreSQL itself (what bench/appeals_api.py measures);
* pgbouncer ×1: the same process connected to a PgBouncer started here on a private unix socket
  (``pool_mode = transaction``, Debian's ``pgbouncer``), with ``SHUREN_DB_TRANSACTION_POOLING=1``;
* pgbouncer ×2: two such processes, each with its own workers, as two app machines would run.

Two task workers (``shuren jobs work``) run through the same PgBouncer throughout. At each client
count, threads of this process send the appeals benchmark's requests for ``--seconds``, spread
over the processes in turn: submissions (``POST /api/v1/appeals/`` as a resident with an
``Idempotency-Key``) and the grid worker's open list (``GET /api/v1/appeals/?status=open``), each
beside its floor (the bare views of bench/appeals_api.py: one INSERT; the list as raw SQL) driven
the same way. Each step also records where the CPU went (PostgreSQL's processes, the app
processes, PgBouncer, the task workers, this load generator, and the rest of the machine, from
/proc) and how many of PostgreSQL's backends were active (``pg_stat_activity``, sampled every 50 ms).

Then, with the two processes A and B, it checks (and fails unless) what must hold across them:

* sessions: a member of staff signs in on A (the sign-in form, its CSRF token from B) and opens
  the console's open list on B; signing out on B ends the session on A;
* idempotency: a submission replayed with its key to the other process returns the same appeal;
  the same key sent to both at the same moment makes one appeal (the other answer is the replay
  or 409 "still being processed", which a retry turns into the replay);
* tasks: submissions spread over A and B queue their deadline reminders; made due, the two
  workers run every one of them exactly once (one claim each, all succeeded) and both take part.

The appeals the run submitted and the tasks it queued are deleted at its end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from appeals_api import (  # noqa: E402
    People,
    Run,
    bench_people,
    ensure_appeals,
    forget_bench_appeals,
    request,
    timed_call,
    vacuum,
)
from common import RESULTS, ROOT, Figure, database_name, machine, report, setup_django  # noqa: E402

Call = Callable[[], tuple[str, str, bytes | None, dict[str, str]]]  # method, path, body, headers
BIN = Path(sys.executable).parent
STAFF = "bench-scale-staff"
TICKS = os.sysconf("SC_CLK_TCK")

# --- the database as the benchmark reaches it ------------------------------------------------------


@dataclass
class Upstream:
    """Where PostgreSQL listens, from the benchmark's own DATABASE_URL."""

    host: str
    port: int
    name: str
    user: str
    password: str

    @classmethod
    def from_settings(cls) -> Upstream:
        from django.conf import settings

        db = settings.DATABASES["default"]
        options = db.get("OPTIONS", {})
        return cls(
            host=str(db.get("HOST") or options.get("host") or "/var/run/postgresql"),
            port=int(db.get("PORT") or options.get("port") or 5432),
            name=db["NAME"],
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or "",
        )

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(
            host=self.host, port=self.port, dbname=self.name, user=self.user, password=self.password, autocommit=True
        )


# --- PgBouncer -------------------------------------------------------------------------------------


@dataclass
class Bouncer:
    directory: Path
    port: int
    pid: int
    upstream: Upstream

    def url(self) -> str:
        """The DATABASE_URL of the application through this PgBouncer."""
        secret = f":{self.upstream.password}" if self.upstream.password else ""
        return f"postgres://{self.upstream.user}{secret}@/{self.upstream.name}?host={self.directory}&port={self.port}"

    def stats(self) -> dict[str, int]:
        """PgBouncer's counters for the database (SHOW STATS on its admin console)."""
        import psycopg

        with psycopg.connect(
            host=str(self.directory),
            port=self.port,
            dbname="pgbouncer",
            user=self.upstream.user,
            autocommit=True,
            cursor_factory=psycopg.ClientCursor,  # the console speaks the simple query protocol only
        ) as connection:
            cursor = connection.execute("SHOW STATS")
            names = [c.name for c in cursor.description or []]
            for row in cursor.fetchall():
                values = dict(zip(names, row, strict=True))
                if values["database"] == self.upstream.name:
                    return {k: int(v) for k, v in values.items() if k.startswith("total_")}
        return {}


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)
    if found is None:
        raise SystemExit(
            "pgbouncer is not installed: `apt-get install pgbouncer` (scripts/bench.sh installs it when run as root)"
        )
    return found


@contextmanager
def pgbouncer(upstream: Upstream, pool_size: int, max_clients: int) -> Iterator[Bouncer]:
    """PgBouncer in transaction pooling mode on a private unix socket (no TCP), in front of
    ``upstream``, with at most ``pool_size`` server connections to it."""
    directory = Path(tempfile.mkdtemp(prefix="shuren-pgbouncer."))
    port = 6432
    quoted = upstream.password.replace('"', '""')
    (directory / "userlist.txt").write_text(f'"{upstream.user}" "{quoted}"\n')
    password = f" password={upstream.password}" if upstream.password else ""
    lines = [
        "[databases]",
        f"{upstream.name} = host={upstream.host} port={upstream.port} dbname={upstream.name}{password}",
        "[pgbouncer]",
        f"unix_socket_dir = {directory}",
        f"listen_port = {port}",
        "auth_type = trust",
        f"auth_file = {directory / 'userlist.txt'}",
        f"admin_users = {upstream.user}",
        "pool_mode = transaction",
        f"default_pool_size = {pool_size}",
        f"max_db_connections = {pool_size}",
        "reserve_pool_size = 0",
        f"max_client_conn = {max_clients}",
        f"logfile = {directory / 'pgbouncer.log'}",
        "log_connections = 0",
        "log_disconnections = 0",
    ]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root; it switches to this user itself
        lines.append("user = postgres")
        shutil.chown(directory, "postgres")
    (directory / "pgbouncer.ini").write_text("\n".join(lines) + "\n")
    process = subprocess.Popen(  # noqa: S603
        [pgbouncer_binary(), str(directory / "pgbouncer.ini")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    bouncer = Bouncer(directory, port, process.pid, upstream)
    try:
        for _ in range(100):
            if (directory / f".s.PGSQL.{port}").exists():
                break
            if process.poll() is not None:
                raise RuntimeError(
                    f"pgbouncer did not start: {process.stderr.read().decode() if process.stderr else ''}"
                )
            time.sleep(0.05)
        else:
            raise RuntimeError("pgbouncer did not open its socket")
        yield bouncer
    finally:
        process.terminate()
        process.wait(timeout=30)
        log = directory / "pgbouncer.log"
        if log.exists():
            RESULTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, RESULTS / "scale_out-pgbouncer.log")
        shutil.rmtree(directory, ignore_errors=True)


# --- app processes and task workers ----------------------------------------------------------------


def app_env(database_url: str, pooled: bool) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url,
        "SHUREN_DB_CONN_MAX_AGE": "600",
        "SHUREN_DB_TRANSACTION_POOLING": "1" if pooled else "0",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
    }


@dataclass
class App:
    name: str
    port: int
    pid: int


@contextmanager
def app_process(name: str, workers: int, env: dict[str, str]) -> Iterator[App]:
    """One gunicorn (its own master and sync workers) serving the site and the floors."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = open(RESULTS / f"scale_out-{name}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "shuren.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--backlog=256",
            "--timeout=120",
        ],
        env=env | {"DJANGO_SETTINGS_MODULE": "bench_settings"},
        stdout=log,
        stderr=log,
    )
    try:
        for _ in range(300):
            try:
                if request(port, "GET", "/healthz", None, {})[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start: see bench/results/scale_out-{name}.log")
        yield App(name, port, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@contextmanager
def task_workers(count: int, env: dict[str, str]) -> Iterator[dict[str, int]]:
    """``count`` task workers as deployed (``shuren jobs work``), each with a known worker id."""
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs = []
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        for n in range(1, count + 1):
            worker_id = f"scale-worker-{n}"
            log = open(RESULTS / f"scale_out-{worker_id}.log", "w")  # noqa: SIM115 - closed below
            logs.append(log)
            processes[worker_id] = subprocess.Popen(  # noqa: S603
                [str(BIN / "shuren"), "jobs", "work", "--", "--no-reload", "--interval", "0.5"]
                + ["--worker-id", worker_id],
                env=env | {"DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "shuren.settings.dev")},
                stdout=log,
                stderr=log,
            )
        yield {worker_id: process.pid for worker_id, process in processes.items()}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


# --- where the CPU goes ----------------------------------------------------------------------------


def _processes() -> dict[int, tuple[int, float, str]]:
    """Every process: pid -> (parent pid, CPU seconds so far, command line)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # it ended meanwhile
        found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS, command)
    return found


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (every core, every process) since boot."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICKS


@dataclass
class Groups:
    """The processes of each part of the system, found again at every snapshot."""

    postmaster: int
    database: str
    apps: list[int] = field(default_factory=list)
    bouncer: int | None = None
    workers: list[int] = field(default_factory=list)

    def classify(self, table: dict[int, tuple[int, float, str]]) -> dict[str, float]:
        def descendants(roots: list[int]) -> set[int]:
            found = {pid for pid in roots if pid in table}
            grew = True
            while grew:
                grew = False
                for pid, (parent, _cpu, _cmd) in table.items():
                    if parent in found and pid not in found:
                        found.add(pid)
                        grew = True
            return found

        totals = {"postgresql": 0.0, "app": 0.0, "pgbouncer": 0.0, "task workers": 0.0, "load generator": 0.0}
        mine = f" {self.database} "
        for pid, (parent, cpu, command) in table.items():
            if pid == self.postmaster or parent == self.postmaster:
                # This database's backends and the server's own processes (WAL writer, checkpointer,
                # autovacuum); other databases' backends on a shared server are left out.
                backend = "[local]" in command or "(" in command or "autovacuum worker" in command
                if mine in command + " " or not backend:
                    totals["postgresql"] += cpu
        for pid in descendants(self.apps):
            totals["app"] += table[pid][1]
        if self.bouncer in table:
            totals["pgbouncer"] += table[self.bouncer][1]
        for pid in descendants(self.workers):
            totals["task workers"] += table[pid][1]
        if os.getpid() in table:
            totals["load generator"] += table[os.getpid()][1]
        return totals

    def snapshot(self) -> tuple[dict[int, tuple[int, float, str]], float]:
        return _processes(), _machine_busy()

    def split(
        self,
        before: tuple[dict[int, tuple[int, float, str]], float],
        after: tuple[dict[int, tuple[int, float, str]], float],
    ) -> dict[str, float]:
        """CPU seconds of each part between two snapshots; a process that started between them counts
        whole, one that ended is missed (short-lived ones are rare here: connections persist)."""
        then, busy_then = before
        now, busy_now = after
        carried = {
            pid: (parent, now[pid][1] - (then[pid][1] if pid in then else 0.0), cmd)
            for pid, (parent, _c, cmd) in now.items()
        }
        parts = self.classify(carried)
        parts["rest of the machine"] = max(0.0, (busy_now - busy_then) - sum(parts.values()))
        return parts


class ActivitySampler:
    """How many of the database's backends are running a statement, sampled every 50 ms from
    pg_stat_activity, and of those how many wait on a lock or on the WAL and disk."""

    QUERY = """
        SELECT count(*) FILTER (WHERE state = 'active'),
               count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock'),
               count(*) FILTER (WHERE state = 'active' AND (wait_event_type = 'IO' OR wait_event LIKE 'WAL%'))
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
    """

    def __init__(self, upstream: Upstream) -> None:
        self.connection = upstream.connect()
        self.samples: list[tuple[int, int, int]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(0.05):
            row = self.connection.execute(self.QUERY).fetchone()
            self.samples.append((row[0], row[1], row[2]))

    def __enter__(self) -> ActivitySampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.connection.close()

    def means(self) -> dict[str, float]:
        n = len(self.samples) or 1
        return {
            "active": sum(s[0] for s in self.samples) / n,
            "waiting on locks": sum(s[1] for s in self.samples) / n,
            "waiting on WAL or disk": sum(s[2] for s in self.samples) / n,
        }


# --- the load --------------------------------------------------------------------------------------


def drive_for(ports: list[int], call: Call, seconds: float, clients: int, expect: int) -> Run:
    """``clients`` threads, client i on process i mod n, each sending its next request as soon as the
    previous one is answered, until ``seconds`` have passed."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(port: int) -> None:
        while time.perf_counter() < deadline and not failures:
            timed_call(port, call, expect, lock, latencies, failures)

    threads = [threading.Thread(target=client, args=(ports[i % len(ports)],)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(failures[0])
    return Run(latencies, time.perf_counter() - started)


@dataclass
class Step:
    config: str
    load: str
    clients: int
    run: Run
    cpu: dict[str, float]
    activity: dict[str, float]
    pool_wait_ms: float | None

    def as_dict(self) -> dict[str, Any]:
        seconds = self.run.seconds
        return {
            "config": self.config,
            "load": self.load,
            "clients": self.clients,
            "requests": len(self.run.latencies),
            "rate": round(self.run.rate, 1),
            **{f"p{p}_ms": round(self.run.percentile(p), 2) for p in (50, 95, 99)},
            "cores_busy": {part: round(cpu / seconds, 2) for part, cpu in self.cpu.items()},
            "postgresql_cpu_ms_per_request": round(1000 * self.cpu["postgresql"] / len(self.run.latencies), 2),
            "app_cpu_ms_per_request": round(1000 * self.cpu["app"] / len(self.run.latencies), 2),
            "backends_active": {k: round(v, 2) for k, v in self.activity.items()},
            "pgbouncer_wait_ms_per_transaction": None if self.pool_wait_ms is None else round(self.pool_wait_ms, 3),
        }


def measure(
    config: str,
    load: str,
    ports: list[int],
    call: Call,
    expect: int,
    seconds: float,
    clients: int,
    groups: Groups,
    upstream: Upstream,
    bouncer: Bouncer | None,
) -> Step:
    stats_before = bouncer.stats() if bouncer else {}
    before = groups.snapshot()
    with ActivitySampler(upstream) as sampler:
        run = drive_for(ports, call, seconds, clients, expect)
    after = groups.snapshot()
    wait_ms = None
    if bouncer:
        stats = bouncer.stats()
        transactions = stats["total_xact_count"] - stats_before["total_xact_count"]
        waited = stats["total_wait_time"] - stats_before["total_wait_time"]  # microseconds
        wait_ms = waited / 1000 / transactions if transactions else 0.0
    step = Step(config, load, clients, run, groups.split(before, after), sampler.means(), wait_ms)
    cores = step.as_dict()["cores_busy"]
    print(
        f"  {config:<13} {load:<12} {clients:>2} clients  {run.rate:7.1f}/s  p50 {run.percentile(50):6.1f}  "
        f"p95 {run.percentile(95):6.1f}  p99 {run.percentile(99):6.1f} ms  cores: PG {cores['postgresql']:.2f} "
        f"app {cores['app']:.2f} bouncer {cores['pgbouncer']:.2f} load {cores['load generator']:.2f} "
        f"other {cores['rest of the machine']:.2f}  PG active {step.activity['active']:.1f}",
        flush=True,
    )
    return step


# --- what must hold across processes ---------------------------------------------------------------


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(value)
            jar.update({key: morsel.value for key, morsel in cookie.items()})
    return jar


def exchange(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes, dict[str, str]]:
    """A request that also returns the cookies set and the redirect target."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        found = _cookies(response.getheaders())
        if response.getheader("Location"):
            found["location"] = response.getheader("Location") or ""
        return response.status, content, found
    finally:
        connection.close()


def check_sessions(a: App, b: App, username: str, password: str) -> dict[str, Any]:
    """Sign in on A with B's CSRF token, use the session on B, sign out on B, be signed out on A."""
    from urllib.parse import urlencode

    from django.conf import settings

    status, page, jar = exchange(b.port, "GET", "/accounts/login/", None, {})
    assert status == 200, f"sign-in page on B: {status}"
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the sign-in page"
    csrf_cookie = jar[settings.CSRF_COOKIE_NAME]
    form = urlencode({"csrfmiddlewaretoken": found.group(1).decode(), "identity": username, "password": password})
    status, _body, jar = exchange(
        a.port,
        "POST",
        "/accounts/login/",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf_cookie}"},
    )
    assert status == 302 and settings.SESSION_COOKIE_NAME in jar, f"sign-in on A: {status}"
    cookie = f"{settings.SESSION_COOKIE_NAME}={jar[settings.SESSION_COOKIE_NAME]}"
    if settings.CSRF_COOKIE_NAME in jar:
        csrf_cookie = jar[settings.CSRF_COOKIE_NAME]
    status, page, _jar = exchange(
        b.port, "GET", "/appeals/?tab=open", None, {"Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}"}
    )
    assert status == 200, f"the console on B with A's session: {status}"
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token for signing out"
    status, _body, _jar = exchange(
        b.port,
        "POST",
        "/accounts/logout/",
        urlencode({"csrfmiddlewaretoken": token.group(1).decode()}).encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}",
        },
    )
    assert status in (200, 302), f"sign-out on B: {status}"
    status, _body, jar = exchange(a.port, "GET", "/appeals/?tab=open", None, {"Cookie": cookie})
    assert status == 302 and "/accounts/login/" in jar.get("location", ""), f"A after sign-out on B: {status}"
    return {"signed in on": a.name, "console on": b.name, "signed out on": b.name, "then refused on": a.name}


def check_idempotency(a: App, b: App, people: People, body: bytes, rounds: int) -> dict[str, Any]:
    """Replays to the other process, one after the other and both at once: never a second appeal."""
    from shuren.appeals.models import Appeal

    headers = {"Authorization": f"Token {people.resident_token}", "Content-Type": "application/json"}

    def mine() -> int:
        return Appeal.objects.filter(reporter__username="bench-resident").count()

    started = mine()
    key = str(uuid.uuid4())
    first = request(a.port, "POST", "/api/v1/appeals/", body, headers | {"Idempotency-Key": key})
    again = exchange(b.port, "POST", "/api/v1/appeals/", body, headers | {"Idempotency-Key": key})
    assert first[0] == 201 and again[0] == 201, (first[0], again[0])
    assert json.loads(first[1])["id"] == json.loads(again[1])["id"], "the replay on B named another appeal"
    assert mine() == started + 1, "the replay on B made a second appeal"

    outcomes = {"replayed": 0, "409 then replayed": 0}
    for _ in range(rounds):
        key = str(uuid.uuid4())
        barrier = threading.Barrier(2)
        answers: dict[str, tuple[int, bytes]] = {}

        def send(app: App, key: str = key, barrier: threading.Barrier = barrier, answers: dict = answers) -> None:
            barrier.wait()
            answers[app.name] = request(app.port, "POST", "/api/v1/appeals/", body, headers | {"Idempotency-Key": key})

        threads = [threading.Thread(target=send, args=(app,)) for app in (a, b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(status for status, _content in answers.values())
        assert statuses in ([201, 201], [201, 409]), f"the same key on A and B at once: {statuses}"
        ids = {json.loads(content)["id"] for status, content in answers.values() if status == 201}
        if statuses == [201, 409]:
            retry = request(b.port, "POST", "/api/v1/appeals/", body, headers | {"Idempotency-Key": key})
            assert retry[0] == 201, f"retry after 409: {retry[0]}"
            ids.add(json.loads(retry[1])["id"])
            outcomes["409 then replayed"] += 1
        else:
            outcomes["replayed"] += 1
        assert len(ids) == 1, f"the same key on A and B at once gave appeals {ids}"
    made = mine() - started
    assert made == rounds + 1, f"{rounds + 1} keys made {made} appeals"
    return {"keys": rounds + 1, "appeals made": made, **outcomes}


def check_tasks(apps: list[App], submit: Call, count: int, workers: dict[str, int], timeout: float) -> dict[str, Any]:
    """Submissions spread over the processes queue their deadline reminders (due hours from now);
    made due now, the task workers run each exactly once."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    mark = timezone.now()
    sent = 0
    failures: list[str] = []
    lock = threading.Lock()

    def client(port: int) -> None:
        nonlocal sent
        while True:
            with lock:
                if sent >= count or failures:
                    return
                sent += 1
            method, path, body, headers = submit()
            status, content = request(port, method, path, body, headers)
            if status != 201:
                with lock:
                    failures.append(f"submission on :{port}: {status} {content[:200]!r}")

    threads = [threading.Thread(target=client, args=(apps[i % len(apps)].port,)) for i in range(2 * len(apps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(failures[0])
    queued = DBTaskResult.objects.filter(enqueued_at__gte=mark, task_path__endswith="send_deadline_reminder")
    reminders = queued.count()
    assert reminders >= count, f"{count} submissions queued {reminders} reminders"
    made_due = timezone.now()
    queued.update(run_after=made_due)
    started = time.perf_counter()
    ours = DBTaskResult.objects.filter(enqueued_at__gte=mark)
    while ours.filter(run_after__lte=timezone.now(), status__in=["READY", "RUNNING"]).exists():
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"the workers left tasks undone after {timeout:.0f} s")
        time.sleep(0.2)
    drained = time.perf_counter() - started
    ran = list(ours.exclude(status="READY").values_list("status", "worker_ids"))
    assert all(status == "SUCCESSFUL" for status, _ids in ran), "a task failed: see bench/results/scale_out-*.log"
    assert all(len(ids) == 1 for _status, ids in ran), "a task was claimed more than once"
    by_worker = {worker: sum(1 for _s, ids in ran if ids == [worker]) for worker in workers}
    assert sum(by_worker.values()) == len(ran), "a task was run by a worker not started here"
    assert all(by_worker.values()), f"a worker ran nothing: {by_worker}"
    reminded = len(ran)
    return {
        "submissions": count,
        "reminders queued": reminders,
        "tasks run": reminded,
        "by worker": by_worker,
        "claimed more than once": 0,
        "drain seconds": round(drained, 2),
        "tasks per second": round(reminded / drained, 1) if drained else None,
    }


# --- main ------------------------------------------------------------------------------------------


def main() -> None:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=int(os.environ.get("SHUREN_BENCH_APPEALS", "100000")))
    parser.add_argument("--clients", default="1,4,8", help="client counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured step")
    parser.add_argument("--workers", type=int, default=2 * cores, help="gunicorn workers of each app process")
    parser.add_argument("--pool-size", type=int, default=4 * cores, help="PgBouncer's server connections")
    parser.add_argument("--idempotency-rounds", type=int, default=20)
    parser.add_argument("--task-submissions", type=int, default=200)
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    if connection.vendor != "postgresql":
        raise SystemExit("scale_out measures PostgreSQL through PgBouncer: set DATABASE_URL to a PostgreSQL database")
    upstream = Upstream.from_settings()
    print(
        f"# scale-out benchmark: {args.appeals:,d} appeals · {database_name()} · {machine()} · "
        f"{args.workers} gunicorn workers per app process, PgBouncer pool {args.pool_size}",
        flush=True,
    )
    run_started = timezone.now()
    forget_bench_appeals()
    ensure_appeals(args.appeals)
    vacuum()
    people = bench_people()
    password = uuid.uuid4().hex + "Aa1!"
    staff_member(password, people.grid_path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    with open(f"/proc/{backend}/stat") as stat:
        postmaster = int(stat.read().rsplit(")", 1)[1].split()[1])

    description = "楼道里有人给电动车充电，飞线从三楼拉下来，很危险，请尽快处理。"
    body = json.dumps({"category": people.category, "description": description, "building": people.building_id})
    api_headers = {"Authorization": f"Token {people.resident_token}", "Content-Type": "application/json"}
    worker = {"Authorization": f"Token {people.worker_token}"}

    def submit() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "POST", "/api/v1/appeals/", body.encode(), api_headers | {"Idempotency-Key": str(uuid.uuid4())}

    def submit_floor() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "POST", "/bench/floor/appeals/", body.encode(), {"Content-Type": "application/json"}

    def api_list() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", "/api/v1/appeals/?status=open", None, worker

    def list_floor() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", f"/bench/floor/open-appeals/?scope={people.grid_path}", None, {}

    loads: list[tuple[str, Call, int]] = [
        ("submit", submit, 201),
        ("submit floor", submit_floor, 201),
        ("list", api_list, 200),
        ("list floor", list_floor, 200),
    ]
    steps: list[Step] = []
    checks: dict[str, Any] = {}
    with ExitStack() as outer:
        bouncer = outer.enter_context(pgbouncer(upstream, args.pool_size, max_clients=200))
        pooled_env = app_env(bouncer.url(), pooled=True)
        workers = outer.enter_context(task_workers(2, pooled_env))
        direct_env = app_env(os.environ["DATABASE_URL"], pooled=False)
        for config, env, processes, via in (
            ("direct ×1", direct_env, 1, None),
            ("pgbouncer ×1", pooled_env, 1, bouncer),
            ("pgbouncer ×2", pooled_env, 2, bouncer),
        ):
            with ExitStack() as stack:
                apps = [stack.enter_context(app_process(name, args.workers, env)) for name in ("A", "B")[:processes]]
                groups = Groups(
                    postmaster=postmaster,
                    database=upstream.name,
                    apps=[app.pid for app in apps],
                    bouncer=bouncer.pid,
                    workers=list(workers.values()),
                )
                ports = [app.port for app in apps]
                for _name, call, expect in loads:  # warm every worker (imports, jieba, caches)
                    drive_for(ports, call, 2.0, args.workers * processes, expect)
                for i, clients in enumerate(levels):
                    for name, call, expect in loads if i % 2 == 0 else reversed(loads):
                        steps.append(
                            measure(config, name, ports, call, expect, args.seconds, clients, groups, upstream, via)
                        )
                if processes == 2:
                    a, b = apps
                    checks["sessions"] = check_sessions(a, b, STAFF, password)
                    print(f"  sessions across processes: {checks['sessions']}", flush=True)
                    checks["idempotency"] = check_idempotency(a, b, people, body.encode(), args.idempotency_rounds)
                    print(f"  idempotency across processes: {checks['idempotency']}", flush=True)
                    checks["tasks"] = check_tasks(apps, submit, args.task_submissions, workers, timeout=180)
                    print(f"  tasks across two workers: {checks['tasks']}", flush=True)
    forget_bench_appeals()
    DBTaskResult.objects.filter(enqueued_at__gte=run_started).delete()

    figures = headline_figures(steps, levels[-1])
    report(figures, "scale_out")
    context = {
        "appeals": args.appeals,
        "workers_per_process": args.workers,
        "pool_size": args.pool_size,
        "clients": levels,
        "seconds_per_step": args.seconds,
        "steps": [step.as_dict() for step in steps],
        "checks": checks,
        "ceilings": ceilings(steps, cores),
        "loadavg": os.getloadavg(),
        "connection": {"direct": "unix socket", "pooled": "PgBouncer transaction pooling, unix socket"},
        "settings_module": settings.SETTINGS_MODULE,
    }
    for line in describe_ceilings(context["ceilings"]):
        print(line, flush=True)
    (RESULTS / f"scale_out-{database_name().split()[0]}-context.json").write_text(
        json.dumps(context, ensure_ascii=False, indent=2)
    )


def staff_member(password: str, grid_path: str) -> None:
    """The member of staff who signs in with a password for the session check: a grid worker of
    the list's grid (the appeals benchmark's own grid worker signs in with a token, which a new
    password would end)."""
    from django.utils import timezone

    from shuren.accounts.models import RoleGrant, User
    from shuren.accounts.roles import Role
    from shuren.places.models import Area

    user, _created = User.objects.get_or_create(username=STAFF, defaults={"full_name": STAFF})
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    RoleGrant.objects.filter(user=user).delete()
    RoleGrant.objects.create(user=user, role=Role.GRID_WORKER, area=Area.objects.get(path=grid_path))


def headline_figures(steps: list[Step], clients: int) -> list[Figure]:
    """At the highest client count: each configuration's submit and list figures beside their floors,
    measured through the same processes."""
    by = {(s.config, s.load, s.clients): s for s in steps}
    figures = []
    for config in dict.fromkeys(s.config for s in steps):
        for load, floor_name in (("submit", "bare view: one INSERT"), ("list", "bare view: raw SQL")):
            figure, floor = by[(config, load, clients)].run, by[(config, load + " floor", clients)].run
            label = f"{load}, {config}"
            figures.append(
                Figure(label, f"throughput (r/s), {clients} clients", figure.rate, "r/s", floor.rate, floor_name)
            )
            for p in (50, 95, 99):
                figures.append(
                    Figure(
                        label,
                        f"p{p} latency (ms), {clients} clients",
                        figure.percentile(p),
                        "ms",
                        floor.percentile(p),
                        floor_name,
                    )
                )
    return figures


def ceilings(steps: list[Step], cores: int) -> dict[str, Any]:
    """What one request costs PostgreSQL and the app processes in CPU, from the busiest step of each
    load with two processes (the most requests, so the server's own background work weighs least),
    and the rate at which that uses up one core of each: the ceiling of a PostgreSQL core and how
    many app cores it takes to reach it."""
    out: dict[str, Any] = {"cores": cores}
    for load in ("submit", "submit floor", "list", "list floor"):
        mine = [s for s in steps if s.config == "pgbouncer ×2" and s.load == load] or [
            s for s in steps if s.load == load
        ]
        busiest = max(mine, key=lambda s: len(s.run.latencies))
        requests = len(busiest.run.latencies)
        pg = 1000 * busiest.cpu["postgresql"] / requests
        app = 1000 * busiest.cpu["app"] / requests
        out[load] = {
            "clients": busiest.clients,
            "postgresql_cpu_ms": round(pg, 2),
            "app_cpu_ms": round(app, 2),
            "per_postgresql_core_per_second": round(1000 / pg) if pg else None,
            "per_app_core_per_second": round(1000 / app) if app else None,
            "app_cores_per_postgresql_core": round(app / pg, 1) if pg else None,
            "best_measured_rate": round(max(s.run.rate for s in steps if s.load == load), 1),
        }
    return out


def describe_ceilings(found: dict[str, Any]) -> list[str]:
    lines = []
    for load in ("submit", "list"):
        c = found[load]
        lines.append(
            f"{load}: PostgreSQL {c['postgresql_cpu_ms']} ms CPU a request (one core: "
            f"{c['per_postgresql_core_per_second']}/s), app {c['app_cpu_ms']} ms (one core: "
            f"{c['per_app_core_per_second']}/s); best measured here {c['best_measured_rate']}/s "
            f"on {found['cores']} cores"
        )
    return lines


if __name__ == "__main__":
    main()
