"""Fan-out of the outbox: a notice to every user of a 10,000-user community.

- queue: one ``notify()`` of a notice-like kind (in-app and SMS, urgent, one text for all) to the
  community's users, in one transaction, as the notices app calls it. The users, their role grants
  (the community comes from them) and a few preferences are created in bulk beforehand, outside the
  timing. Floor: a bare loop inserting the same rows one ``INSERT`` at a time into a plain copy of
  the outbox table (no indexes but its id's, no constraints), in one transaction.
- deliver: one worker (``deliver_due`` until nothing is due) sending the SMS rows to the development
  backend (the console channel, written to a discarded stream). Floor: the same rows claimed and
  marked sent by a bare loop, 200 at a time (one SELECT and one UPDATE per row) in the plain copy.

Targets: queued in under 2 s; delivered at 500 messages/s or more.

    python bench/notify_fanout.py [--users 10000]
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, report, setup_django, stopwatch  # noqa: E402

FLOOR_TABLE = "bench_outbox_floor"


def build_community(users: int):  # type: ignore[no-untyped-def]
    """A community with one grid and ``users`` residents granted on it (bulk, outside the timing)."""
    from django.contrib.auth.hashers import make_password

    from shuren.accounts.models import RoleGrant, User
    from shuren.accounts.roles import Role
    from shuren.notifications.models import Preference
    from shuren.places.models import Area, AreaKind

    suffix = str(User.objects.count())
    district = Area.objects.create(kind=AreaKind.DISTRICT, code=f"B{suffix}", name="基准区")
    sub = Area.objects.create(kind=AreaKind.SUBDISTRICT, code="01", name="基准街道", parent=district)
    community = Area.objects.create(kind=AreaKind.COMMUNITY, code="001", name="基准社区", parent=sub)
    grid = Area.objects.create(kind=AreaKind.GRID, code="01", name="基准网格", parent=community)
    password = make_password(None)
    people = User.objects.bulk_create(
        [User(username=f"fanout{suffix}-{n}", full_name="居民", password=password) for n in range(users)],
        batch_size=2000,
    )
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=Role.RESIDENT, area=grid) for user in people], batch_size=2000
    )
    # One in twenty chose something for this kind (the lookup must find and honour it).
    Preference.objects.bulk_create(
        [Preference(user=user, kind="bench.notice", channel="email", enabled=True) for user in people[::20]],
        batch_size=2000,
    )
    return community, list(User.objects.filter(pk__in=[u.pk for u in people]).order_by("pk"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10000)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from shuren.notifications import kinds
    from shuren.notifications.channels.console import ConsoleChannel
    from shuren.notifications.models import Message
    from shuren.notifications.services import deliver_due, notify
    from shuren.notifications.services.outbox import _COLUMNS

    settings.SHUREN_NOTIFICATION_CHANNELS = {"sms": "shuren.notifications.channels.console.ConsoleChannel"}
    ConsoleChannel.stream = io.StringIO()
    kinds.register(kinds.Kind("bench.notice", "A notice", channels=("inapp", "sms")))
    schedule = []
    import shuren.notifications.tasks as tasks

    tasks.schedule_delivery = lambda when: schedule.append(when)  # no task queue in the benchmark

    community, users = build_community(args.users)
    event = f"notice:bench:{timezone.now().timestamp()}"
    with stopwatch() as queued, transaction.atomic():
        rows = notify(
            kind="bench.notice",
            event_key=event,
            recipients=users,
            subject="关于3号楼12月9日停水的通知",
            text="因管道检修，12月9日8:00至18:00停水，请提前储水。",
            link="/my/notices/1/",
            urgent=True,
        )
    queue_seconds = queued()

    # The floor: the same rows, one bare INSERT each, into a plain copy of the table.
    by_name = {f.name: f for f in Message._meta.concrete_fields}
    columns = [by_name[name].column for name in _COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} AS SELECT * FROM notifications_message WHERE 1 = 0")  # noqa: S608
        cursor.execute(f"CREATE UNIQUE INDEX {FLOOR_TABLE}_id ON {FLOOR_TABLE} (id)")
        cursor.execute(
            f"SELECT id, {', '.join(columns)} FROM notifications_message WHERE event_key = %s ORDER BY id",  # noqa: S608
            [event],
        )
        copied = cursor.fetchall()
    insert = (
        f"INSERT INTO {FLOOR_TABLE} (id, {', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * (len(columns) + 1))})"
    )
    with stopwatch() as floor_queued, transaction.atomic(), connection.cursor() as cursor:
        for row in copied:
            cursor.execute(insert, list(row))
    floor_queue_seconds = floor_queued()

    due = Message.objects.filter(event_key=event).exclude(channel="inapp").count()
    with stopwatch() as delivered:
        sent = 0
        while True:
            counts = deliver_due(limit=200)
            sent += counts["sent"]
            if not any(counts.values()):
                break
    rate = sent / delivered()
    assert sent == due, (sent, due)

    status = next(i for i, name in enumerate(_COLUMNS) if name == "status") + 1
    with stopwatch() as floor_delivered, connection.cursor() as cursor:
        ids = [row[0] for row in copied if row[status] != "sent"]
        for start in range(0, len(ids), 200):
            with transaction.atomic():
                chunk = ids[start : start + 200]
                for pk in chunk:
                    cursor.execute(f"SELECT id FROM {FLOOR_TABLE} WHERE id = %s", [pk])  # noqa: S608
                    cursor.execute(
                        f"UPDATE {FLOOR_TABLE} SET status = 'sent', sent_at = %s WHERE id = %s",  # noqa: S608
                        [timezone.now(), pk],
                    )
    floor_rate = len(ids) / floor_delivered()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")

    print(
        f"{rows} rows queued for {len(users)} users in {queue_seconds:.2f} s (target < 2 s); "
        f"{sent} delivered at {rate:,.0f}/s (target >= 500/s)"
    )
    report(
        [
            Figure(
                f"notify fan-out ({len(users)} users)",
                "queue time (s)",
                queue_seconds,
                "s",
                floor_queue_seconds,
                "bare loop of INSERTs of the same rows",
            ),
            Figure(
                f"notify delivery ({sent} messages)",
                "throughput (messages/s)",
                rate,
                "/s",
                floor_rate,
                "bare SELECT + UPDATE per row, 200 a transaction",
            ),
        ],
        "notify_fanout",
    )


if __name__ == "__main__":
    main()
