"""Posts and duties (设岗定责, 楼长-巷长-街长): assigning a post, ending a term, the post kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.scoping import has_action, require
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building

from ..models import PostAssignment, PostKind, PostLevel


def assign_post(
    *,
    actor: User,
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
            clashes = [
                _("%(building)s (%(name)s)") % {"building": b, "name": a.person.name}
                for a in taken
                for b in a.buildings.all()
                if b in buildings
            ]
            if clashes:
                raise ValidationError(
                    {
                        "buildings": [
                            _("Already has a building leader: %(buildings)s. End that post first.")
                            % {"buildings": pgettext("list separator", ", ").join(str(c) for c in clashes)}
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


def end_post(*, actor: User, assignment: PostAssignment, reason: str, on: dt.date | None = None) -> PostAssignment:
    """End a term (stepped down, moved away, replaced); the post becomes vacant from ``on``."""
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


def save_post_kind(*, actor: User, kind: PostKind | None, fields: dict[str, Any]) -> PostKind:
    """Add a post kind (``kind=None``) or change one: its code, name, level, duties, how often its
    holders visit, and its place in lists."""
    if not has_action(actor, "orgs.configure_posts"):
        raise NotPermitted
    created = kind is None
    saved = kind if kind is not None else PostKind()
    for name, value in fields.items():
        setattr(saved, name, value)
    with transaction.atomic():
        saved.full_clean()
        saved.save()
        record_event("orgs.post_kind_save", actor=actor, detail={"code": saved.code, "created": created})
    return saved
