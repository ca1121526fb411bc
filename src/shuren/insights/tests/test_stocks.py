"""Stocks (residents, households, places, organisations, open work ...) at the end of any period a
dashboard or a report asks for, from one function (figures.stocks_on); and the monthly report says,
figure by figure, what the dashboard says for the same area and period."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from shuren.accounts.models import User
from shuren.insights import rollups
from shuren.insights.evaluation import period_of
from shuren.insights.figures import CHILD_COLUMNS, KPI_NAMES, kpis_for
from shuren.insights.forms import last_month
from shuren.insights.models import PeriodKind
from shuren.insights.reports.document import shown
from shuren.insights.reports.monthly import SECTIONS, build_document
from shuren.insights.reports.pdf import render_pdf
from shuren.insights.reports.xlsx import render_xlsx
from shuren.insights.rollups.stocks import OPEN_WORK
from shuren.insights.tests.test_report_rendering import page_text
from shuren.orgs.models import Organization, OrganizationKind
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Estate

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 6, 4, 0, tzinfo=dt.UTC)  # noon in Foshan
BEFORE_ANY_DATA = (dt.date(2020, 1, 1), dt.date(2020, 1, 31))
SECTION_KEYS = [key for key, _names in SECTIONS]


def under(area: Area, field: str = "scope") -> Q:
    return Q(**{field: area.path}) | Q(**{f"{field}__startswith": area.path + "."})


def registry(area: Area) -> dict[str, int]:
    """The registry's stocks of ``area``, counted from the raw tables now."""
    return {
        "residents": Person.objects.filter(under(area)).count(),
        "estates": Estate.objects.filter(under(area)).count(),
        "buildings": Building.objects.filter(under(area)).count(),
        "communities": Area.objects.filter(under(area, "path"), kind=AreaKind.COMMUNITY).count(),
        "grids": Area.objects.filter(under(area, "path"), kind=AreaKind.GRID).count(),
    }


def assert_registry(area: Area, start: dt.date, end: dt.date) -> None:
    kpis = kpis_for(area, start, end)
    assert {name: kpis[name] for name in registry(area)} == registry(area), (area.name, start, end)


@pytest.fixture
def places(tree):
    estate = Estate.objects.create(community=tree["com_a"], name="富丰新城")
    for number, grid in (("1座", "grid_a1"), ("2座", "grid_a1"), ("3座", "grid_a2")):
        Building.objects.create(estate=estate, grid=tree[grid], number=number)
    for name in ("陈一", "李二", "张三"):
        Person.objects.create(community=tree["com_a"], name=name)
    Person.objects.create(community=tree["com_b"], name="王四")
    return tree


def test_a_registry_first_counted_today_was_there_last_month_and_before(places):
    """The demo's case: the registry is loaded and counted today, the report is for last month."""
    rollups.rebuild(now=NOW)
    today = timezone.localdate(NOW)
    last_first = last_month(today)
    periods = [
        (last_first, period_of(PeriodKind.MONTH, last_first)[1]),  # last month
        (today.replace(day=1), today),  # this month
        BEFORE_ANY_DATA,
        (dt.date(2026, 9, 1), today),  # several months
    ]
    for area in places.values():
        for start, end in periods:
            assert_registry(area, start, end)
    district = kpis_for(places["district"], last_first, last_first + dt.timedelta(days=29))
    assert district["residents"] == 4 and district["buildings"] == 3 and district["estates"] == 1
    # Open work changes with time alone: today's count says nothing about last month.
    assert all(district[name] is None for name in OPEN_WORK)
    today_kpis = kpis_for(places["district"], today, today)
    assert all(today_kpis[name] == 0 for name in OPEN_WORK)


