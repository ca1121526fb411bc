"""Charts that tell the truth, in a real browser, with the small counts of a new community: the
community desk opens its dashboard and the appeal KPIs. Each chart drawn is read back from ECharts
(``echarts.getInstanceByDom(el).getOption()``): counts on whole-number axes (no tick at 0.5 of an
appeal), rates from 0 to 100, no line smoothed, every category labelled, no animation for a user who
asked for reduced motion; a chart with nothing to show says 暂无数据; without JavaScript the tables
show. The KPI page's date fields show the chosen dates (ISO, as the browser's date field needs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from shuren.appeals.testing import AppealWorld
from shuren.insights import rollups
from tests.browser.conftest import _open_page
from tests.browser.test_sign_in_journeys import _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

# What each drawn chart looks like to ECharts, and the ticks its value axis actually shows.
READ_CHARTS = """() => Array.from(document.querySelectorAll("[data-chart]")).map((el) => {
  const chart = echarts.getInstanceByDom(el);
  const payload = JSON.parse(document.getElementById(el.dataset.chart).textContent);
  if (!chart) { return { id: el.id, drawn: false }; }
  const option = chart.getOption();
  const axes = [...(option.xAxis || []), ...(option.yAxis || [])];
  const valueAxes = axes.filter((a) => a.type === "value");
  const categoryAxes = axes.filter((a) => a.type === "category");
  const ticks = [];
  for (const name of ["xAxis", "yAxis"]) {
    const component = chart.getModel().getComponent(name);
    if (component && component.axis && component.axis.type === "value") {
      ticks.push(...component.axis.scale.getTicks().map((t) => t.value));
    }
  }
  return {
    id: el.id, drawn: true, payload: payload, animation: option.animation,
    smooth: option.series.map((s) => s.smooth === true),
    valueAxes: valueAxes.map((a) => ({ minInterval: a.minInterval, min: a.min, max: a.max })),
    categoryAxes: categoryAxes.map((a) => ({ interval: a.axisLabel.interval, labels: a.data.length })),
    ticks: ticks,
    canvas: el.querySelector("canvas") !== null,
    tableHidden: document.getElementById(el.id + "-table").classList.contains("d-none"),
  };
})"""


@pytest.fixture
def calm_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A desktop page of a user who asked for reduced motion (the charts draw without animation)."""
    yield from _open_page(browser, request, viewport={"width": 1280, "height": 900}, reduced_motion="reduce")


@pytest.fixture
def small_world(appeal_world: AppealWorld) -> AppealWorld:
    """Three appeals today in two categories, and the roll-ups brought up to date."""
    appeal_world.submit(category="ebike-charging")
    appeal_world.submit(category="ebike-charging", building=1)
    appeal_world.submit(category="noise", description="楼上每天凌晨两点还在装修，电钻声音很大")
    rollups.refresh()
    return appeal_world


def _assert_truthful(charts: list[dict[str, Any]], *, at_least: int) -> None:
    assert len(charts) >= at_least
    for chart in charts:
        assert chart["drawn"] and chart["canvas"] and chart["tableHidden"], chart["id"]
        assert chart["animation"] is False, chart["id"]  # reduced motion asked for
        assert not any(chart["smooth"]), chart["id"]  # a day's count is a point, never a wave
        payload = chart["payload"]
        if payload["kind"] == "pie":
            continue
        [category] = chart["categoryAxes"]
        assert category["interval"] == 0 and category["labels"] == len(payload["labels"]), chart["id"]
        [value] = chart["valueAxes"]
        if payload["integer"]:
            assert value["minInterval"] == 1, chart["id"]
            assert chart["ticks"] and all(float(t).is_integer() for t in chart["ticks"]), chart
        if payload["percent"]:
            assert (value["min"], value["max"]) == (0, 100), chart["id"]


