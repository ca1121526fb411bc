"""Dashboards in a real browser: district staff open each level from the district down to a grid,
in Chinese and in English, see the charts drawn with their tables behind them, and export the
monthly report."""

from __future__ import annotations

import io
from typing import Any

import pytest
from conftest import PASSWORD
from django.core.management import call_command

from shuren.accounts.models import User
from shuren.insights.models import MonthlyReport, ReportStatus
from tests.browser.test_sign_in_journeys import _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

LEVELS = ["南海区", "桂城街道", "大新社区", "大新第1网格"]


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo", stdout=io.StringIO())


def _level(page: Any) -> str:
    return page.locator("[data-testid=dashboard-area]").inner_text().strip()


def _charts_are_drawn(page: Any) -> None:
    page.wait_for_selector("#chart-appeal-trend canvas")
    # Every chart card draws its chart, or says it has nothing to show.
    drawn = page.locator("[data-chart]").count()
    assert page.locator("[data-chart] canvas").count() == drawn >= 4
    assert page.locator("[data-chart-card]").count() == drawn + page.locator("[data-chart-empty]").count() >= 8
    # The table behind a chart, one click away.
    page.click("[data-chart-toggle=chart-appeal-trend]")
    assert page.locator("#chart-appeal-trend-table").is_visible()
    page.click("[data-chart-toggle=chart-appeal-trend]")


def test_district_staff_drill_down_every_level_in_both_languages_and_export_the_report(
    page: Any, live_server: Any, demo: None
) -> None:
    staff = User.objects.get(username="district")
    staff.set_password(PASSWORD)  # the demo's own password is printed by `make demo`, not known here
    staff.save()
    _sign_in_with_code(page, live_server.url, staff)
    names = [LEVELS[0]]
    assert _level(page) == LEVELS[0]
    _charts_are_drawn(page)
    assert "接诉即办" in page.content()
    for name in LEVELS[1:]:
        with page.expect_navigation():
            page.locator("[data-testid=drill-down]").get_by_role("link", name=name, exact=True).click()
        assert _level(page) == name
        assert "人口与特殊群体" in page.locator("[data-testid=section-people]").inner_text()
        _charts_are_drawn(page)
        names.append(name)
    assert names == LEVELS
    assert page.locator("[data-testid=drill-down]").count() == 0  # a grid has no areas below it

    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    for name in reversed(LEVELS[:-1]):
        assert "Appeals answered at once" in page.content() and "Population and special groups" in page.content()
        _charts_are_drawn(page)
        with page.expect_navigation():
            page.locator("[data-testid=breadcrumb]").get_by_role("link", name=name, exact=True).click()
        assert _level(page) == name
    assert "Response rate" in page.content()

    # A period of my own choosing: the dates stay in the form.
    page.select_option("#id_preset", "custom")
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-06-30")
    with page.expect_navigation():
        page.click("[data-testid=period-form] button[type=submit]")
    assert "2026-01-01" in page.locator("[data-testid=period]").inner_text()

    # The monthly report, prepared by the worker and downloaded as PDF and xlsx.
    with page.expect_navigation():
        page.click("[data-testid=monthly-reports]")
    with page.expect_navigation():
        page.click("[data-testid=request-report]")
    # While a report is pending the page refreshes its table every 3 s. The page is left while the
    # worker runs: the test database (SQLite's shared in-memory one) locks a table the worker writes
    # against the live server's reads, which a file database in WAL mode does not.
    reports_url = page.url
    page.goto("about:blank")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert MonthlyReport.objects.get().status == ReportStatus.READY
    page.goto(reports_url)
    with page.expect_download() as download:
        page.click("[data-testid=download-pdf]")
    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as download:
        page.click("[data-testid=download-xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.console_errors == []
