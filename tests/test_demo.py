"""`make demo`: the demo district loads twice without harm and every demo login reaches its home page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from shuren.accounts.models import RoleGrant, User
from shuren.notices.models import Notice, NoticeStatus
from shuren.notices.selectors import notice_figures
from shuren.places.models import Area, AreaKind
from shuren.synthetic.demo import DEMO_PASSWORD, DEMO_USERS


@pytest.mark.django_db
def test_demo_loads_idempotently_and_prints_one_login_per_role(capsys):
    call_command("demo")
    first = (Area.objects.count(), User.objects.count(), RoleGrant.objects.count())
    call_command("demo")
    assert (Area.objects.count(), User.objects.count(), RoleGrant.objects.count()) == first
    out = capsys.readouterr().out
    roles = {role.value for _u, role, _w, _n, _p in DEMO_USERS}
    assert all(role in out for role in roles) and len(roles) == 12
    assert Area.objects.filter(kind=AreaKind.COMMUNITY).count() == 6
    assert Area.objects.get(name="大新社区").households == 2800
    # The stairwell notices: the public fire drill to 富丰新城 and a building leader's water cut to
    # 1座, half its households told at the door; the second load added none.
    drill = Notice.objects.get(title="富丰新城消防演练通知")
    water = Notice.objects.get(title="1座停水通知")
    assert drill.status == water.status == NoticeStatus.PUBLISHED and drill.is_public
    assert drill.households > water.households > 0
    figures = notice_figures(water)
    assert 0 < figures.told < figures.households
    assert Notice.objects.count() == 2


@pytest.mark.django_db
def test_every_demo_login_reaches_its_own_home_page(settings):
    settings.SHUREN_REQUIRE_MFA = False  # as in the demo settings
    call_command("demo", stdout=open("/dev/null", "w"))
    for username, *_rest in DEMO_USERS:
        client = Client()
        response = client.post("/accounts/login/", {"identity": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        home = client.get("/", follow=True)
        assert home.status_code == 200, username
        assert home.redirect_chain and home.redirect_chain[-1][0] != "/accounts/login/", username
        assert '<html lang="zh-hans">' in home.content.decode(), username
