"""The evaluation index: formulas over KPI names only, scores by attainment of the target, ranks
shared on equal scores, history that keeps the definition it was computed with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import sign_in_verified
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from shuren.accounts.roles import Role
from shuren.core.errors import NotPermitted
from shuren.insights import evaluation, services
from shuren.insights.models import AppealDay, Direction, Evaluation, Indicator, PeriodKind, Stock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("response_rate +", "不是有效的算式"),
        ("bogus_kpi * 2", "未知的指标名称：bogus_kpi"),
        ("__import__('os')", "未知的指标名称"),
        ("[residents]", "公式只能使用"),
        ("residents.real", "公式只能使用"),
    ],
)
def test_a_formula_may_only_do_arithmetic_over_kpi_names(formula, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        evaluation.check_formula(formula)
    assert message in " ".join(raised.value.messages)


def test_a_formula_is_computed_and_is_empty_when_it_has_nothing_to_count():
    values = {"responded_on_time": 19, "response_due": 20, "months": 2, "meetings_held": 5, "rated": None}
    assert evaluation.evaluate("responded_on_time / response_due * 100", values) == 95.0
    assert evaluation.evaluate("min(meetings_held / months, 2)", values) == 2
    assert evaluation.evaluate("rated * 2", values) is None
    assert evaluation.evaluate("meetings_held / (months - 2)", values) is None  # divides by zero


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (95, "95", Direction.HIGHER, "1"),
        (120, "95", Direction.HIGHER, "1"),
        (47.5, "95", Direction.HIGHER, "0.5"),
        (-3, "95", Direction.HIGHER, "0"),
        (None, "95", Direction.HIGHER, "0"),
        (5, "5", Direction.LOWER, "1"),
        (0, "5", Direction.LOWER, "1"),
        (10, "5", Direction.LOWER, "0.5"),
    ],
)
def test_attainment_of_the_target(value, target, direction, expected):
    assert evaluation.attainment(value, Decimal(target), direction) == Decimal(expected)


@pytest.mark.parametrize(
    ("kind", "start", "first", "last"),
    [
        (PeriodKind.MONTH, dt.date(2026, 2, 10), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (PeriodKind.QUARTER, dt.date(2026, 11, 5), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (PeriodKind.YEAR, dt.date(2024, 6, 1), dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ],
)
def test_periods(kind, start, first, last):
    assert evaluation.period_of(kind, start) == (first, last)


@pytest.fixture
def two_communities(tree):
    """Community A and a second community of subdistrict A with known figures for October 2026."""
    from shuren.places.models import Area, AreaKind

    com_c = Area.objects.create(kind=AreaKind.COMMUNITY, code="020", name="灯湖社区", parent=tree["sub_a"])
    com_d = Area.objects.create(kind=AreaKind.COMMUNITY, code="021", name="平洲社区", parent=tree["sub_a"])
    Indicator.objects.all().delete()
    Indicator.objects.create(
        code="response", name="诉求响应率", formula="response_rate", unit="%", target=90, weight=60
    )
    Indicator.objects.create(
        code="repeats", name="重复诉求占比", formula="repeats / received * 100", target=5, weight=40, direction="lower"
    )
    day = dt.date(2026, 10, 15)
    figures = {
        # (response due, in time, received, repeats)
        tree["com_a"]: (20, 18, 20, 1),  # 90 % taken up in time, 5 % repeats: 60 + 40
        com_c: (20, 9, 20, 2),  # 45 % of a 90 % target: 30; 10 % repeats where 5 % is the limit: 20
        com_d: (0, 0, 0, 0),  # nothing to count: 0 + 0
    }
    for area, (due, on_time, received, repeats) in figures.items():
        AppealDay.objects.create(
            area=area,
            day=day,
            response_due=due,
            responded_on_time=on_time,
            received=received,
            counted=received,
            repeats=repeats,
        )
    Stock.objects.create(area=tree["com_a"], taken_on=dt.date(2026, 10, 31), figure="residents", value=8000)
    return tree["com_a"], com_c, com_d


def test_communities_are_scored_and_ranked_within_their_subdistrict(tree, two_communities):
    com_a, com_c, com_d = two_communities
    evaluations = services.evaluate_subdistrict(tree["sub_a"], PeriodKind.MONTH, dt.date(2026, 10, 1))

    by_community = {e.community: e for e in evaluations}
    assert by_community[com_a].score == Decimal("100.00") and by_community[com_a].rank == 1
    # 45% response against 90%: half of 60; 10% repeats against 5%: half of 40.
    assert by_community[com_c].score == Decimal("50.00") and by_community[com_c].rank == 2
    # No appeals: the rate is empty (0 points); no repeats of no appeals is empty too.
    assert by_community[com_d].score == Decimal("0.00") and by_community[com_d].rank == 3
    assert {e.ranked_among for e in evaluations} == {3} and {e.max_score for e in evaluations} == {Decimal("100")}
    scores = {s.code: s for s in by_community[com_c].scores.all()}
    assert scores["response"].value == 45.0 and scores["repeats"].value == 10.0


def test_equal_scores_share_a_rank_and_a_period_evaluated_again_is_replaced(tree, two_communities):
    com_a, com_c, _com_d = two_communities
    AppealDay.objects.filter(area=com_c).update(responded_on_time=18, repeats=1)
    services.evaluate_subdistrict(tree["sub_a"], PeriodKind.MONTH, dt.date(2026, 10, 1))
    services.evaluate_subdistrict(tree["sub_a"], PeriodKind.MONTH, dt.date(2026, 10, 1))

    ranks = dict(Evaluation.objects.values_list("community__code", "rank"))
    assert ranks == {"017": 1, "020": 1, "021": 3}
    assert Evaluation.objects.count() == 3


def test_history_keeps_the_definition_an_evaluation_was_computed_with(tree, two_communities):
    com_a = two_communities[0]
    services.evaluate_subdistrict(tree["sub_a"], PeriodKind.MONTH, dt.date(2026, 10, 1))
    Indicator.objects.filter(code="response").update(target=100, name="响应率（新）")
    services.evaluate_subdistrict(tree["sub_a"], PeriodKind.MONTH, dt.date(2026, 11, 1))

    october, november = Evaluation.objects.filter(community=com_a).order_by("period_start")
    assert october.scores.get(code="response").target == 90 and october.scores.get(code="response").name == "诉求响应率"
    assert november.scores.get(code="response").target == 100


def test_only_the_configuring_roles_change_indicators_and_a_bad_formula_is_refused(user_for_role):
    indicator = Indicator(code="x", name="x", formula="response_rate", target=1, weight=1)
    with pytest.raises(NotPermitted):
        services.save_indicator(
            actor=user_for_role(Role.COMMUNITY_STAFF), indicator=indicator, data={"formula": "response_rate"}
        )
    admin = user_for_role(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        services.save_indicator(actor=admin, indicator=indicator, data={"formula": "open('x')"})
    saved = services.save_indicator(actor=admin, indicator=indicator, data={"formula": "response_rate * 1"})
    assert Indicator.objects.get(pk=saved.pk).formula == "response_rate * 1"


def test_staff_compute_the_ranking_from_the_page_and_others_only_read_it(
    tree, two_communities, user_for_role, verified_client
):
    staff = verified_client(user_for_role(Role.SUBDISTRICT_STAFF))
    response = staff.post("/insights/evaluation/", {"period_kind": "month", "start": "2026-10"})
    assert response.status_code == 302
    html = " ".join(staff.get(response["Location"]).content.decode().split())  # as the page reads
    assert "灯湖社区" in html and "100.00 / 100" in html

    reader = Client()
    sign_in_verified(reader, user_for_role(Role.COMMUNITY_STAFF))
    html = " ".join(reader.get("/insights/evaluation/?period_kind=month&start=2026-10").content.decode().split())
    assert "100.00 / 100" in html and 'data-testid="compute-ranking"' not in html
    reader.post("/insights/evaluation/", {"period_kind": "month", "start": "2026-11"})
    assert not Evaluation.objects.filter(period_start=dt.date(2026, 11, 1)).exists()
