"""Subdistrict dashboard: the page a subdistrict's staff open, against a bare view reading the same
roll-up rows with raw SQL.

The synthetic district (`shuren seed-scale`) must be loaded first. The benchmark brings the
roll-ups up to date (a rebuild, timed, then a refresh, timed), signs in a member of staff of the
subdistrict with most appeals and starts gunicorn as appeals_api does. One request at a time (the
latency a person sees), for the last 30 days and for the last 12 months:

- figure: `GET /insights/areas/<subdistrict>/?preset=30d` (session), the whole page: period form,
  KPIs from the four day tables and the stocks, the children's KPIs, trends, hot categories and
  places, the charts' JSON and tables;
- floor: a bare view running raw SQL over the same roll-up tables (the subdistrict's sums from the
  four day tables, its children's sums, its stocks) and answering JSON.

Printed besides: the same appeal KPIs computed from the raw appeals, in-process, which is what the
roll-ups spare every request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, Figure, database_name, machine, report, setup_django, stopwatch  # noqa: E402


def day_tables() -> dict[str, tuple[str, ...]]:
    """The roll-up tables a dashboard sums, with their figure columns."""
    from shuren.insights.figures import FLOW_TABLES

    return {model._meta.db_table: figures for model, figures in FLOW_TABLES}


def floor_dashboard(request):  # type: ignore[no-untyped-def]
    """The subdistrict's figures and its children's, read from the roll-ups with raw SQL."""
    from django.db import connection
    from django.http import JsonResponse

    area, start, end = int(request.GET["area"]), request.GET["start"], request.GET["end"]
    result: dict[str, Any] = {"own": {}, "children": {}}
    with connection.cursor() as cursor:
        for table, columns in day_tables().items():
            sums = ", ".join(f"SUM({c})" for c in columns)
            own = f"SELECT {sums} FROM {table} WHERE area_id = %s AND day BETWEEN %s AND %s"  # noqa: S608
            cursor.execute(own, [area, start, end])
            result["own"].update(zip(columns, cursor.fetchone(), strict=True))
            cursor.execute(
                f"SELECT area_id, {sums} FROM {table} WHERE area_id IN "  # noqa: S608
                "(SELECT id FROM places_area WHERE parent_id = %s) AND day BETWEEN %s AND %s GROUP BY area_id",
                [area, start, end],
            )
            for row in cursor.fetchall():
                result["children"].setdefault(row[0], {}).update(zip(columns, row[1:], strict=True))
        cursor.execute(
            "SELECT figure, value FROM insights_stock WHERE area_id = %s AND taken_on = "
            "(SELECT MAX(taken_on) FROM insights_stock WHERE taken_on <= %s)",
            [area, end],
        )
        result["stocks"] = dict(cursor.fetchall())
    return JsonResponse(result, json_dumps_params={"default": str})


def floor_urls() -> list[Any]:
    from django.urls import path

    return [path("bench/floor/dashboard/", floor_dashboard)]


def busiest_subdistrict() -> Any:
    from django.db.models import Sum

    from shuren.insights.models import AppealDay
    from shuren.places.models import Area, AreaKind
    from shuren.synthetic.district import scale_district

    district = scale_district()
    subdistricts = Area.objects.filter(kind=AreaKind.SUBDISTRICT, path__startswith=district.path + ".")
    row = (
        AppealDay.objects.filter(area__in=subdistricts)
        .values("area_id")
        .annotate(n=Sum("received"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit("the synthetic district has no appeals: run `shuren seed-scale` first")
    return Area.objects.get(pk=row["area_id"])


def staff_session(subdistrict: Any) -> str:
    from django.conf import settings
    from django.test import Client

    from shuren.accounts.models import RoleGrant, User
    from shuren.accounts.roles import Role

    user, _created = User.objects.get_or_create(username="bench-subdistrict", defaults={"full_name": "bench"})
    user.set_unusable_password()
    user.save()
    RoleGrant.objects.filter(user=user).delete()
    RoleGrant.objects.create(user=user, role=Role.SUBDISTRICT_STAFF, area=subdistrict)
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def raw_kpis_ms(subdistrict: Any, start: dt.date, end: dt.date, count: int = 5) -> float:
    """The appeal KPIs of the period computed from the raw appeals, in-process: the median."""
    import statistics

    from django.db.models import Q

    from shuren.appeals.kpis import appeal_kpis, in_period
    from shuren.appeals.models import Appeal

    appeals = in_period(
        Appeal.objects.filter(Q(scope=subdistrict.path) | Q(scope__startswith=subdistrict.path + ".")), start, end
    )
    times = []
    for _ in range(count):
        started = time.perf_counter()
        appeal_kpis(appeals)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    from appeals_api import alternate, drive, server

    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests of each page, one at a time")
    parser.add_argument("--workers", type=int, default=2 * cores, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--skip-rebuild", action="store_true", help="use the roll-ups as they are")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from shuren.insights import rollups
    from shuren.insights.forms import preset_period

    print(f"# dashboard benchmark · {database_name()} · {machine()} · gunicorn {args.workers} workers", flush=True)
    rebuild_s = refresh_s = 0.0
    if not args.skip_rebuild:
        with stopwatch() as elapsed:
            run = rollups.rebuild()
        rebuild_s = elapsed()
        print(f"roll-ups rebuilt in {rebuild_s:.1f} s: {run.detail}", flush=True)
    with stopwatch() as elapsed:
        run = rollups.refresh()
    refresh_s = elapsed()
    print(f"roll-ups refreshed in {refresh_s:.1f} s ({run.days} days recomputed)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (*day_tables(), "insights_stock", "insights_categorymonth", "insights_placemonth"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    subdistrict = busiest_subdistrict()
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={staff_session(subdistrict)}"}
    today = timezone.localdate()
    periods = {"30 days": preset_period("30d", today), "12 months": preset_period("12m", today)}
    calls: dict[str, tuple[Any, int]] = {}
    for label, (start, end) in periods.items():
        preset = "30d" if label == "30 days" else "12m"
        page = f"/insights/areas/{subdistrict.pk}/?preset={preset}"
        floor = f"/bench/floor/dashboard/?area={subdistrict.pk}&start={start}&end={end}"
        calls[f"page {label}"] = ((lambda page=page: ("GET", page, None, cookie)), 200)
        calls[f"floor {label}"] = ((lambda floor=floor: ("GET", floor, None, {})), 200)
    print(f"subdistrict {subdistrict.path} ({subdistrict.name}), {args.requests} requests of each", flush=True)
    with server(args.workers) as port:
        for call, expect in calls.values():
            drive(port, call, 4 * args.workers, 1, expect)  # warm every worker
        runs = alternate(port, calls, args.requests, 1, args.rounds)
    figures = []
    for label in periods:
        page, floor = runs[f"page {label}"], runs[f"floor {label}"]
        for p in (50, 95):
            figures.append(
                Figure(
                    f"subdistrict dashboard ({label})",
                    f"p{p} latency (ms)",
                    page.percentile(p),
                    "ms",
                    floor.percentile(p),
                    "bare view: raw SQL over the roll-ups",
                )
            )
    report(figures, "dashboard")
    raw = {label: raw_kpis_ms(subdistrict, *period) for label, period in periods.items()}
    for label, ms in raw.items():
        page_ms = runs[f"page {label}"].percentile(50)
        print(
            f"the appeal KPIs of {label} from the raw appeals: {ms:,.0f} ms in-process "
            f"({ms / page_ms:.1f}× the whole dashboard page, which reads the roll-ups)",
            flush=True,
        )
    extra = {
        "subdistrict": subdistrict.path,
        "rebuild_seconds": round(rebuild_s, 1),
        "refresh_seconds": round(refresh_s, 2),
        "raw_kpis_ms": {k: round(v, 1) for k, v in raw.items()},
        "loadavg": os.getloadavg(),
    }
    (RESULTS / f"dashboard-{database_name().split()[0]}-context.json").write_text(json.dumps(extra, indent=2))


if __name__ == "__main__":
    main()
