"""Finding appeals that repeat one another: same category, same building or estate or a point within
150 m, and similar words (jieba)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuren.appeals.duplicates import NEARBY_METRES, _metres_between, similar_open_appeals, similarity, terms_of
from shuren.appeals.models import Appeal, Status
from shuren.appeals.services import AppealLocation
from shuren.places.services import create_building, create_estate

from .test_workflow import act

pytestmark = pytest.mark.django_db

CHARGING = "1座楼道里有人给电动车充电，飞线从三楼拉下来，很危险"
CHARGING_AGAIN = "我要反映一个问题：1座楼道又有电动车在充电，希望尽快处理！"
LAMP = "小区东门的路灯坏了，晚上很黑"
LAT, LON = Decimal("23.030000"), Decimal("113.140000")


def north(metres: float) -> Decimal:
    """The latitude ``metres`` north of LAT (one degree of latitude is about 111.2 km)."""
    return (LAT + Decimal(metres / 111_195)).quantize(Decimal("0.000001"))


def found(appeal: Appeal) -> list[Appeal]:
    return [other for other, _score in similar_open_appeals(appeal)]


@pytest.fixture
def golden(appeal_world):
    """Another estate of the community, with a building in grid 2."""
    staff = appeal_world.users["staff"]
    estate = create_estate(actor=staff, community=appeal_world.tree["com_a"], name="金色家园")
    building = create_building(
        actor=staff, estate=estate, grid=appeal_world.tree["grid_a2"], number="8座", floors=2, rooms_per_floor=2
    )
    return building


# --- words ---------------------------------------------------------------------------------------


def test_terms_drop_stop_words_punctuation_and_single_characters():
    terms = terms_of(CHARGING_AGAIN)
    assert "电动车" in terms and "充电" in terms
    for dropped in ("我", "反映", "问题", "希望", "尽快", "处理", "又", "在", "：", "！", "一个"):
        assert dropped not in terms
    assert all(len(term) > 1 or term.isascii() for term in terms)


def test_terms_cut_for_search_so_compound_words_also_yield_their_parts():
    terms = terms_of("电动车充电")
    assert {"电动", "电动车", "充电"} <= set(terms)


def test_terms_are_distinct_in_order_and_lower_case():
    assert terms_of("WiFi 充电 充电 wifi") == ["wifi", "充电"]
    assert terms_of("") == [] and terms_of("的了在吗") == []


def test_similarity_is_the_jaccard_index():
    assert similarity({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert similarity(set(), {"a"}) == 0.0
    assert similarity(set(terms_of(CHARGING)), set(terms_of(CHARGING_AGAIN))) >= 0.2
    assert similarity(set(terms_of(CHARGING)), set(terms_of(LAMP))) == 0.0


def test_the_distance_is_the_great_circle_distance():
    assert _metres_between(23.03, 113.14, float(north(100)), 113.14) == pytest.approx(100, abs=0.5)
    # Beijing Tiananmen to Shanghai People's Square: about 1,067 km.
    assert _metres_between(39.9087, 116.3975, 31.2304, 121.4737) == pytest.approx(1_067_000, rel=0.01)


# --- the same building ---------------------------------------------------------------------------


def test_similar_text_in_the_same_building_and_category_is_found(appeal_world):
    first = appeal_world.submit(description=CHARGING)
    second = appeal_world.submit(actor=appeal_world.users["neighbour"], description=CHARGING_AGAIN)
    [(match, score)] = similar_open_appeals(second)
    assert match == first and score == 0.5
    assert found(first) == [second]


def test_every_open_appeal_of_the_category_in_the_same_building_is_shown_most_similar_first(appeal_world):
    lamp = appeal_world.submit(description="1座门口充电桩坏了，充不进去")
    close = appeal_world.submit(description=CHARGING)
    new = appeal_world.submit(description=CHARGING_AGAIN)
    results = similar_open_appeals(new)
    assert [match for match, _ in results] == [close, lamp]
    assert results[0][1] > results[1][1]


def test_a_different_category_is_not_a_duplicate(appeal_world):
    appeal_world.submit(description=CHARGING, category="fire-passage")
    new = appeal_world.submit(description=CHARGING_AGAIN)
    assert found(new) == []


def test_another_estate_is_not_a_duplicate(appeal_world, golden):
    appeal_world.submit(description=CHARGING, location=AppealLocation(building=golden))
    new = appeal_world.submit(description=CHARGING_AGAIN)
    assert found(new) == []


def test_another_building_of_the_same_estate_is_not_compared_without_a_point(appeal_world):
    appeal_world.submit(description=CHARGING, building=1)
    assert found(appeal_world.submit(description=CHARGING_AGAIN)) == []


def test_finished_merged_and_old_appeals_are_not_candidates(appeal_world):
    resolved = appeal_world.submit(description=CHARGING)
    for action in ("dispatch", "resolve"):
        resolved = act(appeal_world, resolved, action)
    open_one = appeal_world.submit(description=CHARGING)
    act(appeal_world, appeal_world.submit(description=CHARGING), "merge", into=open_one)
    long_ago = appeal_world.submit(description=CHARGING)
    Appeal.objects.filter(pk=long_ago.pk).update(submitted_at=long_ago.submitted_at - dt.timedelta(days=61))
    assert found(appeal_world.submit(description=CHARGING_AGAIN)) == [open_one]


# --- the estate, the area and nearby points ------------------------------------------------------


def test_an_estate_wide_appeal_is_compared_with_the_whole_estate_by_words(appeal_world):
    similar = appeal_world.submit(description=CHARGING, building=1)
    appeal_world.submit(description="2座消防栓的玻璃碎了", building=0)
    new = appeal_world.submit(description=CHARGING_AGAIN, location=AppealLocation(estate=appeal_world.estate))
    assert found(new) == [similar]


def test_nearby_points_with_similar_text_are_found_across_estates(appeal_world, golden):
    near = appeal_world.submit(
        description=CHARGING, location=AppealLocation(building=golden), latitude=north(100), longitude=LON
    )
    new = appeal_world.submit(description=CHARGING_AGAIN, latitude=LAT, longitude=LON)
    assert found(new) == [near]


def test_a_point_just_beyond_150_metres_is_not_nearby(appeal_world, golden):
    assert NEARBY_METRES == 150
    appeal_world.submit(
        description=CHARGING, location=AppealLocation(building=golden), latitude=north(160), longitude=LON
    )
    new = appeal_world.submit(description=CHARGING_AGAIN, latitude=LAT, longitude=LON)
    assert found(new) == []


def test_unrelated_text_nearby_in_another_building_is_not_a_duplicate(appeal_world, golden):
    appeal_world.submit(
        description="8座电梯按钮失灵，老人下不了楼",
        location=AppealLocation(building=golden),
        latitude=north(30),
        longitude=LON,
    )
    appeal_world.submit(description="2座的消防栓被撞坏了", building=1, latitude=north(20), longitude=LON)
    new = appeal_world.submit(description=CHARGING_AGAIN, latitude=LAT, longitude=LON)
    assert found(new) == []


def test_an_appeal_at_a_point_finds_nearby_ones_in_the_area(appeal_world):
    grid = appeal_world.tree["grid_a2"]
    near = appeal_world.submit(
        description=CHARGING, location=AppealLocation(area=grid), latitude=north(50), longitude=LON
    )
    new = appeal_world.submit(
        description=CHARGING_AGAIN,
        location=AppealLocation(area=appeal_world.tree["com_a"]),
        latitude=LAT,
        longitude=LON,
    )
    assert found(new) == [near]


def test_the_search_reads_a_bounded_number_of_queries(appeal_world, golden):
    for metres in (0, 10, 20, 30, 40, 50, 155, 160, 165):  # the last three are in the box, not the circle
        appeal_world.submit(
            description=CHARGING, location=AppealLocation(building=golden), latitude=north(metres), longitude=LON
        )
    new = appeal_world.submit(description=CHARGING_AGAIN, latitude=LAT, longitude=LON)
    with CaptureQueriesContext(connection) as queries:
        assert len(similar_open_appeals(new, limit=10)) == 6
    assert len(queries) == 1


def test_the_limit_keeps_the_best(appeal_world):
    for _ in range(7):
        appeal_world.submit(description=CHARGING)
    new = appeal_world.submit(description=CHARGING_AGAIN)
    assert len(similar_open_appeals(new)) == 5
    assert len(similar_open_appeals(new, limit=2)) == 2
    assert Appeal.objects.filter(status=Status.SUBMITTED).count() == 8
