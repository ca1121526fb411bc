"""Every role's home page and main pages, on a laptop (1366x900) and a phone (390x844): each answers, is
free of serious and critical accessibility violations (axe-core, WCAG 2.1 A and AA), logs no error
in the browser console, and looks as its reviewed reference screenshot does (tests/browser/screenshots/,
README.md there says how to review and update them).

The pages show the demo district (`shuren demo`) as it stands on a fixed morning: the clock of the
server is stopped at FIXED_NOW while the module runs, so that every date, deadline and "3 days ago"
is the same on every run. The demo is loaded once for the module inside a transaction that is rolled
back at the end; each test runs inside a savepoint of its own (pytest-django's ``db``), and the live
server of this module shares the test's database connection, so that what one test's pages write (a
notice read, a session touched) is undone before the next: every test sees the same pages whichever
ran before it, on whichever worker."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import sign_in_verified
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from shuren.accounts.models import User
from tests.browser.a11y import Known, blocking, describe, run_axe
from tests.browser.visual import capture, check

pytestmark = pytest.mark.django_db

# A Monday morning in Foshan. The demo is written relative to "now", so this fixes every date it shows.
FIXED_NOW = dt.datetime(2026, 11, 16, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass(frozen=True)
class Screen:
    """A page of a role: ``key`` names its reference screenshot, ``url`` is a URL name (or a path)."""

    key: str
    url: str
    mask: tuple[str, ...] = ()  # selectors of regions whose content changes from run to run

    @property
    def path(self) -> str:
        return self.url if self.url.startswith("/") else reverse(self.url)


@dataclass(frozen=True)
class RolePages:
    username: str  # the demo account (synthetic/demo.py DEMO_USERS)
    screens: tuple[Screen, ...] = field(default_factory=tuple)


HOME = Screen("home", "/")  # where "/" sends the role (core.navigation home routes)

# Each role of the demo with its home page and the pages of its daily work.
ROLES: dict[str, RolePages] = {
    "resident": RolePages(
        "resident",
        (
            HOME,
            Screen("appeals", "appeals_portal:list"),
            Screen("report", "appeals_portal:report"),
            Screen("ballots", "ballots_portal:my_ballots"),
            Screen("volunteering", "volunteering_portal:home"),
            Screen("points", "points_portal:home"),
            Screen("services", "web:services"),
            Screen("me", "web:me"),
        ),
    ),
    "volunteer": RolePages(
        "volunteer",
        (
            HOME,
            Screen("volunteering", "volunteering_portal:home"),
            Screen("points", "points_portal:home"),
            Screen("governance", "governance_portal:home"),
        ),
    ),
    "building-leader": RolePages(
        "building_leader",
        (
            HOME,
            Screen("portal", "web:portal"),
            Screen("notices", "notices:list"),
            Screen("visits", "people:visit_list"),
            Screen("collect", "appeals_portal:collect"),
        ),
    ),
    "grid-worker": RolePages(
        "grid_worker",
        (
            HOME,
            Screen("appeals", "appeals:appeal_list"),
            Screen("people", "people:person_list"),
            Screen("signup-requests", "signup:queue"),
            Screen("activities", "volunteering:activity_list"),
        ),
    ),
    "handler": RolePages(
        "handler",
        (
            HOME,
            Screen("dashboard", "web:dashboard"),
            Screen("kpis", "appeals:kpis"),
        ),
    ),
    "community-staff": RolePages(
        "community_staff",
        (
            HOME,
            Screen("appeals", "appeals:appeal_list"),
            Screen("governance", "governance:item_list"),
            Screen("meetings", "meetings:meeting_list"),
            Screen("ballots", "ballots:ballot_list"),
            Screen("styleguide", "web:styleguide"),
        ),
    ),
    "secretary": RolePages(
        "secretary",
        (
            HOME,
            Screen("exports", "exports:pending"),
            Screen("proposals", "proposals:list"),
            Screen("conventions", "conventions:list"),
        ),
    ),
    "subdistrict": RolePages(
        "subdistrict",
        (
            HOME,
            Screen("evaluation", "insights:evaluation"),
            Screen("kpis", "appeals:kpis"),
            Screen("notice-figures", "notices:figures"),
        ),
    ),
    "district": RolePages(
        "district",
        (
            HOME,
            Screen("evaluation", "insights:evaluation"),
            Screen("points", "points:overview"),
            Screen("organisations", "orgs:organization_list"),
        ),
    ),
    "system-admin": RolePages(
        "sysadmin",
        (
            HOME,
            Screen("categories", "appeals:category_list"),
            Screen("indicators", "insights:indicator_list"),
            Screen("delivery", "notifications:delivery"),
        ),
    ),
    "security-admin": RolePages("secadmin", (HOME,)),
    # The order of events at the same instant depends on which tests signed in first: the rows are masked,
    # the page around them (filters, headings, the seal's state) is compared.
    "auditor": RolePages("auditor", (Screen("home", "/", mask=("main table tbody",)),)),
}

# Violations accepted on these pages, each naming the element and why: none.
KNOWN_SHELL_VIOLATIONS: tuple[Known, ...] = ()


@dataclass(frozen=True)
class Site:
    url: str
    cookies: dict[str, list[dict[str, Any]]]  # by username: the signed-in session's cookie


@pytest.fixture(scope="module")
def demo_site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Site]:
    """The demo, loaded at FIXED_NOW, each demo user signed in (second factor passed), and a live server
    of its own sharing the database connection (see the module's notes)."""
    from pytest_django.live_server_helper import LiveServer

    # The event loop of Playwright's client keeps the real clock (its timeouts must run).
    clock = freeze_time(FIXED_NOW, tick=False, real_asyncio=True, ignore=["playwright", "greenlet"])
    with django_db_blocker.unblock():
        clock.start()
        outer = transaction.atomic()
        outer.__enter__()
        server = None
        try:
            if connection.vendor == "sqlite":
                # Ids (and so the appeals' numbers) start after the rows present, whatever ran before.
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM sqlite_sequence")
            call_command("demo", stdout=io.StringIO())
            cookies = {}
            for pages in ROLES.values():
                client = sign_in_verified(Client(), User.objects.get(username=pages.username))
                session = client.cookies[settings.SESSION_COOKIE_NAME].value
                cookies[pages.username] = [{"name": settings.SESSION_COOKIE_NAME, "value": session}]
            server = LiveServer("localhost:0")
            for username in cookies:
                cookies[username][0]["url"] = server.url
            yield Site(url=server.url, cookies=cookies)
        finally:
            if server is not None:
                # Requests still being closed (the last pages' connections) finish before the server stops
                # sharing the connection with their threads.
                for thread in threading.enumerate():
                    if "process_request_thread" in thread.name:
                        thread.join(timeout=10)
                server.stop()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            clock.stop()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("role", list(ROLES))
def test_role_pages_are_accessible_and_look_as_reviewed(
    role: str, viewport: str, demo_site: Site, still_page: Any
) -> None:
    pages = ROLES[role]
    page = still_page(viewport, demo_site.cookies[pages.username])
    problems: list[str] = []
    for screen in pages.screens:
        name = f"{role}-{screen.key}-{viewport}"
        errors_before = len(page.console_errors)
        response = page.goto(demo_site.url + screen.path)
        if response is None or response.status != 200:
            problems.append(f"{name}: {screen.path} answered {response.status if response else 'nothing'}")
            continue
        if "/accounts/login/" in page.url:
            problems.append(f"{name}: {screen.path} sent the signed-in user to the login page")
            continue
        problem = check(capture(page, mask=screen.mask), name)
        if problem:
            problems.append(problem)
        found = blocking(run_axe(page), KNOWN_SHELL_VIOLATIONS)
        if found:
            problems.append(describe(found, f"{name} ({screen.path})"))
        errors = page.console_errors[errors_before:]
        if errors:
            problems.append(f"{name}: console errors: {errors}")
    assert not problems, "\n\n".join(problems)
