"""The suggestions for a need: the order, the reasons in words, what is never suggested, and one
query whatever the number of resources."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from shuren.accounts.roles import Role
from shuren.lists import matching, services
from shuren.lists.models import Category
from shuren.orgs.models import Organization, OrganizationKind
from shuren.places.models import Area, AreaKind

pytestmark = pytest.mark.django_db


def _titles(need):
    return [s.resource.title for s in matching.candidates(need)]


def test_same_category_comes_first_then_the_nearer_place(lists_world, make_user):
    tree = lists_world.tree
    need = lists_world.need(area=tree["grid_a1"], category=Category.REPAIR)
    lists_world.resource(title="同网格维修", area=tree["grid_a1"])
    lists_world.resource(title="同社区维修", area=tree["grid_a2"])
    lists_world.resource(title="同网格理发", area=tree["grid_a1"], category=Category.GROOMING)
    # Another subdistrict of the same district: suggested last; another district: never.
    unit_b = Organization.objects.create(kind=OrganizationKind.MEMBER_UNIT, name="金旗峰物业", area=tree["com_b"])
    staff_b = lists_world.users["staff_b"]
    lists_world.resource(actor=staff_b, title="外街道维修", organization=unit_b, area=tree["grid_b1"])
    other = Area.objects.create(kind=AreaKind.DISTRICT, code="440606", name="顺德区")
    sub = Area.objects.create(kind=AreaKind.SUBDISTRICT, code="02", name="北滘镇", parent=other)
    far = Area.objects.create(kind=AreaKind.COMMUNITY, code="009", name="碧桂园社区", parent=sub)
    far_unit = Organization.objects.create(kind=OrganizationKind.MEMBER_UNIT, name="碧桂园物业", area=far)
    lists_world.resource(title="外区维修", organization=far_unit, area=far, actor=make_user(Role.COMMUNITY_STAFF, far))
    assert _titles(need) == ["同网格维修", "同社区维修", "外街道维修", "同网格理发"]


def test_time_and_capacity_decide_between_equally_near_resources(lists_world):
    today = timezone.localdate()
    need = lists_world.need(quantity=3, wanted_on=today + dt.timedelta(days=3))
    wanted_bit = 1 << (today + dt.timedelta(days=3)).weekday()
    lists_world.resource(title="那天不开", weekdays=127 ^ wanted_bit, capacity=9)
    lists_world.resource(title="那天开但不够", weekdays=wanted_bit, capacity=2)
    lists_world.resource(title="那天开而且够", weekdays=wanted_bit, capacity=3)
    assert _titles(need) == ["那天开而且够", "那天开但不够", "那天不开"]


def test_each_suggestion_says_why_in_words(lists_world):
    need = lists_world.need()
    lists_world.resource(capacity=3)
    with override("zh-hans"):
        (suggestion,) = matching.candidates(need)
        assert suggestion.reason == "同一网格 · 类别相符 · 本周可用 · 剩余 3"
    with override("en"):
        assert matching.candidates(need)[0].reason == "Same grid · Category matches · Available this week · 3 left"


def test_inactive_empty_expired_or_already_proposed_resources_are_not_suggested(lists_world):
    need = lists_world.need()
    lists_world.resource(title="停用", is_active=False)
    lists_world.resource(title="用完", capacity=2, remaining=0)
    proposed = lists_world.resource(title="已推荐")
    services.propose_match(actor=lists_world.users["staff"], need=need, resource=proposed)
    lists_world.resource(title="过期", valid_until=timezone.localdate() - dt.timedelta(days=1))
    titles = _titles(need)
    assert "停用" not in titles and "用完" not in titles and "已推荐" not in titles
    # An expired resource may still be suggested, last among equals: it is not available in time.
    assert titles == ["过期"]


def test_the_suggestions_are_one_query_whatever_the_number_of_resources(lists_world):
    need = lists_world.need()
    for n in range(12):
        lists_world.resource(title=f"资源{n}")
    with CaptureQueriesContext(connection) as queries:
        suggestions = matching.candidates(need)
        [s.reason for s in suggestions]
    assert len(suggestions) == matching.SUGGESTIONS
    assert len(queries) == 1
    assert "LIMIT" in queries[0]["sql"].upper()
