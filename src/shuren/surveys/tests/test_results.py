"""The arithmetic of the results, their filters, the charts behind them and the number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuren.surveys import selectors, services
from shuren.surveys.keywords import top_terms, words_of
from shuren.surveys.models import Question
from shuren.surveys.results import average, median, percent, tabulate

from .conftest import answers_for, open_survey


def test_percentages_round_half_up_to_one_decimal_and_averages_to_two():
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 goes up
    assert percent(0, 0) is None
    assert average([4, 5, 5]) == Decimal("4.67")
    assert average([]) is None
    assert median([Decimal(3), Decimal(1), Decimal(2), Decimal(10)]) == Decimal("2.50")


def test_tabulated_answers_give_counts_shares_averages_and_matrix_tables():
    single = Question(pk=1, position=1, kind="single", text="s", options=["是", "否"])
    multiple = Question(pk=2, position=2, kind="multiple", text="m", options=["a", "b", "c"])
    scale = Question(pk=3, position=3, kind="scale", text="sc")
    number = Question(pk=4, position=4, kind="number", text="n")
    matrix = Question(pk=5, position=5, kind="matrix", text="mx", rows=["保安", "保洁"])
    answers = [
        (1, 0, ""), (1, 0, ""), (1, 1, ""),
        (2, [0, 1], ""), (2, [1], ""), (2, [1, 2], ""), (2, [0], ""),
        (3, 5, ""), (3, 4, ""), (3, 4, ""), (3, 1, ""),
        (4, "10", ""), (4, "12.5", ""), (4, "20", ""),
        (5, [5, 3], ""), (5, [4, None], ""),
    ]  # fmt: skip
    results = {r.question.pk: r for r in tabulate([single, multiple, scale, number, matrix], answers)}
    assert [(line.label, line.count, line.share) for line in results[1].lines] == [
        ("是", 2, Decimal("66.7")),
        ("否", 1, Decimal("33.3")),
    ]
    assert [(line.count, line.share) for line in results[2].lines] == [
        (2, Decimal("50.0")),
        (3, Decimal("75.0")),
        (1, Decimal("25.0")),
    ]  # shares of multiple choice add up to more than 100 %
    assert results[3].answered == 4 and results[3].average == Decimal("3.50")
    assert [line.count for line in results[3].lines] == [1, 0, 0, 2, 1]
    assert (results[4].average, results[4].smallest, results[4].median, results[4].largest) == (
        Decimal("14.17"),
        Decimal("10"),
        Decimal("12.5"),
        Decimal("20"),
    )
    guard, clean = results[5].matrix
    assert (guard.counts, guard.answered, guard.average) == ([0, 0, 0, 1, 1], 2, Decimal("4.50"))
    assert (clean.counts, clean.answered, clean.average) == ([0, 0, 1, 0, 0], 1, Decimal("3.00"))
    # The chart of each question is the same figures as its table.
    assert results[1].chart is not None and results[1].chart.rows() == [("是", [2]), ("否", [1])]
    assert results[5].chart is not None and results[5].chart.rows() == [("保安", [4.5]), ("保洁", [3.0])]
    assert results[4].chart is None


def test_keywords_leave_out_stopwords_numbers_and_placeholders_and_count_each_answer_once():
    texts = [
        "希望增加电动车充电桩，充电桩太少",
        "电动车充电桩不够",
        "楼道灯坏了 [电话] 13912345678",
        "",
    ]
    terms = dict(top_terms(texts))
    assert terms["充电桩"] == 2 and terms["电动车"] == 2
    assert "希望" not in terms and "13912345678" not in terms and "电话" not in terms
    assert words_of("的 了 是") == set()


def test_results_are_narrowed_by_grid_building_and_group_and_give_the_response_rate(world):
    survey = open_survey(world)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey, p1=5))
    services.submit_response(actor=world.users["zhaomin"], survey=survey, answers=answers_for(survey, p1=2))
    whole = selectors.results_of(survey, staff=True)
    assert (whole.responses, whole.asked, whole.rate) == (2, 3, Decimal("66.7"))
    assert whole.questions[0].average == Decimal("3.50")
    grid2 = selectors.results_of(survey, staff=True, grid=world.tree["grid_a2"])
    assert grid2.responses == 1 and grid2.questions[0].average == Decimal("2.00") and grid2.rate is None
    building1 = selectors.results_of(survey, staff=True, building=world.buildings["1座"])
    assert building1.responses == 1 and building1.questions[0].average == Decimal("5.00")
    newcomers = selectors.results_of(survey, staff=True, tag=world.tags["newcomer"])
    assert newcomers.responses == 1 and newcomers.questions[0].average == Decimal("5.00")


def test_an_anonymous_surveys_results_narrowed_to_a_few_responses_are_not_shown(world):
    survey = open_survey(world, is_anonymous=True)
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    services.submit_response(actor=world.users["zhaomin"], survey=survey, answers=answers_for(survey))
    narrowed = selectors.results_of(survey, staff=True, building=world.buildings["2座"])
    assert narrowed.suppressed and narrowed.responses == 1 and narrowed.questions == []
    whole = selectors.results_of(survey, staff=True)
    assert not whole.suppressed and whole.questions[0].answered == 2
    named = open_survey(world, title="实名")
    services.submit_response(actor=world.users["zhaomin"], survey=named, answers=answers_for(named))
    assert not selectors.results_of(named, staff=True, building=world.buildings["2座"]).suppressed


def test_a_filter_of_another_survey_or_place_is_ignored_not_obeyed(world):
    survey = open_survey(world)
    chosen = selectors.result_filters(survey, {"grid": str(world.tree["grid_b1"].pk), "building": "x"})
    assert chosen == {"grid": None, "building": None, "tag": None}


@pytest.mark.parametrize("staff", [True, False])
def test_the_results_take_the_same_queries_for_one_response_as_for_many(world, staff):
    survey = open_survey(world, one_per="resident")
    services.submit_response(actor=world.users["wangfang"], survey=survey, answers=answers_for(survey))
    with CaptureQueriesContext(connection) as one:
        selectors.results_of(survey, staff=staff)
    for username in ("liqiang", "zhangwei", "zhaomin"):
        services.submit_response(actor=world.users[username], survey=survey, answers=answers_for(survey))
    with CaptureQueriesContext(connection) as many:
        results = selectors.results_of(survey, staff=staff)
    assert results.responses == 4
    assert len(many) == len(one) <= (3 if staff else 4)  # residents': the community's names to redact