def test_a_past_month_keeps_its_own_count_and_earlier_months_take_the_first(places):
    counted = dt.datetime(2026, 11, 20, 4, 0, tzinfo=dt.UTC)
    rollups.rebuild(now=counted)
    for name in ("赵五", "钱六"):
        Person.objects.create(community=places["com_a"], name=name)
    Organization.objects.create(area=places["com_a"], name="大新社区志愿服务队", kind=OrganizationKind.VOLUNTEER_TEAM)
    rollups.rebuild(now=NOW)
    com_a = places["com_a"]

    november = kpis_for(com_a, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert november["residents"] == 3 and november.organizations == {}
    assert november["appeals_open"] == 0  # counted that month: known
    december = kpis_for(com_a, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert december["residents"] == 5 and december.organizations == {"volunteer_team": 1}
    october = kpis_for(com_a, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert october["residents"] == 3 and october["appeals_open"] is None
    # A range ending last month ends with last month's count.
    assert kpis_for(com_a, dt.date(2026, 9, 1), dt.date(2026, 11, 30))["residents"] == 3


# --- the monthly report against the dashboard -----------------------------------------------------


def same(cell: object, value: float | None) -> bool:
    """A report cell shows the dashboard's value: "—" for None, a rate as "93.5%", else the number."""
    if value is None:
        return cell is None
    if isinstance(cell, str):
        return cell == f"{value:g}%"
    return cell == value


def dashboard(client, area: Area, start: dt.date, end: dt.date, today: dt.date) -> tuple[dict, dict]:
    """The dashboard's values for the period, and its children's, as its page shows them."""
    if (start, end) == (today.replace(day=1), today):
        query = {"preset": "month"}
    elif start == last_month(today) and end == today.replace(day=1) - dt.timedelta(days=1):
        query = {"preset": "last_month"}
    else:
        query = {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    response = client.get(f"/insights/areas/{area.pk}/", query)
    assert response.status_code == 200
    assert (response.context["start"], response.context["end"]) == (start, end)
    children = {child.name: dict(values) for child, values in response.context["children"]}
    return response.context["values"], children


def assert_report_says_what_the_dashboard_says(client, area: Area, month: dt.date, today: dt.date) -> None:
    document = build_document(area, month)
    first, last = period_of(PeriodKind.MONTH, month)
    before_first, before_last = period_of(PeriodKind.MONTH, first - dt.timedelta(days=1))
    on_page, children = dashboard(client, area, first, min(last, today), today)
    on_page_before, _children = dashboard(client, area, before_first, before_last, today)
    for (_key, names), section in zip(SECTIONS, document.sections, strict=False):
        rows = section.tables[0].rows
        assert len(rows) == len(names)
        for name, (_label, cell, cell_before) in zip(names, rows, strict=True):
            assert same(cell, on_page[name]), (area.name, f"{month:%Y-%m}", name, cell, on_page[name])
            assert same(cell_before, on_page_before[name]), (area.name, f"{before_first:%Y-%m}", name)
    if children:
        [table] = document.sections[len(SECTIONS)].tables
        assert [row[0] for row in table.rows] == list(children)
        for child, *cells in table.rows:
            for column, cell in zip(CHILD_COLUMNS, cells, strict=True):
                assert same(cell, children[str(child)][column]), (area.name, child, column)


@pytest.mark.slow
def test_the_monthly_report_says_what_the_dashboard_says_for_every_level_and_period(verified_client):
    """Reported by acceptance: the November report of 桂城街道 said 0 residents, 0 households, 0
    estates and 0 buildings beside its appeals, while its dashboard showed 89, 2 and 26. The demo
    loads its registry today and its activity over past months."""
    call_command("demo", stdout=io.StringIO())
    client = verified_client(User.objects.get(username="district"))
    today = timezone.localdate()
    subdistrict = Area.objects.get(name="桂城街道")
    community = Area.objects.get(path="440605.01.017")
    grid = Area.objects.filter(parent=community).order_by("path").first()
    district = subdistrict.parent
    areas = [district, subdistrict, community, grid]

    for area in areas:
        for month in (last_month(today), today.replace(day=1), BEFORE_ANY_DATA[0]):
            assert_report_says_what_the_dashboard_says(client, area, month, today)
        for start, end in (
            (last_month(today), period_of(PeriodKind.MONTH, last_month(today))[1]),
            BEFORE_ANY_DATA,
            (today.replace(day=1) - dt.timedelta(days=120), today),
        ):
            assert_registry(area, start, end)
        # A range of months: the API answers what the page shows.
        start = (today.replace(day=1) - dt.timedelta(days=70)).replace(day=1)
        on_page, _children = dashboard(client, area, start, today, today)
        answer = client.get(
            f"/api/v1/insights/areas/{area.pk}/kpis/", {"start": f"{start:%Y-%m-%d}", "end": f"{today:%Y-%m-%d}"}
        )
        assert answer.status_code == 200
        assert answer.json()["kpis"] == on_page

    # The case of the issue, in the files themselves: every figure of the sections, in the
    # spreadsheet and in the PDF made from the same document.
    document = build_document(subdistrict, last_month(today))
    counted = registry(subdistrict)
    assert counted["residents"] > 0 and counted["buildings"] > 0 and counted["estates"] > 0
    figures = {row[0]: row for section in document.sections[: len(SECTIONS)] for row in section.tables[0].rows}
    for name in ("residents", "buildings", "estates"):
        assert figures[str(KPI_NAMES[name].label)][1:] == [counted[name], counted[name]], name
    # Rates over residents divide by the same residents; open work before the first count is "—",
    # and the report says why.
    month_kpis = kpis_for(subdistrict, *period_of(PeriodKind.MONTH, last_month(today)))
    assert month_kpis["received"] and month_kpis["service_hours"]
    assert month_kpis["appeals_per_1000"] == round(month_kpis["received"] * 1000 / counted["residents"], 1)
    assert month_kpis["service_hours_per_1000"] == round(month_kpis["service_hours"] * 1000 / counted["residents"], 1)
    assert month_kpis["appeals_open"] is None and figures[str(KPI_NAMES["appeals_open"].label)][1] is None
    assert len(document.sections[SECTION_KEYS.index("appeals")].notes) == 1
    assert not document.sections[SECTION_KEYS.index("people")].notes
    book = load_workbook(io.BytesIO(render_xlsx(document)))
    in_sheets = {
        row[0]: list(row[:3])
        for sheet in book.worksheets[: len(SECTIONS)]
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] in figures
    }
    assert in_sheets == {label: [c if c is not None else "—" for c in row] for label, row in figures.items()}
    pdf = PdfReader(io.BytesIO(render_pdf(document, page_format="{page}/{pages}")))
    lines = [line for page in pdf.pages for line in page_text(page).splitlines() if line.strip()]
    for label, row in figures.items():
        at = lines.index(label)
        assert lines[at : at + 3] == [shown(cell) for cell in row], label
