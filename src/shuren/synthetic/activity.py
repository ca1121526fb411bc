"""Two years of activity for the synthetic district (``shuren seed-scale --activity``).

For every community of the district (code ``SCALE``) that has residents and no activity yet, the
generators of the apps write, in proportion to its residents: volunteering (party members,
volunteers, teams, activities, sign-ups, check-ins, service records: ``volunteering.scale``), the
governance list (``governance.scale``), meetings (``meetings.scale``), owners' ballots
(``ballots.scale``) and the points ledger of all of it with rewards and redemptions
(``points.scale``). Each community also gets its staff: two community staff and the party
secretary (accounts without a password), who organise, confirm, verify and record.

Running again adds nothing to communities that already have activity (a volunteer registration or
a points account): it gives activity to the communities added since (``--residents``), so a
district can grow and be completed. Each community gets its own random streams (from the seed and
its path), so the same seed gives the same activity, on the same day, whatever else the district
holds.

Writing: rows in database form through ``synthetic.bulk_rows`` (COPY on PostgreSQL, executemany
elsewhere), one transaction per community; a large load on PostgreSQL (``DEFER_INDEXES_FROM``
expected rows or more, and more than the ledger holds) instead runs in one transaction with the
secondary indexes and unique and foreign-key constraints of the five largest tables dropped and
recreated at the end (``synthetic.bulk_rows.indexes_deferred``), which locks those tables meanwhile.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.governance.models import Claim, GovernanceItem, ItemUpdate
from shuren.meetings.models import AgendaItem, Attendance, Invitation, MeetingEvent
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind
from shuren.points.models import Account, LedgerEntry, LedgerTransaction
from shuren.synthetic.ballots import seed_ballots
from shuren.synthetic.bulk_rows import BulkWriter, estimated_rows, generated_in_order, indexes_deferred
from shuren.synthetic.district import scale_district
from shuren.synthetic.governance import seed_governance
from shuren.synthetic.meetings import seed_meetings
from shuren.synthetic.points import seed_points
from shuren.synthetic.volunteering import expected_rows, seed_volunteering
from shuren.volunteering.models import Activity, CheckIn, ServiceRecord, SignUp, VolunteerProfile

DEFER_INDEXES_FROM = 2_000_000  # expected rows of the large tables
PARALLEL_FROM = 4  # communities
# The tables whose indexes and constraints a large load defers: what the generators write and never
# read (their workers read the registry, places, organisations and rules meanwhile).
DEFERRED_TABLES = [
    SignUp,
    CheckIn,
    ServiceRecord,
    LedgerTransaction,
    LedgerEntry,
    Account,
    Activity,
    VolunteerProfile,
    Membership,
    Invitation,
    Attendance,
    MeetingEvent,
    AgendaItem,
    GovernanceItem,
    Claim,
    ItemUpdate,
]
STAFF = [
    (Role.COMMUNITY_SECRETARY, "secretary", "社区党委书记"),
    (Role.COMMUNITY_STAFF, "staff1", "社区工作人员甲"),
    (Role.COMMUNITY_STAFF, "staff2", "社区工作人员乙"),
]


@dataclass
class ActivityReport:
    communities: int = 0
    skipped: int = 0
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)


def communities_without_activity(district: Area) -> tuple[list[Area], int]:
    """The district's communities with residents and no activity yet (in path order), and how
    many others have residents and activity already."""
    with_people = set(
        Person.objects.filter(scope__startswith=district.path + ".").values_list("community_id", flat=True)
    )
    communities = list(
        Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=district.path + ".", pk__in=with_people).order_by(
            "path"
        )
    )
    done = set(VolunteerProfile.objects.filter(community__in=communities).values_list("community_id", flat=True))
    done |= set(Account.objects.filter(community__in=communities).values_list("community_id", flat=True))
    return [c for c in communities if c.pk not in done], len(done)


def seed_activity(
    *,
    seed: int = 2026,
    now: dt.datetime | None = None,
    workers: int | None = None,
    district: Area | None = None,
    progress: Callable[[str], None] = print,
) -> ActivityReport:
    """Give every community of the synthetic district (or of ``district``) that has residents and
    no activity its two years of activity before ``now`` (see the module's description). On PostgreSQL ``workers``
    forked processes (by default one per core from ``PARALLEL_FROM`` communities) generate
    communities while this process writes them; the same seed gives the same activity either way.
    Returns what was written."""
    report = ActivityReport()
    district = district or scale_district()
    communities, report.skipped = communities_without_activity(district)
    if not communities:
        return report
    now_ts = (now or timezone.now()).timestamp()
    connection = connections[DEFAULT_DB_ALIAS]
    postgres = connection.vendor == "postgresql"
    if workers is None:
        workers = (os.cpu_count() or 1) if len(communities) >= PARALLEL_FROM else 0
    if not postgres or "fork" not in multiprocessing.get_all_start_methods():
        workers = 0
    residents = Person.objects.filter(community__in=communities).count()
    defer = postgres and expected_rows(residents) >= max(DEFER_INDEXES_FROM, estimated_rows(LedgerEntry))
    with transaction.atomic():  # the staff first: the generators only need their ids
        staff = {community.pk: _staff(community) for community in communities}
    writer = BulkWriter()
    started = time.perf_counter()
    with (
        transaction.atomic() if defer else nullcontext(),
        indexes_deferred(DEFERRED_TABLES, defer, progress, written=lambda: list(writer.tables)),
    ):
        tasks = [(community, staff[community.pk]) for community in communities]
        for index, (texts, counts) in enumerate(_produced(tasks, seed, now_ts, writer, workers), start=1):
            with nullcontext() if defer else transaction.atomic():
                report.rows += writer.write_collected(texts) if postgres else writer.flush()
            report.counts += counts
            report.communities += 1
            progress(
                f"{time.perf_counter() - started:7.1f} s  {index:>5,d} / {len(communities):,d} communities, "
                f"{report.rows:,d} rows"
            )
    if postgres:
        with connection.cursor() as cursor:
            for model in DEFERRED_TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return report


_FORKED: tuple[int, float] | None = None  # (seed, now) for the forked workers


def _produced(
    tasks: list[tuple[Area, list[int]]], seed: int, now: float, writer: BulkWriter, workers: int
) -> Iterator[tuple[list[tuple[str, bytes, int]], Counter[str]]]:
    """Each community's rows (COPY text on PostgreSQL; queued in ``writer`` elsewhere) and counts,
    in order. With ``workers``, forked processes generate them on connections of their own (they
    read the registry and draw ids from the sequences) while this process writes."""
    global _FORKED  # noqa: PLW0603 - handed to the forked workers
    if not workers:
        collect = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
        for community, staff in tasks:
            local = BulkWriter(collect=True) if collect else writer
            counts = _community(community, staff, seed, now, local)
            if collect:
                local.flush()
            yield (local.collected() if collect else []), counts  # elsewhere the caller flushes
        return
    _FORKED = (seed, now)
    try:
        arguments = ((community.pk, staff) for community, staff in tasks)
        yield from generated_in_order(_generate_forked, arguments, workers, initializer=_forget_connections)
    finally:
        _FORKED = None


def _forget_connections() -> None:
    """In a forked worker: drop the parent's database connections without closing them (they are
    the parent's sockets); the worker opens its own on first use."""
    for connection in connections.all(initialized_only=True):
        connection.connection = None


def _generate_forked(community_pk: int, staff: list[int]) -> tuple[list[tuple[str, bytes, int]], Counter[str]]:
    assert _FORKED is not None
    seed, now = _FORKED
    writer = BulkWriter(collect=True)
    counts = _community(Area.objects.get(pk=community_pk), staff, seed, now, writer)
    writer.flush()
    return writer.collected(), counts


def _community(community: Area, staff: list[int], seed: int, now: float, writer: BulkWriter) -> Counter[str]:
    """One community's activity, every generator with a random stream of its own."""

    def stream(name: str) -> random.Random:
        return random.Random(f"{seed}/{name}/{community.path}")  # noqa: S311 - synthetic data, reproducible

    volunteering = seed_volunteering(community, staff=staff, rng=stream("volunteering"), now=now, writer=writer)
    people = volunteering.volunteers | volunteering.party_members
    organizations = volunteering.teams | dict(
        Organization.objects.filter(
            area=community, kind__in=[OrganizationKind.RESIDENTS_COMMITTEE, OrganizationKind.PROPERTY_MANAGER]
        )
        .order_by("pk")
        .values_list("pk", "name")
    )
    governance = seed_governance(
        community,
        staff=staff,
        claimants=people,
        organizations=organizations,
        rng=stream("governance"),
        now=now,
        writer=writer,
    )
    meetings = seed_meetings(
        community,
        staff=staff,
        people=people,
        organizations=organizations,
        rng=stream("meetings"),
        now=now,
        writer=writer,
    )
    residents = Person.objects.filter(community=community).count()
    ballots = seed_ballots(community, staff=staff, residents=residents, rng=stream("ballots"), now=now, writer=writer)
    points = seed_points(
        community,
        staff=staff,
        volunteering=volunteering,
        governance=governance,
        meetings=meetings,
        rng=stream("points"),
        now=now,
        writer=writer,
    )
    counts: Counter[str] = Counter()
    for outcome in (volunteering, governance, meetings, ballots, points):
        counts += outcome.counts
    counts["staff accounts"] += len(staff)
    return counts


def _staff(community: Area) -> list[int]:
    """The user ids of the community's synthetic staff (created on first use, without a password:
    nobody signs in as them), each with their role on the community."""
    ids = []
    for role, suffix, name in STAFF:
        user, created = User.objects.get_or_create(
            username=f"scale.{community.path}.{suffix}", defaults={"full_name": f"{community.name}{name}"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password", "password_changed_at"])
            RoleGrant.objects.create(user=user, role=role, area=community)
        ids.append(user.pk)
    return ids
