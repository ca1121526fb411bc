"""Appeals through the REST API and the staff console, each against its floor, over real HTTP.

    .venv/bin/python bench/appeals_api.py [--appeals N] [--requests N] [--list-requests N]

``--appeals`` (default: ``SHUREN_BENCH_APPEALS`` or 100,000) is the size of the synthetic district's
appeal history; what is missing is added first with ``shuren seed-scale --appeals`` (timed, reported
as the load rate). Then a gunicorn server (sync workers, two per core, as ``docs/deploy.md`` runs
it; persistent database connections) serves the site and, beside it, the floors: bare Django views
defined in this module and mounted only in the benchmark's URL configuration. ``--clients``
threads of this process (one per worker by default) send the requests over loopback HTTP. Figure
and floor are driven the same way, in alternating rounds, so that both see the same machine.

* submit: POST /api/v1/appeals/ as a resident (token auth, an ``Idempotency-Key`` per request, JSON
  ``{category, description, building}``; 201): token, scope check, validation, the appeal and its
  reference, the submit event, the audit record, the two deadline reminders and the stored answer
  of its Idempotency-Key, in one transaction, and the 201.
  Fair floor: a bare view making the same writes in raw SQL in one transaction (the token looked up
  by its hash, the appeal with category and building found in the same INSERT, its reference, the
  event, the audit row, two task rows, the idempotency row), answering 201 with id and reference.
  Bare floor (the old one, kept for comparison): one ``INSERT ... SELECT`` of an appeal row, no
  authentication.
* open list: a grid worker's open appeals, first page (50), in the grid with most open appeals,
  one request at a time (the latency a grid worker sees, not a load test):
  GET /api/v1/appeals/?status=open (token auth) and the console's open tab /appeals/?tab=open
  (session). Fair floor: a bare view that finds the same token and the caller's grants, counts the
  matching appeals (to 10,001, as the API's capped count) and runs the page query in raw SQL (the
  page chosen on the appeals table, then its category, area, estate, building and organisation
  joined), answering the rows as JSON. Bare floor (the old one, kept for comparison): a bare view
  running the list as raw SQL through a cursor, no authentication, no joins (``scope`` equal to
  the grid's path or beneath it, ``status IN`` the open states, ``ORDER BY submitted_at DESC, id DESC
  LIMIT 50``) and answering its rows as JSON. The query alone (the same SQL from this process, no
  HTTP) is reported too, with its EXPLAIN ANALYZE plan written to bench/results/.

Figures: requests per second and p50/p95/p99 latency. The load generator shares the two cores
with the server and the database, equally for figure and floor. The appeals the run submits are
deleted at its end (and any an interrupted run left, at the start), so that every run measures the
district as it was loaded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, Figure, database_name, machine, report, setup_django, stopwatch  # noqa: E402

PAGE_SIZE = 50
OPEN = ("submitted", "accepted", "dispatched", "in_progress")

# --- the floors: bare views, mounted only in the benchmark's URL configuration ---------------------

FLOOR_INSERT = """
INSERT INTO appeals_appeal (
    created_at, updated_at, version, scope, reference, token, category_id, description, channel, status,
    level, area_id, estate_id, building_id, address, reporter_name, reporter_phone, is_anonymous,
    contact_shared, is_supervised, reopen_count, submitted_at, resolution, feedback_comment,
    public_summary, is_published, terms, public_reply, publication)
SELECT %s, %s, 1, b.scope, %s, %s, c.id, %s, 'api', 'submitted', 'grid', b.grid_id, b.estate_id, b.id,
    '', '', '', false, false, false, 0, %s, '', '', '', false, '', '', ''
FROM places_building b, appeals_category c WHERE b.id = %s AND c.code = %s
RETURNING id
"""

FLOOR_LIST = f"""
SELECT id, reference, status, category_id, scope, building_id, organization_id, submitted_at,
    resolution_due_at, description
