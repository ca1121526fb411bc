"""Posts and duties: building leaders over buildings, one leader per building, coverage, vacancies,
ending a term, and the building leader's own home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.errors import OutOfScope
from shuren.orgs.models import PostAssignment, PostKind
from shuren.orgs.selectors import buildings_without_leader, coverage, leader_home
from shuren.orgs.services import assign_post, end_post
from shuren.people.models import Person, PersonTag, PersonTagging, Visit, VisitRule
from shuren.people.services import add_residence
from shuren.places.models import Dwelling
from shuren.places.services import create_building, create_estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def place(staff, tree):
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    buildings = [
        create_building(
            actor=staff,
            estate=estate,
            grid=tree["grid_a1" if n < 3 else "grid_a2"],
            number=f"{n}座",
            floors=2,
            rooms_per_floor=2,
        )
        for n in (1, 2, 3)
    ]
    return {"estate": estate, "buildings": buildings}


def _resident(staff, community, name, building, room="101"):
    person = Person.objects.create(community=community, name=name)
    add_residence(
        actor=staff,
        person=person,
        dwelling=Dwelling.objects.get(unit__building=building, room=room),
        relation="owner",
        status="permanent",
    )
    return person


@pytest.fixture
def leader_kind():
    return PostKind.objects.get(code=PostKind.BUILDING_LEADER)


def test_post_kinds_from_the_seeds_are_there():
    names = set(PostKind.objects.values_list("name", flat=True))
    assert {"楼长", "巷长", "街长", "矛盾调解员"} <= names


def test_assigning_a_building_leader_counts_towards_coverage_and_fills_the_vacancy(staff, tree, place, leader_kind):
    b1, b2, b3 = place["buildings"]
    leader = _resident(staff, tree["com_a"], "黄伯荣", b1)
    assert (coverage(staff).buildings, coverage(staff).with_leader) == (3, 0)
    assignment = assign_post(actor=staff, kind=leader_kind, person=leader, area=tree["grid_a1"], buildings=[b1, b2])
    figures = coverage(staff)
    assert (figures.buildings, figures.with_leader, figures.leader_share) == (3, 2, "67%")
    assert list(buildings_without_leader(staff)) == [b3]
    assert assignment.scope == tree["grid_a1"].path
    assert AuditEvent.objects.filter(action="orgs.post_assign").exists()


def test_a_building_has_one_leader_at_a_time(staff, tree, place, leader_kind):
    b1, b2, _b3 = place["buildings"]
    first = _resident(staff, tree["com_a"], "黄伯荣", b1)
    second = _resident(staff, tree["com_a"], "梁婉仪", b2)
    assignment = assign_post(actor=staff, kind=leader_kind, person=first, area=tree["grid_a1"], buildings=[b1])
    with pytest.raises(ValidationError) as caught:
        assign_post(actor=staff, kind=leader_kind, person=second, area=tree["grid_a1"], buildings=[b1, b2])
    assert "黄伯荣" in str(caught.value) and "1座" in str(caught.value)
    end_post(actor=staff, assignment=assignment, reason="搬离本小区")
    assert coverage(staff).with_leader == 0
    assign_post(actor=staff, kind=leader_kind, person=second, area=tree["grid_a1"], buildings=[b1, b2])
    assert coverage(staff).with_leader == 2
    with pytest.raises(ValidationError):
        end_post(actor=staff, assignment=assignment, reason="again")


def test_a_term_that_ended_yesterday_no_longer_covers_the_building(staff, tree, place, leader_kind):
    b1 = place["buildings"][0]
    leader = _resident(staff, tree["com_a"], "黄伯荣", b1)
    today = dt.date.today()
    assign_post(
        actor=staff,
        kind=leader_kind,
        person=leader,
        area=tree["grid_a1"],
        buildings=[b1],
        from_on=today - dt.timedelta(days=400),
        to_on=today - dt.timedelta(days=1),
    )
    assert coverage(staff).with_leader == 0


def test_buildings_must_lie_in_the_area_and_the_person_in_the_community(staff, tree, place, leader_kind, user_for_role):
    b1, _b2, b3 = place["buildings"]
    leader = _resident(staff, tree["com_a"], "黄伯荣", b1)
    with pytest.raises(ValidationError) as caught:
        assign_post(actor=staff, kind=leader_kind, person=leader, area=tree["grid_a1"], buildings=[b3])
    assert "buildings" in caught.value.message_dict
    lane = PostKind.objects.get(code="lane_leader")
    with pytest.raises(ValidationError) as caught:
        assign_post(actor=staff, kind=lane, person=leader, area=tree["grid_a1"])
    assert "place_name" in caught.value.message_dict
    assign_post(actor=staff, kind=lane, person=leader, area=tree["grid_a1"], place_name="富丰一巷")
    other = Person.objects.create(community=tree["com_b"], name="别处居民")
    district = user_for_role(Role.DISTRICT_STAFF)
    with pytest.raises(ValidationError) as caught:
        assign_post(actor=district, kind=lane, person=other, area=tree["grid_a1"], place_name="富丰一巷")
    assert "person" in caught.value.message_dict
    with pytest.raises(OutOfScope):
        assign_post(actor=staff, kind=lane, person=leader, area=tree["grid_b1"], place_name="金旗峰路")


def test_leader_home_lists_their_buildings_residents_and_overdue_visits(
    staff, tree, place, leader_kind, make_user, verified_client
):
    b1, b2, b3 = place["buildings"]
    user = make_user(Role.BUILDING_LEADER, tree["grid_a1"])
    leader = _resident(staff, tree["com_a"], "黄伯荣", b1, room="101")
    leader.user = user
    leader.save()
    alone = PersonTag.objects.create(code="elderly-alone", name="独居老人", is_sensitive=True)
    VisitRule.objects.create(tag=alone, interval_days=7)
    elder = _resident(staff, tree["com_a"], "欧阳淑芬", b2, room="201")
    PersonTagging.objects.create(person=elder, tag=alone)
    elsewhere = _resident(staff, tree["com_a"], "林小梅", b3, room="101")
    assign_post(actor=staff, kind=leader_kind, person=leader, area=tree["grid_a1"], buildings=[b1, b2])

    home = leader_home(user)
    assert home.buildings == [b1, b2]
    assert {p.name for p in home.residents} == {"黄伯荣", "欧阳淑芬"}
    assert elsewhere not in home.residents
    assert [d.person for d in home.due] == [elder]
    assert home.never_visited == 2

    page = verified_client(user).get(reverse("orgs:my_posts")).content.decode()
    assert "1座" in page and "2座" in page
    assert "欧阳淑芬" not in page and "欧阳**" in page  # masked
    assert "林小" not in page
    Visit.objects.create(person=elder, visitor=user, visited_on=dt.date.today(), purpose="care")
    assert leader_home(user).due == []


def test_building_leader_lands_on_their_home_page_and_staff_see_the_posts_page(
    staff, tree, place, leader_kind, make_user, verified_client, client
):
    user = make_user(Role.BUILDING_LEADER, tree["grid_a1"])
    response = verified_client(user).get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgs:my_posts")
    assert "no-posts" in response.content.decode()
    b1 = place["buildings"][0]
    leader = _resident(staff, tree["com_a"], "黄伯荣", b1)
    verified_client(staff)
    response = client.post(
        reverse("orgs:post_new"),
        {
            "kind": leader_kind.pk,
            "person": leader.pk,
            "area": tree["grid_a1"].pk,
            "buildings": [b1.pk],
            "from_on": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("orgs:post_list")).content.decode()
    assert "黄伯荣" in page and "楼长" in page
    assignment = PostAssignment.objects.get(person=leader)
    assert client.post(reverse("orgs:post_end", args=[assignment.pk]), {"reason": "换届"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.to_on is not None and assignment.ended_reason == "换届"


def test_a_failed_assignment_keeps_what_was_chosen(staff, tree, place, leader_kind, verified_client):
    b1 = place["buildings"][0]
    leader = _resident(staff, tree["com_a"], "黄伯荣", b1)
    client = verified_client(staff)
    response = client.post(
        reverse("orgs:post_new"),
        {"kind": leader_kind.pk, "person": leader.pk, "area": tree["grid_a1"].pk, "from_on": "2026-01-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请选择该岗位负责的楼栋" in page
    assert f'value="{leader.pk}" selected' in page


def test_only_the_system_admin_configures_post_kinds(staff, user_for_role, verified_client, client):
    verified_client(staff)
    assert client.get(reverse("orgs:post_kind_list")).status_code == 403
    admin = user_for_role(Role.SYSTEM_ADMIN)
    verified_client(admin)
    response = client.post(
        reverse("orgs:post_kind_new"),
        {"code": "stairwell_leader", "name": "梯长", "level": "building", "duties": "管好一部电梯", "position": 5},
    )
    assert response.status_code == 302
    assert PostKind.objects.filter(code="stairwell_leader", name="梯长").exists()
    assert AuditEvent.objects.filter(action="orgs.post_kind_save").exists()


def test_post_and_organisation_lists_export_to_xlsx_masked_for_leaders(
    staff, tree, place, leader_kind, make_user, verified_client, client
):
    import io

    from openpyxl import load_workbook

    from shuren.orgs.models import Organization

    Organization.objects.create(kind="party_branch", name="富丰新城党支部", area=tree["com_a"], estate=place["estate"])
    leader = _resident(staff, tree["com_a"], "黄伯荣", place["buildings"][0])
    assign_post(actor=staff, kind=leader_kind, person=leader, area=tree["grid_a1"], buildings=place["buildings"][:1])

    def rows(url):
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        return [[c for c in row] for row in sheet.iter_rows(values_only=True)]

    verified_client(staff)
    exported = rows(reverse("orgs:post_export"))
    assert exported[2][:4] == ["楼长", "黄伯荣", tree["grid_a1"].name, "富丰新城 1座"]
    assert rows(reverse("orgs:organization_export"))[2][0] == "富丰新城党支部"
    verified_client(make_user(Role.BUILDING_LEADER, tree["grid_a1"]))
    assert rows(reverse("orgs:post_export"))[2][1] == "黄**"
    assert AuditEvent.objects.filter(action="orgs.post_export").count() == 2
