"""Organisations, their members, partnerships (共建、结对) and service stations (一小区一站点)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.people.models import Person
from shuren.places.models import Area, Estate

from ..models import Membership, Organization, Partnership, ServiceStation


def create_organization(
    *, actor: User, kind: str, name: str, area: Area, estate: Estate | None = None, pledged_resources: str = ""
) -> Organization:
    """Register an organisation in ``area`` (scope-checked, validated, audited)."""
    require(actor, "orgs.change_organization", area)
    with transaction.atomic():
        org = Organization(kind=kind, name=name, area=area, estate=estate, pledged_resources=pledged_resources)
        org.full_clean()
        org.save()
        record_event("orgs.organization_create", actor=actor, obj=org, detail={"kind": kind, "name": name})
    return org


def add_member(
    *, actor: User, organization: Organization, person: Person, role: str, from_on: dt.date | None = None
) -> Membership:
    """Record ``person`` as a member of ``organization`` (one current membership each)."""
    require(actor, "orgs.change_organization", organization)
    require(actor, "people.view_person", person)
    with transaction.atomic():
        if Membership.objects.filter(organization=organization, person=person, to_on__isnull=True).exists():
            raise ValidationError({"person": [_("This person is already a member.")]})
        membership = Membership(organization=organization, person=person, role=role, from_on=from_on)
        membership.full_clean()
        membership.save()
        record_event("orgs.member_add", actor=actor, obj=organization, detail={"person": person.pk, "role": role})
    return membership


def end_membership(*, actor: User, membership: Membership, on: dt.date | None = None) -> None:
    require(actor, "orgs.change_organization", membership.organization)
    on = on or timezone.localdate()
    if membership.from_on and on < membership.from_on:
        raise ValidationError(_("A term cannot end before it began."))
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk, to_on__isnull=True).update(to_on=on)
        record_event(
            "orgs.member_end",
            actor=actor,
            obj=membership.organization,
            detail={"person": membership.person_id},
        )


def add_station(
    *, actor: User, community: Area, name: str, estate: Estate | None, address: str = "", opening_hours: str = ""
) -> ServiceStation:
    """一小区一站点: register a party-and-people service station in ``community`` (or one of its estates)."""
    require(actor, "orgs.change_organization", community)
    if estate is not None and estate.community_id != community.pk:
        raise ValidationError({"estate": [_("The estate must lie in the organisation's community.")]})
    with transaction.atomic():
        station = ServiceStation(
            community=community, name=name, estate=estate, address=address, opening_hours=opening_hours
        )
        station.full_clean()
        station.save()
        record_event("orgs.station_add", actor=actor, obj=station, detail={"name": name})
    return station


def add_partnership(
    *,
    actor: User,
    unit: Organization,
    community: Area,
    kind: str,
    commitments: str = "",
    counterpart: Organization | None = None,
    from_on: dt.date | None = None,
    to_on: dt.date | None = None,
) -> Partnership:
    """共建、结对: a unit starts working with ``community`` and says what it commits to."""
    require(actor, "orgs.change_organization", community)
    require(actor, "orgs.view_organization", unit)
    if counterpart is not None and counterpart.area_id != community.pk:
        raise ValidationError({"counterpart": [_("Choose an organisation of this community.")]})
    with transaction.atomic():
        partnership = Partnership(
            unit=unit,
            community=community,
            kind=kind,
            commitments=commitments,
            counterpart=counterpart,
            from_on=from_on or timezone.localdate(),
            to_on=to_on,
        )
        partnership.full_clean()
        partnership.save()
        record_event("orgs.partnership_add", actor=actor, obj=partnership, detail={"unit": unit.pk, "kind": kind})
    return partnership


def update_organization(
    *, actor: User, organization: Organization, name: str, estate: Estate | None, pledged_resources: str, is_red: bool
) -> Organization:
    """Rename an organisation, move it to another estate of its community, or update its pledges."""
    require(actor, "orgs.change_organization", organization)
    before = {"name": organization.name, "estate": organization.estate_id, "is_red": organization.is_red}
    with transaction.atomic():
        organization.name, organization.estate = name.strip(), estate
        organization.pledged_resources, organization.is_red = pledged_resources, is_red
        organization.full_clean()
        organization.save()
        record_event(
            "orgs.organization_update",
            actor=actor,
            obj=organization,
            detail={"before": before, "after": {"name": organization.name, "estate": organization.estate_id}},
        )
    return organization