FROM appeals_appeal
WHERE (scope = %s OR scope LIKE %s) AND status IN ({", ".join(["%s"] * len(OPEN))})
ORDER BY submitted_at DESC, id DESC
LIMIT {PAGE_SIZE}
"""  # noqa: S608 - no input in the text


def floor_submit(request):  # type: ignore[no-untyped-def]
    """The same single insert of an appeal row, as plainly as Django allows."""
    from django.db import connection
    from django.http import JsonResponse
    from django.utils import timezone

    body = json.loads(request.body)
    now = timezone.now()
    token = secrets.token_urlsafe(18)
    reference = "F" + token[:19]
    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR_INSERT,
            [now, now, reference, token, body["description"], now, body["building"], body["category"]],
        )
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk, "reference": reference}, status=201)


FAIR_TOKEN = """
SELECT t.id, u.id, u.username FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id
WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s AND u.is_active
"""
FAIR_APPEAL = """
INSERT INTO appeals_appeal (
    created_at, updated_at, version, scope, reference, token, category_id, description, channel, status,
    level, area_id, estate_id, building_id, address, reporter_name, reporter_phone, is_anonymous,
    contact_shared, is_supervised, reopen_count, submitted_at, resolution_due_at, resolution, feedback_comment,
    public_summary, is_published, terms, reporter_id, public_reply, publication)
SELECT %s, %s, 1, b.scope, %s, %s, c.id, %s, 'api', 'submitted', 'grid', b.grid_id, b.estate_id, b.id,
    '', '', '', false, false, false, 0, %s, %s, '', '', '', false, '', %s, '', ''
FROM places_building b, appeals_category c WHERE b.id = %s AND c.code = %s
RETURNING id
"""
FAIR_EVENT = """
INSERT INTO appeals_appealevent (appeal_id, kind, at, actor_id, from_status, to_status, note, is_public, detail)
VALUES (%s, 'submit', %s, %s, '', 'submitted', '', true, %s)
"""
FAIR_AUDIT = """
INSERT INTO audit_auditevent (occurred_at, actor_id, actor_username, actor_role, ip, request_id, action,
    object_type, object_id, scope, outcome, reason, detail)
VALUES (%s, %s, %s, 'resident', '127.0.0.1', '', 'appeals.submit', 'appeals.appeal', %s, '', 'success', '', %s)
"""
FAIR_TASK = """
INSERT INTO django_tasks_database_dbtaskresult (id, status, args_kwargs, priority, task_path, queue_name,
    backend_name, run_after, enqueued_at, exception_class_path, traceback, worker_ids)
VALUES (%s, 'READY', %s, 0, 'shuren.appeals.tasks.send_deadline_reminder', 'default', 'default', %s, %s, '', '',
    '[]')
"""
FAIR_IDEMPOTENCY = """
INSERT INTO core_idempotencyrecord (principal, key, method, path, fingerprint, status, response_status,
    response_headers, response_body, created_at, expires_at)
VALUES (%s, %s, 'POST', '/bench/floor/appeals-fair/', %s, 'completed', 201, '{}', %s, %s, %s)
"""


def floor_submit_fair(request):  # type: ignore[no-untyped-def]
    """The writes a submission must make, as plain SQL in one transaction: find the caller's token,
    insert the appeal and give it its reference, its first event, its audit record, its two deadline
    reminders and the answer stored under its Idempotency-Key; answer 201 with the new appeal's id
    and reference. No validation, scope check, deadline arithmetic or ORM."""
    import datetime as dt
    import hashlib

    from django.db import connection, transaction
    from django.http import JsonResponse
    from django.utils import timezone

    now = timezone.now()
    key = request.headers["Authorization"].split()[1]
    body = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FAIR_TOKEN, [hashlib.sha256(key.encode()).hexdigest(), now])
        row = cursor.fetchone()
        if row is None:
            return JsonResponse({"detail": "token"}, status=401)
        _token_id, user_id, username = row
        token = secrets.token_urlsafe(18)
        due = now + dt.timedelta(days=3)
        cursor.execute(
            FAIR_APPEAL,
            [
                now,
                now,
                "F" + token[:19],
                token,
                body["description"],
                now,
                due,
                user_id,
                body["building"],
                body["category"],
            ],
        )
        (pk,) = cursor.fetchone()
        reference = f"F{timezone.localtime(now):%Y%m%d}-{pk:06d}"
        cursor.execute("UPDATE appeals_appeal SET reference = %s WHERE id = %s", [reference, pk])
        cursor.execute(FAIR_EVENT, [pk, now, user_id, json.dumps({"channel": "api"})])
        cursor.execute(FAIR_AUDIT, [now, user_id, username, str(pk), json.dumps({"channel": "api"})])
        for when in (due - dt.timedelta(hours=4), due):
            cursor.execute(FAIR_TASK, [str(uuid.uuid4()), json.dumps({"args": [pk, "due"], "kwargs": {}}), when, now])
        answer = json.dumps({"id": pk, "reference": reference})
        cursor.execute(
            FAIR_IDEMPOTENCY,
            [
                f"user:{user_id}",
                request.headers["Idempotency-Key"],
                "0" * 64,
                answer.encode(),
                now,
                now + dt.timedelta(hours=24),
            ],
        )
    return JsonResponse({"id": pk, "reference": reference}, status=201)


def floor_open_list(request):  # type: ignore[no-untyped-def]
    """The grid's open list as raw SQL through a cursor."""
    from django.db import connection
    from django.http import JsonResponse

    path = request.GET["scope"]
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_LIST, [path, path + ".%", *OPEN])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return JsonResponse({"results": rows})


