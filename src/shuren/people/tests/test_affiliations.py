"""Party membership and youth-league profiles (党员, 流动党员, 在职党员报到; 一团员一档案): a sensitive
category with its own permission; editing residents and their tags; filtering by tag."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.errors import NotPermitted
from shuren.orgs.models import Organization, OrganizationKind
from shuren.people.models import LeagueProfile, PartyMembership, Person, PersonTag, PersonTagging
from shuren.people.selectors import visible_people
from shuren.people.services import remove_party_membership, save_league_profile, save_party_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def person(tree):
    return Person.objects.create(community=tree["com_a"], name="黄伯荣", scope=tree["grid_a1"].path)


@pytest.fixture
def branch(tree):
    return Organization.objects.create(kind=OrganizationKind.PARTY_BRANCH, name="富丰新城党支部", area=tree["com_a"])


def test_party_membership_is_recorded_audited_and_validated(staff, person, branch, tree):
    membership = save_party_membership(
        actor=staff, person=person, status="formal", relation="registered", branch=branch
    )
    assert person.party_membership == membership
    assert AuditEvent.objects.filter(action="people.party_membership_save").count() == 1
    with pytest.raises(ValidationError) as caught:
        save_party_membership(actor=staff, person=person, status="formal", relation="in_service", branch=branch)
    assert "workplace" in caught.value.message_dict
    save_party_membership(
        actor=staff, person=person, status="formal", relation="in_service", branch=branch, workplace="南海区税务局"
    )
    assert PartyMembership.objects.get(person=person).workplace == "南海区税务局"
    club = Organization.objects.create(kind=OrganizationKind.CLUB, name="太极队", area=tree["com_a"])
    with pytest.raises(ValidationError) as caught:
        save_party_membership(actor=staff, person=person, status="formal", relation="registered", branch=club)
    assert "branch" in caught.value.message_dict
    far = Organization.objects.create(kind=OrganizationKind.PARTY_BRANCH, name="金旗峰党支部", area=tree["com_b"])
    with pytest.raises(ValidationError):
        save_party_membership(actor=staff, person=person, status="formal", relation="registered", branch=far)
    with pytest.raises(ValidationError):
        remove_party_membership(actor=staff, person=person, reason=" ")
    remove_party_membership(actor=staff, person=person, reason="组织关系转出")
    assert not PartyMembership.objects.filter(person=person).exists()


def test_building_leaders_may_not_see_or_record_affiliations(person, branch, user_for_role, verified_client, client):
    save_party_membership(
        actor=user_for_role(Role.COMMUNITY_STAFF), person=person, status="probationary", relation="mobile"
    )
    leader = user_for_role(Role.BUILDING_LEADER)
    with pytest.raises(NotPermitted):
        save_league_profile(actor=leader, person=person, traits="热心")
    verified_client(leader)
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "预备党员" not in page and "Probationary" not in page
    assert client.get(reverse("people:party_edit", args=[person.pk])).status_code == 403
    verified_client(user_for_role(Role.GRID_WORKER))
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="party"' in page


def test_party_page_saves_and_keeps_input_on_error(staff, person, branch, verified_client):
    client = verified_client(staff)
    url = reverse("people:party_edit", args=[person.pk])
    response = client.post(url, {"status": "formal", "relation": "in_service", "branch": branch.pk})
    assert response.status_code == 200
    assert f'value="{branch.pk}" selected' in response.content.decode()
    assert not PartyMembership.objects.exists()
    response = client.post(
        url, {"status": "formal", "relation": "in_service", "branch": branch.pk, "workplace": "桂城供电所"}
    )
    assert response.status_code == 302
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "桂城供电所" in page and "富丰新城党支部" in page
    assert client.post(url, {"remove": "1", "reason": "转出"}).status_code == 302
    assert not PartyMembership.objects.exists()


def test_league_profile_page(staff, person, tree, verified_client):
    league = Organization.objects.create(kind=OrganizationKind.LEAGUE_BRANCH, name="大新团支部", area=tree["com_a"])
    client = verified_client(staff)
    response = client.post(
        reverse("people:league_edit", args=[person.pk]),
        {"branch": league.pk, "traits": "开朗", "needs": "交友", "abilities": "摄影", "willingness": "拍摄活动"},
    )
    assert response.status_code == 302
    profile = LeagueProfile.objects.get(person=person)
    assert (profile.abilities, profile.branch) == ("摄影", league)
    assert "拍摄活动" in client.get(reverse("people:person_detail", args=[person.pk])).content.decode()


def test_editing_tags_keeps_sensitive_tags_the_editor_cannot_see(person, tree, make_user, staff):
    from shuren.people.services import update_person

    veteran = PersonTag.objects.create(code="veteran", name="退役军人")
    low_income = PersonTag.objects.create(code="low-income", name="低收入", is_sensitive=True)
    newcomer = PersonTag.objects.create(code="newcomer", name="新市民")
    PersonTagging.objects.create(person=person, tag=low_income)
    PersonTagging.objects.create(person=person, tag=veteran)
    grid_worker = make_user(Role.GRID_WORKER, tree["grid_a1"])  # may change people, not see sensitive tags
    update_person(
        actor=grid_worker,
        person=person,
        name="黄伯荣",
        phone="13900139001",
        ethnicity="汉族",
        tags=[newcomer],
        keep_tags=[low_income],
    )
    assert set(person.taggings.values_list("tag__code", flat=True)) == {"low-income", "newcomer"}
    assert person.phone == "+8613900139001"
    with pytest.raises(ValidationError):
        update_person(actor=staff, person=person, name="黄", phone="12345", ethnicity="", tags=[], keep_tags=[])


def test_tag_filter_hides_sensitive_tags_from_those_without_permission(person, tree, make_user, staff):
    low_income = PersonTag.objects.create(code="low-income", name="低收入", is_sensitive=True)
    PersonTagging.objects.create(person=person, tag=low_income)
    assert list(visible_people(staff, tag="low-income")) == [person]
    grid_worker = make_user(Role.GRID_WORKER, tree["grid_a1"])
    assert list(visible_people(grid_worker)) == [person]
    assert list(visible_people(grid_worker, tag="low-income")) == []
    assert list(visible_people(staff, tag="no-such-tag")) == []


def test_person_edit_page_round_trip(staff, person, verified_client):
    PersonTag.objects.create(code="veteran", name="退役军人")
    client = verified_client(staff)
    url = reverse("people:person_edit", args=[person.pk])
    tag = PersonTag.objects.get(code="veteran")
    response = client.post(url, {"name": "黄伯荣", "phone": "not a phone", "ethnicity": "汉族", "tags": [tag.pk]})
    assert response.status_code == 200 and "not a phone" in response.content.decode()
    response = client.post(url, {"name": "黄伯荣", "phone": "13900139001", "ethnicity": "汉族", "tags": [tag.pk]})
    assert response.status_code == 302
    assert person.taggings.filter(tag=tag).exists()
    listing = client.get(reverse("people:person_list"), {"tag": "veteran"}).content.decode()
    assert "黄伯荣" in listing


def test_staff_record_a_home_and_a_move_out_and_the_scope_follows(staff, tree, verified_client):
    from shuren.people.models import Residence
    from shuren.places.services import create_building, create_estate

    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    create_building(actor=staff, estate=estate, grid=tree["grid_a2"], number="2座", floors=2, rooms_per_floor=2)
    person = Person.objects.create(community=tree["com_a"], name="林小梅")
    client = verified_client(staff)
    url = reverse("people:residence_add", args=[person.pk])
    form = {
        "estate": estate.pk,
        "building": "2座",
        "unit": "1单元",
        "room": "909",
        "relation": "owner",
        "status": "permanent",
    }
    missing = client.post(url, form)
    assert missing.status_code == 200 and 'value="909"' in missing.content.decode()
    assert client.post(url, form | {"room": "201"}).status_code == 302
    person.refresh_from_db()
    assert person.scope == tree["grid_a2"].path
    residence = Residence.objects.get(person=person)
    end = reverse("people:residence_end", args=[person.pk, residence.pk])
    assert client.post(end, {"to_on": "2026-10-31"}).status_code == 302
    person.refresh_from_db()
    residence.refresh_from_db()
    assert str(residence.to_on) == "2026-10-31" and person.scope == tree["com_a"].path


def test_person_page_lists_organisations_but_party_branches_only_with_the_permission(
    person, branch, tree, user_for_role, verified_client, client
):
    from shuren.orgs.models import Membership

    team = Organization.objects.create(kind=OrganizationKind.VOLUNTEER_TEAM, name="青年志愿服务队", area=tree["com_a"])
    Membership.objects.create(organization=team, person=person)
    Membership.objects.create(organization=branch, person=person)
    url = reverse("people:person_detail", args=[person.pk])
    verified_client(user_for_role(Role.COMMUNITY_STAFF))
    page = client.get(url).content.decode()
    assert "青年志愿服务队" in page and "富丰新城党支部" in page
    verified_client(user_for_role(Role.BUILDING_LEADER))
    page = client.get(url).content.decode()
    assert "青年志愿服务队" in page and "富丰新城党支部" not in page


def test_the_branch_kinds_people_names_are_kinds_of_organisation() -> None:
    from shuren.orgs.models import PARTY_KINDS, OrganizationKind
    from shuren.people.models import LEAGUE_BRANCH_KINDS, PARTY_BRANCH_KINDS

    assert PARTY_KINDS == {
        OrganizationKind.PARTY_COMMITTEE,
        OrganizationKind.PARTY_GENERAL_BRANCH,
        OrganizationKind.PARTY_BRANCH,
    }
    assert {OrganizationKind(kind) for kind in LEAGUE_BRANCH_KINDS} == {OrganizationKind.LEAGUE_BRANCH}
    assert PARTY_BRANCH_KINDS <= set(OrganizationKind.values)
