from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Estate

from .models import Organization, PostAssignment, PostKind, PostLevel


def create_organization(
    *, actor: Any, kind: str, name: str, area: Area, estate: Estate | None = None, pledged_resources: str = ""
) -> Organization:
    """Register an organisation in ``area`` (scope-checked, validated, audited)."""
    require(actor, "orgs.change_organization", area)
    with transaction.atomic():
        org = Organization(kind=kind, name=name, area=area, estate=estate, pledged_resources=pledged_resources)
        org.full_clean()
        org.save()
        record_event("orgs.organization_create", actor=actor, obj=org, detail={"kind": kind, "name": name})
    return org


def assign_post(
    *,
    actor: Any,
    kind: PostKind,
    person: Person,
    area: Area,
    buildings: Sequence[Building] = (),
    place_name: str = "",
    from_on: dt.date | None = None,
    to_on: dt.date | None = None,
) -> PostAssignment:
    """设岗定责: give ``person`` a post over buildings, a lane or a street of ``area`` (a grid or a
    community). Buildings must lie in the area; a building keeps one building leader at a time."""
    from django.utils import timezone

    require(actor, "orgs.change_organization", area)
    require(actor, "people.view_person", person)
    errors: dict[str, list[str]] = {}
    if area.kind not in (AreaKind.GRID, AreaKind.COMMUNITY):
        errors["area"] = [_("Choose a grid or a community.")]
    community = area.path.rsplit(".", 1)[0] if area.kind == AreaKind.GRID else area.path
    if not (person.scope == community or person.scope.startswith(community + ".")):
        errors["person"] = [_("The person must live in this community.")]
    if kind.level == PostLevel.BUILDING and not buildings:
        errors["buildings"] = [_("Choose the buildings this post covers.")]
    if kind.level in (PostLevel.LANE, PostLevel.STREET) and not place_name.strip():
        errors["place_name"] = [_("Enter the lane or street.")]
    outside = [b for b in buildings if not (b.scope == area.path or b.scope.startswith(area.path + "."))]
    if outside:
        errors["buildings"] = [
            _("Not in the chosen area: %(buildings)s") % {"buildings": "、".join(str(b) for b in outside)}
        ]
    from_on = from_on or timezone.localdate()
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if kind.code == PostKind.BUILDING_LEADER and buildings:
            # Lock the buildings so two staff cannot give one building two leaders at once.
            list(Building.objects.select_for_update().filter(pk__in=[b.pk for b in buildings]))
            taken = (
                PostAssignment.objects.overlapping(from_on, to_on)
                .filter(kind=kind, buildings__in=buildings)
                .exclude(person=person)
                .select_related("person")
                .prefetch_related("buildings")
                .distinct()
            )
            clashes = [f"{b} ({a.person.name})" for a in taken for b in a.buildings.all() if b in buildings]
            if clashes:
                raise ValidationError(
                    {
                        "buildings": [
                            _("Already has a building leader: %(buildings)s. End that post first.")
                            % {"buildings": "、".join(clashes)}
                        ]
                    }
                )
        assignment = PostAssignment(
            kind=kind, person=person, area=area, place_name=place_name.strip(), from_on=from_on, to_on=to_on
        )
        assignment.full_clean()
        assignment.save()
        assignment.buildings.set(buildings)
        record_event(
            "orgs.post_assign",
            actor=actor,
            obj=assignment,
            detail={"kind": kind.code, "person": person.pk, "buildings": [b.pk for b in buildings]},
        )
    return assignment


def end_post(*, actor: Any, assignment: PostAssignment, reason: str, on: dt.date | None = None) -> PostAssignment:
    """End a term (stepped down, moved away, replaced); the post becomes vacant from ``on``."""
    from django.utils import timezone

    require(actor, "orgs.change_organization", assignment)
    if not reason.strip():
        raise ValidationError({"reason": [_("State the reason.")]})
    on = on or timezone.localdate()
    if on < assignment.from_on:
        raise ValidationError({"on": [_("A term cannot end before it began.")]})
    with transaction.atomic():
        # Still running on ``on`` (it began on or before: checked above).
        updated = (
            PostAssignment.objects.current(on).filter(pk=assignment.pk).update(to_on=on, ended_reason=reason.strip())
        )
        if not updated:
            raise ValidationError(_("This term has already ended."))
        record_event("orgs.post_end", actor=actor, obj=assignment, reason=reason)
    assignment.refresh_from_db()
    return assignment


def add_member(
    *, actor: Any, organization: Organization, person: Person, role: str, from_on: dt.date | None = None
) -> Any:
    """Record ``person`` as a member of ``organization`` (one current membership each)."""
    from .models import Membership

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


def end_membership(*, actor: Any, membership: Any, on: dt.date | None = None) -> None:
    from django.utils import timezone

    require(actor, "orgs.change_organization", membership.organization)
    on = on or timezone.localdate()
    if membership.from_on and on < membership.from_on:
        raise ValidationError(_("A term cannot end before it began."))
    with transaction.atomic():
        type(membership).objects.filter(pk=membership.pk, to_on__isnull=True).update(to_on=on)
        record_event(
            "orgs.member_end",
            actor=actor,
            obj=membership.organization,
            detail={"person": membership.person_id},
        )


def add_station(
    *, actor: Any, community: Area, name: str, estate: Estate | None, address: str = "", opening_hours: str = ""
) -> Any:
    """一小区一站点: register a party-and-people service station in ``community`` (or one of its estates)."""
    from .models import ServiceStation

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
    actor: Any,
    unit: Organization,
    community: Area,
    kind: str,
    commitments: str = "",
    counterpart: Organization | None = None,
    from_on: dt.date | None = None,
    to_on: dt.date | None = None,
) -> Any:
    """共建、结对: a unit starts working with ``community`` and says what it commits to."""
    from django.utils import timezone

    from .models import Partnership

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
    *, actor: Any, organization: Organization, name: str, estate: Estate | None, pledged_resources: str, is_red: bool
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
