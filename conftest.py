"""Fixtures shared by every test: two communities in two subdistricts, and a user per role."""

from __future__ import annotations

import os as _os
from collections.abc import Callable

import pytest
from hypothesis import settings as _hypothesis_settings

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import ADMIN_ROLES, Role
from shuren.places.models import Area, AreaKind

PASSWORD = "Correct-horse-battery-9"

# Property tests explore new examples on every developer's run; CI (CI=true) derives them from each
# test's name instead, so that a build is red only for a change, and a counterexample found locally
# becomes an @example of its test.
_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if _os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

pytest_plugins = ["shuren.appeals.testing"]


def confirmed_seconds_ago(client, seconds: float) -> None:
    """Pretend the signed-in user last confirmed their password ``seconds`` ago (re-auth window)."""
    import time

    session = client.session
    session["shuren_reauth_at"] = time.time() - seconds
    session.save()


def make_xlsx(rows, headings) -> bytes:
    """A one-sheet workbook: ``headings`` then ``rows``."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(headings))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Fixtures through which a test reaches the database (pytest-django's, and the live server's).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def uses_database(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("django_db")) or not DATABASE_FIXTURES.isdisjoint(
        getattr(item, "fixturenames", ())
    )


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite on SQLite, then again on PostgreSQL (docs/adr/0013).

    The SQLite pass runs every test but the PostgreSQL-only ones (row locks, triggers, real
    concurrency). The PostgreSQL pass runs every test that reaches the database, except the browser
    journeys and the route walks marked ``single_pass``: what does not touch the database cannot
    answer differently there, the pages the browser drives are the ones the client tests request on
    both databases, and the walks repeat, route by route, the scoping each app's own tests check on
    both. Tests marked ``slow`` go first, so that the workers finish together."""
    import os

    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if on_postgres:

        def keep(item: pytest.Item) -> bool:
            return (
                uses_database(item)
                and not item.get_closest_marker("browser")
                and not item.get_closest_marker("single_pass")
            )
    else:

        def keep(item: pytest.Item) -> bool:
            return not item.get_closest_marker("postgres_only")

    kept, dropped = [], []
    for item in items:
        (kept if keep(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    kept.sort(key=lambda item: not item.get_closest_marker("slow"))  # stable: otherwise in order
    items[:] = kept


@pytest.fixture
def district(db) -> Area:
    return Area.objects.create(kind=AreaKind.DISTRICT, code="440605", name="南海区")


@pytest.fixture
def tree(district: Area) -> dict[str, Area]:
    """Two subdistricts, one community each (A and B), two grids per community."""
    sub_a = Area.objects.create(kind=AreaKind.SUBDISTRICT, code="01", name="桂城街道", parent=district)
    sub_b = Area.objects.create(kind=AreaKind.SUBDISTRICT, code="12", name="里水镇", parent=district)
    com_a = Area.objects.create(kind=AreaKind.COMMUNITY, code="017", name="大新社区", parent=sub_a)
    com_b = Area.objects.create(kind=AreaKind.COMMUNITY, code="003", name="金旗峰社区", parent=sub_b)
    nodes = {"district": district, "sub_a": sub_a, "sub_b": sub_b, "com_a": com_a, "com_b": com_b}
    for key, community in (("a", com_a), ("b", com_b)):
        for n in (1, 2):
            nodes[f"grid_{key}{n}"] = Area.objects.create(
                kind=AreaKind.GRID, code=f"0{n}", name=f"{community.name}第{n}网格", parent=community
            )
    return nodes


# Where each role is granted in community A (admin roles are system-wide).
ROLE_HOME: dict[str, str] = {
    Role.RESIDENT: "grid_a1",
    Role.VOLUNTEER: "grid_a1",
    Role.BUILDING_LEADER: "grid_a1",
    Role.GRID_WORKER: "grid_a1",
    Role.HANDLER: "com_a",
    Role.COMMUNITY_STAFF: "com_a",
    Role.COMMUNITY_SECRETARY: "com_a",
    Role.SUBDISTRICT_STAFF: "sub_a",
    Role.DISTRICT_STAFF: "district",
}


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    counter = {"n": 0}

    def make(
        role: str | None = None,
        area: Area | None = None,
        *,
        username: str | None = None,
        phone: str = "",
        password: str = PASSWORD,
    ) -> User:
        counter["n"] += 1
        user = User(username=username or f"{role or 'user'}{counter['n']}", full_name="测试用户", phone=phone)
        user.set_password(password)
        user.save()
        if role is not None:
            RoleGrant.objects.create(user=user, role=role, area=None if role in ADMIN_ROLES else area)
        return user

    return make


@pytest.fixture
def user_for_role(tree: dict[str, Area], make_user: Callable[..., User]) -> Callable[[str], User]:
    """A user holding ``role`` in community A (or system-wide for admin roles)."""

    def make(role: str) -> User:
        area = None if role in ADMIN_ROLES else tree[ROLE_HOME[role]]
        return make_user(role, area)

    return make


def sign_in_verified(client, user: User):
    """Sign ``user`` in on ``client`` as if they had just passed the TOTP check."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["shuren_login_at"] = session["shuren_seen_at"] = session["shuren_reauth_at"] = time.time()
    session.save()
    return client


@pytest.fixture
def verified_client(client):
    """The test client, signed in as a given user who has passed the second factor."""
    return lambda user: sign_in_verified(client, user)


def _reseed_reference_data() -> None:
    """Reference rows seeded by data migrations (post kinds, appeal categories, rules of procedure, ballot
    rules) are put back after a flush, as the migrations left them, so that tests running after a
    transactional test still find them."""
    import importlib

    from django.apps import apps

    importlib.import_module("shuren.orgs.migrations.0003_seed_post_kinds").seed(apps, None)
    importlib.import_module("shuren.appeals.migrations.0002_seed_categories").seed(apps, None)
    importlib.import_module("shuren.meetings.migrations.0003_seed_rules").seed(apps, None)
    importlib.import_module("shuren.ballots.migrations.0002_seed_rules").seed(apps, None)
    importlib.import_module("shuren.volunteering.migrations.0002_append_only_and_skills").seed(apps, None)
    importlib.import_module("shuren.points.migrations.0002_append_only_and_rules").seed(apps, None)
    importlib.import_module("shuren.insights.migrations.0002_default_indicators").add(apps, None)


# Tables made append-only by their migrations (core.append_only), besides the audit table.
APPEND_ONLY_TABLES = ("volunteering_servicerecord", "points_ledgertransaction", "points_ledgerentry")


@pytest.fixture(autouse=True, scope="session")
def _audit_triggers_survive_test_flushes():
    """Transactional tests (live server, threads) end with Django's flush, which empties every table;
    the append-only triggers of the audit table, service records and the points ledger would refuse
    that. The harness lifts them for the flush alone and puts them straight back, so every test
    still runs against the real triggers."""
    from django.core.management.commands import flush
    from django.db import connections

    from shuren.audit import triggers
    from shuren.core import append_only

    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        triggers.remove(connection)
        for table in APPEND_ONLY_TABLES:
            append_only.remove(connection, table)
        try:
            return original(self, **options)
        finally:
            triggers.install(connection)
            for table in APPEND_ONLY_TABLES:
                append_only.install(connection, table)
            # The chain head row is seeded by a migration; a flush removes it with everything else.
            from shuren.audit.models import ChainHead

            ChainHead.objects.using(connection.alias).get_or_create(pk=1)
            _reseed_reference_data()

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the board caches its counts for minutes)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (zh-hans), whatever a test before it on the same worker
    activated and left active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_connection_left_in_a_transaction(request, django_db_blocker):
    """On PostgreSQL, a test that leaves another connection open inside a transaction (a thread's,
    a process's) fails: the locks it holds would make a later test on the worker wait for minutes."""
    yield
    if _os.environ.get("DATABASE_URL", "").startswith("postgres") and uses_database(request.node):
        from django.db import connection

        try:
            with django_db_blocker.unblock(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid, state, left(query, 200) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
                )
                left_open = cursor.fetchall()
        except Exception:  # noqa: BLE001 - a test that breaks the connection on purpose leaves nothing open
            return
        if left_open:
            pytest.fail(f"connections left open in a transaction: {left_open}", pytrace=False)


@pytest.fixture
def daytime():
    """The clock at the next 10:00 in Shanghai, running on: messages are not held for the night's quiet
    hours (21:00–08:00), whenever the suite runs. Name it before the fixtures that create data."""
    import datetime as dt

    from django.utils import timezone
    from freezegun import freeze_time

    now = timezone.localtime()
    morning = now.replace(hour=10, minute=0, second=0, microsecond=0)
    if morning <= now:
        morning += dt.timedelta(days=1)
    with freeze_time(morning, tick=True):
        yield morning


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo district (`shuren demo`), loaded once for a whole test module rather than once per test.

    It is written inside a transaction that stays open while the module's tests run, each of them
    inside its own savepoint (pytest-django's ``db``), and is rolled back when the module is done:
    every test sees the demo as loaded, none sees another's changes, and the next module starts from
    the empty database. Tests that commit (``transaction=True``) cannot share it; they load the demo
    themselves, in a module of their own."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
