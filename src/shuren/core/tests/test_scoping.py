"""visible() and require(): the one place that decides what a user may see and change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.accounts.models import RoleGrant
from shuren.accounts.roles import Role
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import forget_grants, path_covers, require, visible
from shuren.places.models import Area

pytestmark = pytest.mark.django_db


def names(qs):
    return {a.name for a in qs}


def test_path_prefixes_do_not_match_siblings_with_longer_codes():
    assert path_covers("4406.01.017", "4406.01.017.02")
    assert path_covers("4406.01.017", "4406.01.017")
    assert not path_covers("4406.01.017", "4406.01.0170")
    assert path_covers("", "anything")


def test_community_staff_see_their_community_and_its_grids_only(user_for_role, tree):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    assert names(visible(Area.objects.all(), staff, "places.view_area")) == {
        "大新社区",
        "大新社区第1网格",
        "大新社区第2网格",
    }


def test_grid_workers_see_their_grid(user_for_role, tree):
    worker = user_for_role(Role.GRID_WORKER)
    assert names(visible(Area.objects.all(), worker, "places.view_area")) == {"大新社区第1网格"}


def test_district_staff_see_everything_in_the_district(user_for_role, tree):
    assert visible(Area.objects.all(), user_for_role(Role.DISTRICT_STAFF), "places.view_area").count() == 9


def test_anonymous_users_see_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not visible(Area.objects.all(), AnonymousUser(), "places.view_area").exists()


def test_require_answers_not_found_outside_and_forbidden_inside(user_for_role, tree):
    worker = user_for_role(Role.GRID_WORKER)
    with pytest.raises(OutOfScope):
        require(worker, "places.view_area", tree["grid_b1"])
    with pytest.raises(NotPermitted):
        require(worker, "places.change_area", tree["grid_a1"])
    require(worker, "places.view_area", tree["grid_a1"])


def test_revoked_and_expired_grants_give_nothing(user_for_role, tree):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    RoleGrant.objects.filter(user=staff).update(revoked_at=timezone.now())
    forget_grants(staff)
    assert not visible(Area.objects.all(), staff, "places.view_area").exists()
    other = user_for_role(Role.COMMUNITY_STAFF)
    RoleGrant.objects.filter(user=other).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    forget_grants(other)
    assert not visible(Area.objects.all(), other, "places.view_area").exists()


def test_two_grants_add_up(make_user, tree):
    user = make_user(Role.GRID_WORKER, tree["grid_a1"])
    RoleGrant.objects.create(user=user, role=Role.GRID_WORKER, area=tree["grid_b2"])
    forget_grants(user)
    assert names(visible(Area.objects.all(), user, "places.view_area")) == {"大新社区第1网格", "金旗峰社区第2网格"}
