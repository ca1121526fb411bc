"""Organisations and the coverage figures: a branch in every estate, a station in every estate."""

from __future__ import annotations

import pytest

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.errors import OutOfScope
from shuren.orgs.models import Membership, MembershipRole, Organization, OrganizationKind, ServiceStation
from shuren.orgs.selectors import coverage
from shuren.orgs.services import create_organization
from shuren.people.models import Person
from shuren.places.services import create_estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def estates(staff, tree):
    return [
        create_estate(actor=staff, community=tree["com_a"], name=name) for name in ("富丰新城", "碧湖花园", "大新苑")
    ]


def test_coverage_counts_estates_with_a_branch_and_a_station(staff, tree, estates):
    create_organization(
        actor=staff, kind=OrganizationKind.PARTY_BRANCH, name="富丰新城党支部", area=tree["com_a"], estate=estates[0]
    )
    create_organization(
        actor=staff, kind=OrganizationKind.PARTY_BRANCH, name="碧湖花园党支部", area=tree["com_a"], estate=estates[1]
    )
    ServiceStation.objects.create(name="富丰新城党群服务站", community=tree["com_a"], estate=estates[0])
    figures = coverage(staff)
    assert (figures.estates, figures.with_branch, figures.with_station) == (3, 2, 1)
    assert figures.branch_share == "67%" and figures.station_share == "33%"


def test_registration_is_scoped_validated_and_audited(staff, tree, estates, user_for_role):
    org = create_organization(actor=staff, kind=OrganizationKind.PROPERTY_MANAGER, name="富丰物业", area=tree["com_a"])
    assert org.scope == tree["com_a"].path
    assert AuditEvent.objects.filter(action="orgs.organization_create").exists()
    with pytest.raises(OutOfScope):
        create_organization(actor=staff, kind=OrganizationKind.CLUB, name="别处社团", area=tree["com_b"])
    from django.core.exceptions import ValidationError

    other_estate = create_estate(actor=user_for_role(Role.DISTRICT_STAFF), community=tree["com_b"], name="金旗峰花园")
    with pytest.raises(ValidationError):
        create_organization(
            actor=staff, kind=OrganizationKind.PARTY_BRANCH, name="错挂支部", area=tree["com_a"], estate=other_estate
        )


def test_lists_are_scoped_and_members_masked_for_building_leaders(staff, tree, user_for_role, verified_client):
    branch = Organization.objects.create(kind=OrganizationKind.PARTY_BRANCH, name="大新党支部", area=tree["com_a"])
    Organization.objects.create(kind=OrganizationKind.PARTY_BRANCH, name="金旗峰党支部", area=tree["com_b"])
    person = Person.objects.create(community=tree["com_a"], name="欧阳丽珍")
    Membership.objects.create(organization=branch, person=person, role=MembershipRole.SECRETARY)
    page = verified_client(staff).get("/orgs/").content.decode()
    assert "大新党支部" in page and "金旗峰党支部" not in page
    leader = verified_client(user_for_role(Role.BUILDING_LEADER))
    detail = leader.get(f"/orgs/{branch.pk}/").content.decode()
    assert "欧阳**" in detail and "欧阳丽珍" not in detail


def test_one_current_membership_per_person_and_organisation(tree):
    from django.db import IntegrityError, transaction

    org = Organization.objects.create(kind=OrganizationKind.VOLUNTEER_TEAM, name="青年志愿队", area=tree["com_a"])
    person = Person.objects.create(community=tree["com_a"], name="陈志强")
    Membership.objects.create(organization=org, person=person)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Membership.objects.create(organization=org, person=person, role=MembershipRole.CAPTAIN)


def test_staff_add_and_end_members_register_stations_and_partnerships(staff, tree, estates, verified_client, client):
    from django.urls import reverse

    from shuren.orgs.models import Partnership

    branch = Organization.objects.create(kind=OrganizationKind.PARTY_BRANCH, name="富丰新城党支部", area=tree["com_a"])
    hospital = Organization.objects.create(
        kind=OrganizationKind.MEMBER_UNIT, name="南海区第二人民医院", area=tree["com_a"]
    )
    person = Person.objects.create(community=tree["com_a"], name="黄伯荣")
    verified_client(staff)
    url = reverse("orgs:member_add", args=[branch.pk])
    assert client.post(url, {"person": person.pk, "role": MembershipRole.SECRETARY}).status_code == 302
    again = client.post(url, {"person": person.pk, "role": MembershipRole.MEMBER})
    assert again.status_code == 200 and "已是成员" in again.content.decode()
    membership = Membership.objects.get(organization=branch, person=person)
    assert membership.role == MembershipRole.SECRETARY
    assert client.post(reverse("orgs:member_end", args=[branch.pk, membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.to_on is not None

    response = client.post(
        reverse("orgs:station_new"),
        {"name": "富丰新城党群服务站", "community": tree["com_a"].pk, "estate": estates[0].pk, "address": "1座首层"},
    )
    assert response.status_code == 302
    assert coverage(staff).with_station == 1

    response = client.post(
        reverse("orgs:partnership_add", args=[hospital.pk]),
        {
            "kind": "paired",
            "community": tree["com_a"].pk,
            "counterpart": branch.pk,
            "commitments": "每月义诊一次",
            "from_on": "2026-03-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    partnership = Partnership.objects.get()
    assert (partnership.unit, partnership.counterpart, partnership.scope) == (hospital, branch, tree["com_a"].path)
    page = client.get(reverse("orgs:organization_detail", args=[branch.pk])).content.decode()
    assert "南海区第二人民医院" in page and "每月义诊一次" in page
    assert (
        AuditEvent.objects.filter(action__in=["orgs.member_add", "orgs.station_add", "orgs.partnership_add"]).count()
        == 3
    )


def test_staff_edit_an_organisation_and_the_estate_must_be_in_its_community(staff, tree, estates, verified_client):
    from django.urls import reverse

    org = Organization.objects.create(kind=OrganizationKind.OWNERS_COMMITTEE, name="业委会", area=tree["com_a"])
    client = verified_client(staff)
    url = reverse("orgs:organization_edit", args=[org.pk])
    response = client.post(url, {"name": "富丰新城业主委员会", "estate": estates[0].pk, "is_red": "on"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.estate, org.is_red) == ("富丰新城业主委员会", estates[0], True)
    assert AuditEvent.objects.filter(action="orgs.organization_update").exists()