FAIR_LIST_WHERE = f"""
FROM appeals_appeal WHERE (scope = %s OR scope LIKE %s) AND status IN ({", ".join(["%s"] * len(OPEN))})
"""  # noqa: S608 - no input in the text
FAIR_LIST = f"""
WITH page AS (SELECT id {FAIR_LIST_WHERE} ORDER BY submitted_at DESC, id DESC LIMIT {PAGE_SIZE})
SELECT a.id, a.reference, a.status, c.code, c.name, c.name_en, a.description, a.channel, a.level,
    a.is_supervised, a.area_id, ar.name, a.estate_id, e.name, a.building_id, b.number, a.organization_id,
    o.name, o.kind, a.submitted_at, a.response_due_at, a.resolution_due_at, a.version
FROM page JOIN appeals_appeal a ON a.id = page.id
JOIN appeals_category c ON c.id = a.category_id JOIN places_area ar ON ar.id = a.area_id
LEFT JOIN places_estate e ON e.id = a.estate_id LEFT JOIN places_building b ON b.id = a.building_id
LEFT JOIN orgs_organization o ON o.id = a.organization_id
ORDER BY a.submitted_at DESC, a.id DESC
"""  # noqa: S608 - no input in the text
FAIR_GRANTS = """
SELECT g.role, ar.path FROM accounts_rolegrant g LEFT JOIN places_area ar ON ar.id = g.area_id
WHERE g.user_id = %s AND g.revoked_at IS NULL
"""


def floor_open_list_fair(request):  # type: ignore[no-untyped-def]
    """What the API's list must do, as plain SQL: find the caller's token and their grants, count the
    matching appeals (to 10,001, as the API's capped count does), pick the page on the appeals
    table and join its category, area, estate, building and organisation; answer the rows as JSON."""
    import hashlib

    from django.db import connection
    from django.http import JsonResponse
    from django.utils import timezone

    key = request.headers["Authorization"].split()[1]
    path = request.GET["scope"]
    where = [path, path + ".%", *OPEN]
    with connection.cursor() as cursor:
        cursor.execute(FAIR_TOKEN, [hashlib.sha256(key.encode()).hexdigest(), timezone.now()])
        row = cursor.fetchone()
        if row is None:
            return JsonResponse({"detail": "token"}, status=401)
        cursor.execute(FAIR_GRANTS, [row[1]])
        cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {FAIR_LIST_WHERE} LIMIT 10001) AS n", where)  # noqa: S608
        (count,) = cursor.fetchone()
        cursor.execute(FAIR_LIST, [*where])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return JsonResponse({"count": count, "results": rows})


def floor_urls() -> list[Any]:
    """The floors of this benchmark, mounted by bench_urls beside the real site."""
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    return [
        path("bench/floor/appeals/", csrf_exempt(floor_submit)),
        path("bench/floor/appeals-fair/", csrf_exempt(floor_submit_fair)),
        path("bench/floor/open-appeals/", floor_open_list),
        path("bench/floor/open-appeals-fair/", floor_open_list_fair),
    ]


# --- data and people -------------------------------------------------------------------------------


def ensure_appeals(wanted: int) -> tuple[int, float]:
    """Bring the synthetic district to ``wanted`` appeals; (appeals added, seconds)."""
    import io

    from django.core.management import call_command

    from shuren.appeals.models import Appeal
    from shuren.synthetic.district import scale_district

    have = Appeal.objects.filter(scope__startswith=scale_district().path + ".").count()
    if have >= wanted:
        return 0, 0.0
    out = io.StringIO()
    with stopwatch() as elapsed:
        call_command("seed-scale", appeals=wanted - have, stdout=out, stderr=io.StringIO())
    print(out.getvalue().strip(), flush=True)
    return wanted - have, elapsed()