def test_the_desk_reads_small_counts_on_whole_number_axes_and_empty_charts_say_so(
    calm_page: Any, live_server: Any, small_world: AppealWorld
) -> None:
    page = calm_page
    _sign_in_with_code(page, live_server.url, small_world.users["staff"])
    page.wait_for_selector("#chart-appeal-trend canvas")

    charts = page.evaluate(READ_CHARTS)
    _assert_truthful(charts, at_least=3)
    by_id = {chart["id"]: chart for chart in charts}
    trend = by_id["chart-appeal-trend"]
    assert trend["payload"]["kind"] == "line" and max(trend["payload"]["series"][0]["data"]) == 3
    assert max(trend["ticks"]) <= 4  # three appeals: ticks 0, 1, 2, 3 — not 0, 0.5, 1…
    assert by_id["chart-hot-categories"]["categoryAxes"][0]["labels"] == 2

    # A chart with nothing to show says so, in place of bare axes (no volunteering in this community).
    empty = page.locator("#chart-service[data-chart-empty]")
    assert empty.inner_text().strip() == "暂无数据"
    assert page.locator("[data-chart-card=chart-service] canvas").count() == 0

    # The table behind a chart, one click away, and back.
    page.click("[data-chart-toggle=chart-appeal-trend]")
    assert page.locator("#chart-appeal-trend-table").is_visible()
    assert not page.locator("#chart-appeal-trend").is_visible()
    page.click("[data-chart-toggle=chart-appeal-trend]")
    assert page.locator("#chart-appeal-trend canvas").is_visible()
    assert page.console_errors == []


def test_the_appeal_kpis_chart_the_period_and_keep_the_chosen_dates(
    calm_page: Any, live_server: Any, small_world: AppealWorld
) -> None:
    page = calm_page
    base = live_server.url
    _sign_in_with_code(page, base, small_world.users["staff"])
    page.goto(f"{base}/appeals/kpis/")
    today = timezone.localdate()
    # Unbound, the date fields show this month so far, written as the browser's date field needs.
    assert page.input_value("#id_start") == f"{today.replace(day=1):%Y-%m-%d}"
    assert page.input_value("#id_end") == f"{today:%Y-%m-%d}"
    page.wait_for_selector("#chart-appeals-over-time canvas")
    charts = page.evaluate(READ_CHARTS)
    _assert_truthful(charts, at_least=2)
    by_id = {chart["id"]: chart for chart in charts}
    assert sum(by_id["chart-appeals-over-time"]["payload"]["series"][0]["data"]) == 3
    assert sorted(by_id["chart-appeals-by-category"]["payload"]["series"][0]["data"]) == [1, 2]

    # A period of the user's choosing: the fields keep the dates, the charts follow.
    start, end = today - dt.timedelta(days=9), today
    page.fill("#id_start", f"{start:%Y-%m-%d}")
    page.fill("#id_end", f"{end:%Y-%m-%d}")
    with page.expect_navigation():
        page.click("[data-testid=kpi-period] button[type=submit]")
    assert page.input_value("#id_start") == f"{start:%Y-%m-%d}"
    assert page.input_value("#id_end") == f"{end:%Y-%m-%d}"
    page.wait_for_selector("#chart-appeals-over-time canvas")
    over_time = {c["id"]: c for c in page.evaluate(READ_CHARTS)}["chart-appeals-over-time"]
    assert over_time["categoryAxes"][0]["labels"] == 10 and over_time["categoryAxes"][0]["interval"] == 0

    # A period without appeals: no bare axes, the words instead.
    quiet = today - dt.timedelta(days=400)
    page.fill("#id_start", f"{quiet:%Y-%m-%d}")
    page.fill("#id_end", f"{quiet + dt.timedelta(days=6):%Y-%m-%d}")
    with page.expect_navigation():
        page.click("[data-testid=kpi-period] button[type=submit]")
    assert page.input_value("#id_start") == f"{quiet:%Y-%m-%d}"
    assert page.locator("[data-chart-empty]").all_inner_texts() == ["暂无数据", "暂无数据"]
    assert page.locator("[data-testid=kpi-charts] canvas").count() == 0
    assert page.console_errors == []


def test_without_javascript_the_tables_behind_the_charts_show(
    browser: Any, request: pytest.FixtureRequest, live_server: Any, small_world: AppealWorld
) -> None:
    staff = small_world.users["staff"]
    pages = _open_page(browser, request, viewport={"width": 1280, "height": 900})
    signing_in = next(pages)
    _sign_in_with_code(signing_in, live_server.url, staff)
    cookies = signing_in.context.cookies()
    bare = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=False)
    try:
        bare.add_cookies(cookies)
        page = bare.new_page()
        page.goto(f"{live_server.url}/appeals/kpis/")
        table = page.locator("#chart-appeals-by-category-table")
        assert table.is_visible()
        assert "电动车" in table.inner_text()
        assert not page.locator("#chart-appeals-by-category").is_visible()
        assert not page.locator("[data-chart-toggle=chart-appeals-by-category]").is_visible()
    finally:
        bare.close()
        pages.close()
