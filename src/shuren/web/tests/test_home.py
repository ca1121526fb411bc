"""The resident's home when nothing waits: it says so kindly, still offers the community's services,
and never the old "as your community switches them on" — the services are on."""

from __future__ import annotations

import pytest

from shuren.accounts.roles import Role
from shuren.people.models import Person

pytestmark = pytest.mark.django_db

SERVICES = ("report", "my-appeals", "board", "notices", "volunteering", "governance", "proposals", "conventions")


def test_a_resident_with_nothing_waiting_is_told_so_and_sees_the_services(client, make_user, tree):
    resident = make_user(Role.RESIDENT, tree["grid_a1"], username="newcomer")
    Person.objects.create(community=tree["com_a"], name="黄丽娟", user=resident)
    client.force_login(resident)
    home = client.get("/me/").content.decode()
    assert 'data-testid="home-nothing-waiting"' in home and "暂时没有需要您处理的事项。" in home
    assert 'data-testid="waiting-' not in home
    for tile in (*SERVICES, "meetings", "ballots", "points"):
        assert f'data-testid="tile-{tile}"' in home, tile
    assert "社区开通相应功能后" not in home and "大新社区" in home