@dataclass
class People:
    resident_token: str
    building_id: int
    category: str
    worker_token: str
    worker_session: str
    grid_path: str
    grid_open: int
    grid_total: int


def bench_people() -> People:
    """A resident who reports in one grid and a grid worker of the busiest other grid."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from shuren.accounts.models import RoleGrant, User
    from shuren.accounts.roles import Role
    from shuren.accounts.services import issue_api_token
    from shuren.appeals.models import Appeal
    from shuren.places.models import Area, Building
    from shuren.synthetic.district import scale_district

    district = scale_district()
    # The resident reports in the district's first building; the grid worker works in the grid
    # with most open appeals among the others (the same two on every run).
    building = Building.objects.filter(scope__startswith=district.path + ".").order_by("pk").first()
    assert building is not None, "the district has no buildings"
    busiest = (
        Appeal.objects.filter(scope__startswith=district.path + ".", status__in=OPEN)
        .exclude(scope=building.scope)
        .values("scope")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "the district needs a second grid with open appeals"
    grid = Area.objects.get(path=busiest["scope"])

    def person(username: str, role: str, area: Area) -> User:
        user, _created = User.objects.get_or_create(username=username, defaults={"full_name": username})
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, role=role, area=area)
        return user

    resident = person("bench-resident", Role.RESIDENT, building.grid)
    worker = person("bench-gridworker", Role.GRID_WORKER, grid)
    client = Client()
    client.force_login(worker)
    return People(
        resident_token=issue_api_token(user=resident, name="bench")[1],
        building_id=building.pk,
        category="ebike-charging",
        worker_token=issue_api_token(user=worker, name="bench")[1],
        worker_session=client.cookies[settings.SESSION_COOKIE_NAME].value,
        grid_path=grid.path,
        grid_open=busiest["n"],
        grid_total=Appeal.objects.filter(scope=grid.path).count(),
    )


def forget_bench_appeals() -> int:
    """Delete the appeals earlier runs submitted (through the API and the floor), so that every run
    measures the district as it was loaded. Their audit records stay (the log is append-only)."""
    from django.db.models import Q

    from shuren.appeals.models import Appeal

    deleted, _by_model = Appeal.objects.filter(
        Q(reporter__username="bench-resident") | Q(reference__startswith="F")
    ).delete()
    return deleted


# --- the server and the load ---------------------------------------------------------------------


@contextmanager
def server(workers: int):  # type: ignore[no-untyped-def]
    """gunicorn serving the site and the floors on a free loopback port."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
        "SHUREN_DB_CONN_MAX_AGE": "600",
    }
    log = open(RESULTS / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "shuren.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--backlog=256",
            "--timeout=120",
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        for _ in range(300):
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start: see bench/results/gunicorn.log")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    return request(port, "GET", path, None, headers or {})


def request(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


Call = Callable[[], tuple[str, str, bytes | None, dict[str, str]]]  # method, path, body, headers


@dataclass
class Run:
    latencies: list[float]
    seconds: float

    def merge(self, other: Run) -> Run:
        return Run(self.latencies + other.latencies, self.seconds + other.seconds)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def timed_call(
    port: int, call: Call, expect: int, lock: threading.Lock, latencies: list[float], failures: list[str]
) -> None:
    """Send ``call``'s next request to ``port`` and record its latency, and a failure when it did not
    answer ``expect`` (``lock`` guards both lists, which the client threads share)."""
    method, path, body, headers = call()
    started = time.perf_counter()
    status, content = request(port, method, path, body, headers)
    elapsed = time.perf_counter() - started
    with lock:
        latencies.append(elapsed)
        if status != expect:
            failures.append(f"{method} {path} on :{port}: {status} {content[:300]!r}")


def drive(port: int, call: Call, count: int, clients: int, expect: int) -> Run:
    """``count`` requests from ``clients`` threads, each sending its next request as soon as the
    previous one is answered."""
    latencies: list[float] = []
    lock = threading.Lock()
    left = [count]
    failures: list[str] = []

    def client() -> None:
        while True:
            with lock:
                if left[0] == 0 or failures:
                    return
                left[0] -= 1
            timed_call(port, call, expect, lock, latencies, failures)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    with stopwatch() as wall:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if failures:
        raise RuntimeError(failures[0])
    return Run(latencies, wall())


def alternate(port: int, calls: dict[str, tuple[Call, int]], count: int, clients: int, rounds: int) -> dict[str, Run]:
    """Each call ``count`` times in all, in ``rounds`` rounds that alternate their order."""
    runs: dict[str, Run] = {}
    names = list(calls)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            call, expect = calls[name]
            run = drive(port, call, count // rounds, clients, expect)
            runs[name] = runs[name].merge(run) if name in runs else run
    return runs


# --- the query alone -------------------------------------------------------------------------------


def query_alone(path: str, count: int) -> Run:
    from django.db import connection

    latencies = []
    with connection.cursor() as cursor, stopwatch() as wall:
        for _ in range(count):
            started = time.perf_counter()
            cursor.execute(FLOOR_LIST, [path, path + ".%", *OPEN])
            cursor.fetchall()
            latencies.append(time.perf_counter() - started)
    return Run(latencies, wall())


def explain(people: People) -> str:
    """The plans of the API's queries and of the floor's, as PostgreSQL runs them."""
    from django.db import connection

    from shuren.accounts.models import User
    from shuren.api.pagination import CappedCountPaginator
    from shuren.appeals.selectors import AppealFilter, filter_appeals, listed_appeals, visible_appeals

    if connection.vendor != "postgresql":
        return ""
    worker = User.objects.get(username="bench-gridworker")
    terms = AppealFilter(status="open")  # the API's ?status=open, through the list's one filter
    listed = listed_appeals(filter_appeals(visible_appeals(worker), user=worker, filters=terms))
    parts = ["-- API page (the queryset the API paginates)", listed[:PAGE_SIZE].explain(analyze=True, buffers=True)]
    capped = listed.values("pk")[: CappedCountPaginator.COUNT_LIMIT]
    parts += ["-- API count (at most 10,000 rows)", capped.explain(analyze=True, buffers=True)]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + FLOOR_LIST, [people.grid_path, people.grid_path + ".%", *OPEN])
        parts += ["-- floor", "\n".join(row[0] for row in cursor.fetchall())]
    return "\n".join(parts)


def vacuum() -> None:
    """A freshly loaded table has no visibility map and stale statistics; autovacuum would fix both
    soon after in production, so measure after it has."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) appeals_appeal")
            cursor.execute("VACUUM (ANALYZE) appeals_appealevent")


# --- main ------------------------------------------------------------------------------------------


def main() -> None:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=int(os.environ.get("SHUREN_BENCH_APPEALS", "100000")))
    parser.add_argument("--requests", type=int, default=1000, help="submissions, for the figure and for the floor")
    parser.add_argument("--list-requests", type=int, default=300, help="requests for each list, one at a time")
    parser.add_argument("--workers", type=int, default=2 * cores, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (default: one per worker)")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    clients = args.clients or args.workers
    setup_django()
    print(
        f"# appeals benchmark: {args.appeals:,d} appeals · {database_name()} · {machine()} · "
        f"gunicorn {args.workers} workers, {clients} clients",
        flush=True,
    )
    forget_bench_appeals()
    added, load_s = ensure_appeals(args.appeals)
    vacuum()
    people = bench_people()
    print(
        f"list: grid {people.grid_path} with {people.grid_open:,d} open of {people.grid_total:,d} appeals", flush=True
    )
    description = "楼道里有人给电动车充电，飞线从三楼拉下来，很危险，请尽快处理。"
    body = json.dumps({"category": people.category, "description": description, "building": people.building_id})
    api_headers = {"Authorization": f"Token {people.resident_token}", "Content-Type": "application/json"}

    def submit() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "POST", "/api/v1/appeals/", body.encode(), api_headers | {"Idempotency-Key": str(uuid.uuid4())}

    def submit_floor() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "POST", "/bench/floor/appeals/", body.encode(), {"Content-Type": "application/json"}

    def submit_fair() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "POST", "/bench/floor/appeals-fair/", body.encode(), api_headers | {"Idempotency-Key": str(uuid.uuid4())}

    from django.conf import settings

    worker = {"Authorization": f"Token {people.worker_token}"}
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={people.worker_session}"}
    floor_path = f"/bench/floor/open-appeals/?scope={people.grid_path}"

    def api_list() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", "/api/v1/appeals/?status=open", None, worker

    def console_list() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", "/appeals/?tab=open", None, cookie

    def list_floor() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", floor_path, None, {}

    def list_fair() -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", f"/bench/floor/open-appeals-fair/?scope={people.grid_path}", None, worker

    with server(args.workers) as port:
        for call, expect in (
            (submit, 201),
            (submit_floor, 201),
            (submit_fair, 201),
            (api_list, 200),
            (console_list, 200),
            (list_floor, 200),
            (list_fair, 200),
        ):
            drive(port, call, 10 * args.workers, clients, expect)  # warm every worker (imports, jieba, caches)
        listing = alternate(  # one grid worker opening the list: one request at a time
            port,
            {
                "api": (api_list, 200),
                "console": (console_list, 200),
                "fair": (list_fair, 200),
                "floor": (list_floor, 200),
            },
            args.list_requests,
            1,
            args.rounds,
        )
        submitting = alternate(
            port,
            {"api": (submit, 201), "fair": (submit_fair, 201), "floor": (submit_floor, 201)},
            args.requests,
            clients,
            args.rounds,
        )
    alone = query_alone(people.grid_path, args.list_requests)
    plan = explain(people)
    forget_bench_appeals()

    figures = []
    sub = submitting["api"]
    for suffix, floor_run, floor_name in (
        ("", submitting["fair"], "the same writes in raw SQL, one transaction"),
        (", bare floor", submitting["floor"], "bare view: one INSERT, no auth"),
    ):
        figures.append(
            Figure(
                f"submit appeal (API){suffix}", "throughput (requests/s)", sub.rate, "r/s", floor_run.rate, floor_name
            )
        )
        for p in (50, 99):
            figures.append(
                Figure(
                    f"submit appeal (API){suffix}",
                    f"p{p} latency (ms)",
                    sub.percentile(p),
                    "ms",
                    floor_run.percentile(p),
                    floor_name,
                )
            )
    list_floor_run = listing["floor"]
    for name, label in (("api", "open list (API)"), ("console", "open list (console)")):
        for suffix, floor_run, floor_name in (
            ("", listing["fair"], "the same token, grants, count and page query in raw SQL"),
            (", bare floor", list_floor_run, "bare view: raw SQL, no auth, no joins"),
        ):
            for p in (50, 95):
                figures.append(
                    Figure(
                        f"{label}{suffix}",
                        f"p{p} latency (ms)",
                        listing[name].percentile(p),
                        "ms",
                        floor_run.percentile(p),
                        floor_name,
                    )
                )
    for p in (50, 95):
        figures.append(
            Figure(
                "open list (API)",
                f"p{p} vs query alone (ms)",
                listing["api"].percentile(p),
                "ms",
                alone.percentile(p),
                "the SQL alone, no HTTP",
            )
        )
    report(figures, "appeals_api")
    rates = (
        f"submit {sub.rate:,.0f}/s (fair floor {submitting['fair'].rate:,.0f}/s, "
        f"bare floor {submitting['floor'].rate:,.0f}/s) · "
        f"lists/s: API {listing['api'].rate:,.0f}, console {listing['console'].rate:,.0f}, "
        f"floor {list_floor_run.rate:,.0f} · query alone p50 {alone.percentile(50):.2f} ms"
    )
    print(rates, flush=True)
    extra = {
        "appeals": args.appeals,
        "added": added,
        "load_seconds": round(load_s, 1),
        "load_rate": round(added / load_s) if load_s else None,
        "grid": people.grid_path,
        "grid_open": people.grid_open,
        "grid_total": people.grid_total,
        "workers": args.workers,
        "clients": clients,
        "loadavg": os.getloadavg(),
    }
    if added:
        print(f"loaded {added:,d} appeals in {load_s:.1f} s ({added / load_s:,.0f} appeals/s)", flush=True)
    out = RESULTS / f"appeals_api-{database_name().split()[0]}-context.json"
    out.write_text(json.dumps(extra, indent=2))
    if plan:
        (RESULTS / "appeals_api-explain.txt").write_text(plan)
        print("EXPLAIN ANALYZE of the API page query (full plans in bench/results/appeals_api-explain.txt):")
        print("\n".join(plan.splitlines()[1:12]), flush=True)


if __name__ == "__main__":
    main()
