"""A notice cannot target outside its author's scope, nor be opened from outside it: 404, as
everywhere. Building leaders write for, and see, their own buildings only."""

from __future__ import annotations

import pytest

from shuren.core.errors import OutOfScope
from shuren.notices import selectors, services
from shuren.orgs.models import Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def test_staff_of_another_community_cannot_target_a_building_here(notice_world) -> None:
    with pytest.raises(OutOfScope):
        notice_world.notice(actor="staff_b")


def test_a_grid_worker_cannot_target_another_grid_nor_the_whole_community(notice_world) -> None:
    with pytest.raises(OutOfScope):
        notice_world.notice(actor="grid_worker2")
    with pytest.raises(OutOfScope):
        notice_world.notice(actor="grid_worker", building=None, area=notice_world.tree["com_a"])
    assert notice_world.notice(actor="grid_worker").building == notice_world.buildings[0]


def test_a_building_leader_writes_for_their_own_building_only(notice_world) -> None:
    own = notice_world.notice(actor="leader")
    assert own.building == notice_world.buildings[0]
    unit = notice_world.buildings[0].units.get(number="2单元")
    assert notice_world.notice(actor="leader", unit=unit).unit == unit
    with pytest.raises(OutOfScope):
        notice_world.notice(actor="leader", building=notice_world.buildings[1])
    with pytest.raises(OutOfScope):
        notice_world.notice(actor="leader", building=None, estate=notice_world.estate)
    with pytest.raises(OutOfScope):
        notice_world.notice(actor="leader", building=None, area=notice_world.tree["grid_a1"])


def test_a_building_leader_sees_only_the_notices_of_their_buildings(notice_world) -> None:
    mine = notice_world.published()
    other = notice_world.published(building=notice_world.buildings[1])
    leader = notice_world.users["leader"]
    assert list(selectors.staff_notices(leader)) == [mine]
    with pytest.raises(OutOfScope):
        selectors.staff_notice(leader, other.pk)
    with pytest.raises(OutOfScope):
        services.end_notice(actor=leader, notice=other, version=other.version)


def test_an_organisation_of_another_community_cannot_be_targeted(notice_world) -> None:
    elsewhere = Organization.objects.create(
        kind=OrganizationKind.VOLUNTEER_TEAM, name="金旗峰志愿队", area=notice_world.tree["com_b"]
    )
    with pytest.raises(OutOfScope):
        notice_world.notice(organizations=[elsewhere])


def test_pages_answer_404_outside_the_scope(notice_world, verified_client, client) -> None:
    notice = notice_world.published()
    staff_b = verified_client(notice_world.users["staff_b"])
    for url in (f"/notices/{notice.pk}/", f"/notices/{notice.pk}/edit/", f"/notices/{notice.pk}/attachment/"):
        assert staff_b.get(url).status_code == 404, url
    assert staff_b.post(f"/notices/{notice.pk}/act/end/", {"version": notice.version}).status_code == 404
    household = notice.targets.first()
    assert staff_b.post(f"/notices/households/{household.pk}/tell/").status_code == 404
    form = staff_b.post(
        "/notices/new/",
        {"title": "越界", "body": "越界", "urgency": "normal", "building": notice_world.buildings[0].pk},
    )
    assert form.status_code == 200 and "building" in form.context["form"].errors
    assert notice_world.buildings[0].pk not in [b.pk for b in form.context["form"].fields["building"].queryset]


def test_residents_open_only_the_notices_meant_for_them(notice_world, client) -> None:
    notice = notice_world.published()
    client.force_login(notice_world.users["b2"])  # building 2: not in the audience
    assert client.get(f"/my/notices/{notice.pk}/").status_code == 404
    client.force_login(notice_world.users["resident_b"])
    assert client.get(f"/my/notices/{notice.pk}/").status_code == 404
    assert notice.title not in client.get("/my/notices/").content.decode()
