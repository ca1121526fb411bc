"""The shared components render what pages rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Your full name", max_length=5)


def render(source: str, **context) -> str:
    return Template("{% load shuren_ui %}" + source).render(Context(context))


def test_form_row_keeps_the_input_and_links_the_error():
    form = SampleForm({"name": "toolongname"})
    assert not form.is_valid()
    html = render("{% form_row form.name %}", form=form)
    assert 'value="toolongname"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_name_help id_name_counter id_name_errors"' in html
    assert 'id="id_name_errors"' in html and "is-invalid" in html


def test_status_badge_colours_by_status():
    assert "text-bg-danger" in render('{% status_badge "overdue" "逾期" %}')
    assert "text-bg-success" in render('{% status_badge "resolved" "已解决" %}')
    assert "text-bg-secondary" in render('{% status_badge "something-new" "新" %}')


def test_timeline_lists_events_in_order():
    events = [
        {"at": dt.datetime(2026, 11, 1, 9, 0), "actor": "网格员", "text": "受理"},
        {
            "at": dt.datetime(2026, 11, 2, 10, 0),
            "actor": "物业",
            "text": "已处理",
            "status": "resolved",
            "status_label": "已解决",
        },
    ]
    html = render("{% timeline events %}", events=events)
    assert html.index("受理") < html.index("已处理")
    assert "2026-11-02 10:00" in html and "text-bg-success" in html


def _payload(html: str, chart_id: str) -> dict:
    import json
    import re

    found = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))


def test_chart_card_carries_its_data_and_the_same_table_shown_until_the_chart_is_drawn():
    import re

    html = render(
        '{% chart_card "c1" "标题" "bar" labels series "人" %}',
        labels=["一网格", "二网格"],
        series=[{"name": "人口", "data": [120, 80]}],
    )
    payload = _payload(html, "c1")
    assert payload["labels"] == ["一网格", "二网格"] and payload["series"][0]["data"] == [120, 80]
    assert payload["integer"] is True  # people are counted in whole numbers
    flat = re.sub(r">\s+<", "><", html)
    assert '<th scope="row">二网格</th><td>80</td>' in flat
    # Without JavaScript the table is what shows; the chart's place and the toggle wait for charts.js.
    table = re.search(r'<div class="table-responsive chart-table" id="c1-table">', html)
    assert table is not None and "d-none" not in table.group(0)
    assert re.search(r'<div class="chart"[^>]*id="c1"[^>]*hidden>', flat)
    assert re.search(r'data-chart-toggle="c1"[^>]*hidden>', flat)


def test_a_chart_built_by_the_view_keeps_its_measure():
    from shuren.core import charts

    rates = charts.chart("bar", ["响应率", "满意率"], [{"name": "比率", "data": [87.5, 0]}], measure=charts.PERCENT)
    html = render('{% chart_card "r" "比率" chart %}', chart=rates)
    payload = _payload(html, "r")
    assert payload["percent"] is True and payload["integer"] is False
    assert "<td>87.5</td>" in html and "<td>0</td>" in html


def test_an_empty_chart_says_so_instead_of_drawing_bare_axes():
    from django.utils import translation

    with translation.override("zh-hans"):
        html = render(
            '{% chart_card "e" "热点类别" "bar" labels series %}',
            labels=["环境", "治安"],
            series=[{"name": "诉求", "data": [0, 0]}],
        )
    assert "暂无数据" in html and "data-chart-empty" in html
    assert "data-chart=" not in html and "e-data" not in html and "data-chart-toggle" not in html
    with translation.override("en"):
        assert "No data yet" in render('{% chart_card "e" "Hot" "line" labels series %}', labels=[], series=[])


@pytest.mark.parametrize(
    ("percent", "step"), [(0, 0), (24.9, 0), (25, 25), (60, 50), (99, 75), (100, 100), (130, 100), (None, 0), ("x", 0)]
)
def test_a_progress_bar_is_drawn_at_the_width_step_at_or_below_its_share(percent, step):
    assert render("w-{{ p|width_step }}", p=percent) == f"w-{step}"


def test_a_list_in_running_text_is_separated_as_the_language_writes_it():
    from django.utils import translation

    rooms = [{"address": "3座1单元101"}, {"address": ""}, {"address": "3座1单元102"}]
    with translation.override("zh-hans"):
        assert render('{{ rooms|listing:"address" }}', rooms=rooms) == "3座1单元101、3座1单元102"
        assert render('{{ none|listing|default:"—" }}', none=[]) == "—"
    with translation.override("en"):
        assert render("{{ names|listing }}", names=["Lin", "Wang"]) == "Lin, Wang"
    # A path walks attributes and indexes; what it cannot reach is left out; the result is escaped.
    voters = [{"dwellings": [{"address": "<b>101</b>"}]}, {"dwellings": []}]
    assert render('{{ voters|listing:"dwellings.0.address" }}', voters=voters) == "&lt;b&gt;101&lt;/b&gt;"
