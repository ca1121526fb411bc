"""The payload of every chart (core.charts): counts on whole-number axes, rates on 0–100, every
value matched with its label, and "nothing to show" when there is nothing to show."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shuren.core import charts


def test_counts_are_the_default_and_ask_for_a_whole_number_axis():
    chart = charts.chart("bar", ["一网格", "二网格"], [{"name": "人口", "data": [1, 2]}])
    payload = chart.payload()
    assert payload["integer"] is True and payload["percent"] is False and payload["measure"] == "count"
    assert payload["labels"] == ["一网格", "二网格"] and payload["series"] == [{"name": "人口", "data": [1, 2]}]
    assert payload["empty"] is False


def test_counts_added_up_as_floats_are_shown_as_whole_numbers():
    # The roll-ups add the days' counts as floats: 3.0 appeals is 3 appeals, in the chart and its table.
    chart = charts.chart("line", ["12-01", "12-02"], [{"name": "诉求", "data": [3.0, 0.0]}])
    assert chart.payload()["series"][0]["data"] == [3, 0]
    assert all(isinstance(v, int) for v in chart.payload()["series"][0]["data"])
    assert chart.rows() == [("12-01", [3]), ("12-02", [0])]


def test_a_fractional_count_is_refused_rather_than_drawn():
    with pytest.raises(ValueError, match="whole number"):
        charts.chart("bar", ["甲"], [{"name": "人", "data": [0.5]}])


def test_rates_are_percent_on_a_zero_to_hundred_axis_and_amounts_keep_their_decimals():
    rates = charts.chart("bar", ["响应率"], [{"name": "比率", "data": [87.5]}], unit="%", measure=charts.PERCENT)
    assert rates.payload()["percent"] is True and rates.payload()["integer"] is False
    hours = charts.chart("bar", ["11-01"], [{"name": "服务时长", "data": [Decimal("1.5")]}], measure=charts.AMOUNT)
    assert hours.payload()["integer"] is False and hours.payload()["series"][0]["data"] == [1.5]


@pytest.mark.parametrize(
    ("labels", "data", "measure", "empty"),
    [
        ([], [], charts.COUNT, True),  # no category at all
        (["甲", "乙"], [0, 0], charts.COUNT, True),  # nothing happened
        (["甲", "乙"], [None, None], charts.COUNT, True),  # nothing counted
        (["甲", "乙"], [0, 1], charts.COUNT, False),
        (["甲"], [0.0], charts.AMOUNT, True),
        (["响应率"], [0.0], charts.PERCENT, False),  # a rate of 0 % is a figure
        (["响应率"], [None], charts.PERCENT, True),
    ],
)
def test_a_chart_with_nothing_to_show_is_empty(labels, data, measure, empty):
    chart = charts.chart("bar", labels, [{"name": "数", "data": data}], measure=measure)
    assert chart.empty is empty and chart.payload()["empty"] is empty


def test_every_series_matches_the_labels_and_the_kind_and_measure_are_known():
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        charts.chart("bar", ["a", "b", "c"], [{"name": "x", "data": [1, 2]}])
    with pytest.raises(ValueError, match="kind"):
        charts.chart("area", ["a"], [{"name": "x", "data": [1]}])
    with pytest.raises(ValueError, match="measure"):
        charts.chart("bar", ["a"], [{"name": "x", "data": [1]}], measure="money")
    with pytest.raises(ValueError, match="one series"):
        charts.chart("pie", ["a"], [{"name": "x", "data": [1]}, {"name": "y", "data": [2]}])


def test_the_table_behind_the_chart_has_a_row_per_label_and_a_cell_per_series():
    chart = charts.chart(
        "bar", ["社区甲", "社区乙"], [{"name": "已完成", "data": [3, 0]}, {"name": "未认领", "data": [None, 2]}]
    )
    assert chart.rows() == [("社区甲", [3, None]), ("社区乙", [0, 2])]
