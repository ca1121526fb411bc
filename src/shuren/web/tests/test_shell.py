"""The shell every page shares: home by role, CSP-clean templates, vendored assets, translations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from shuren.accounts.roles import Role

SRC = Path(__file__).resolve().parents[2]

HOMES = {
    Role.RESIDENT: "/me/",
    Role.VOLUNTEER: "/me/",
    Role.BUILDING_LEADER: "/orgs/posts/mine/",
    Role.GRID_WORKER: "/dashboard/",
    Role.HANDLER: "/appeals/assigned/",
    Role.COMMUNITY_STAFF: "/dashboard/",
    Role.COMMUNITY_SECRETARY: "/dashboard/",
    Role.SUBDISTRICT_STAFF: "/dashboard/",
    Role.DISTRICT_STAFF: "/dashboard/",
    Role.SYSTEM_ADMIN: "/places/areas/",
    Role.SECURITY_ADMIN: "/admin/accounts/users/",
    Role.AUDITOR: "/audit/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_role_lands_on_its_own_home_page(role, user_for_role, verified_client):
    client = verified_client(user_for_role(role))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == HOMES[role]
    assert client.get(HOMES[role]).status_code == 200


@pytest.mark.django_db
def test_the_dashboard_has_charts_with_tables_behind_them(user_for_role, verified_client):
    html = verified_client(user_for_role(Role.COMMUNITY_STAFF)).get("/dashboard/").content.decode()
    cards = re.findall(r'data-chart-card="([a-z-]+)"', html)
    assert len(cards) >= 8
    for card in cards:  # a chart with its figures and their table, or "no data yet" for a new community
        drawn = f'data-chart="{card}-data"' in html
        assert drawn == (f'id="{card}-data" type="application/json"' in html) == (f'id="{card}-table"' in html)
        assert drawn != bool(re.search(rf'id="{card}"\s+data-chart-empty', html))
    assert 'data-testid="dashboard-area">大新社区<' in html


@pytest.mark.django_db
def test_roles_that_read_no_figures_keep_the_plain_overview(user_for_role, verified_client):
    html = verified_client(user_for_role(Role.BUILDING_LEADER)).get("/dashboard/").content.decode()
    assert 'id="chart-areas-table"' in html and 'data-testid="dashboard-area"' not in html


def _templates() -> list[Path]:
    return list(SRC.rglob("templates/**/*.html"))


def test_templates_hold_no_inline_scripts_or_styles():
    offenders = []
    for path in _templates():
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text) or "<style" in text:
            offenders.append(str(path.relative_to(SRC)))
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.relative_to(SRC)} (event handler attribute)")
    assert offenders == []


def test_vendored_assets_are_present_and_recorded():
    vendor = SRC / "web" / "static" / "vendor"
    for name in (
        "bootstrap/bootstrap.min.css",
        "bootstrap/bootstrap.bundle.min.js",
        "htmx/htmx.min.js",
        "echarts/echarts.min.js",
        "bootstrap-icons/bootstrap-icons.min.css",
        "bootstrap-icons/fonts/bootstrap-icons.woff2",
        "bootstrap-icons/fonts/bootstrap-icons.woff",
    ):
        assert (vendor / name).stat().st_size > 10_000, name
    versions = (vendor / "VERSIONS.md").read_text()
    assert all(pkg in versions for pkg in ("bootstrap", "htmx.org", "echarts", "bootstrap-icons"))


def test_no_template_loads_anything_from_another_site():
    for path in _templates():
        assert not re.search(r"(src|href)=\"(https?:)?//", path.read_text()), path


def test_the_chinese_translation_is_complete():
    import polib

    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    mo = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    assert mo.stat().st_mtime >= (mo.parent / "django.po").stat().st_mtime - 1


def test_every_source_string_is_in_the_catalogue(tmp_path):
    """makemessages over the sources finds no msgid the catalogue lacks (no string left untranslatable)."""
    import shutil
    import subprocess
    import sys

    import polib

    if shutil.which("xgettext") is None:
        raise AssertionError("gettext is missing: make test installs it")
    work = tmp_path / "shuren"
    shutil.copytree(SRC, work, ignore=shutil.ignore_patterns("tests", "static", "__pycache__"))
    repo = SRC.parents[1]  # for tests.testapp, which the test settings install
    env = {
        "PYTHONPATH": f"{tmp_path}:{repo}",
        "DJANGO_SETTINGS_MODULE": "shuren.settings.test",
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    shipped = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = sorted({e.msgid for e in fresh} - {e.msgid for e in shipped})
    assert missing == [], f"run makemessages and translate: {missing}"
