"""Resources: staff record what the organisations and residents of their areas offer; a member
unit's contact keeps the entries of their own organisation (and no other's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, path_covers, require
from shuren.core.validators import required_text
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind

from .. import selectors
from ..models import ALL_WEEK, Category, Resource, ResourceKind
from .base import audit

EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "category",
    "area",
    "capacity",
    "remaining",
    "unit_label",
    "venue_seats",
    "skills",
    "weekdays",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_until",
    "is_public",
    "is_active",
    "show_name",
)


def _check(resource: Resource) -> None:
    errors: dict[str, list[str]] = {}
    if resource.kind not in ResourceKind.values:
        errors["kind"] = [_("Choose the kind of resource.")]
    if resource.category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if not resource.area_id or resource.area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
        errors["area"] = [_("Choose a community or a grid.")]
    if resource.capacity is None or resource.capacity < 0:
        errors["capacity"] = [_("Zero or more.")]
    elif resource.remaining is None or not 0 <= resource.remaining <= resource.capacity:
        errors["remaining"] = [_("Between zero and the capacity.")]
    if resource.weekdays is None or not 0 < resource.weekdays <= ALL_WEEK:
        errors["weekdays"] = [_("Choose at least one weekday.")]
    if resource.opens_at and resource.closes_at and resource.closes_at <= resource.opens_at:
        errors["closes_at"] = [_("The end must be after the start.")]
    if resource.valid_from and resource.valid_until and resource.valid_until < resource.valid_from:
        errors["valid_until"] = [_("The end must not be before the start.")]
    if resource.organization is None and resource.person is None:
        errors["organization"] = [_("Say who offers it: an organisation or a resident.")]
    if resource.organization is not None and resource.person is not None:
        errors["person"] = [_("An organisation or a resident, not both.")]
    if resource.organization is not None and resource.area_id:
        district = resource.area.path.split(".")[0]
        if not path_covers(district, resource.organization.scope):
            errors["organization"] = [_("The organisation must be of this district.")]
    if errors:
        raise ValidationError(errors)
    resource.title = required_text(resource.title, "title", _("Give the resource a short title."), limit=100)
    resource.description = (resource.description or "").strip()
    resource.scope = resource.area.path


def _may_keep(actor: User, resource: Resource) -> None:
    """Staff of the resource's area, or the contact of its organisation; 404 for everyone else."""
    if can(actor, "lists.manage", resource) or selectors.is_provider(actor, resource):
        return
    require(actor, "lists.manage", resource)
    raise OutOfScope()


def create_resource(
    *,
    actor: User,
    title: str,
    kind: str,
    category: str,
    area: Area | None = None,
    organization: Organization | None = None,
    person: Person | None = None,
    capacity: int = 1,
    remaining: int | None = None,
    description: str = "",
    unit_label: str = "",
    venue_seats: int | None = None,
    skills: str = "",
    weekdays: int = ALL_WEEK,
    opens_at: dt.time | None = None,
    closes_at: dt.time | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    is_public: bool = True,
    is_active: bool = True,
    show_name: bool = False,
) -> Resource:
    """Put a resource on the list of its area. Staff with ``lists.manage`` there name any provider
    of their areas; a member unit's contact records for their own organisation (the area defaults
    to the organisation's)."""
    if area is None and organization is not None:
        area = organization.area
    resource = Resource(
        title=title,
        kind=kind,
        category=category,
        area=area,
        organization=organization,
        person=person,
        capacity=capacity,
        remaining=capacity if remaining is None else remaining,
        description=description,
        unit_label=(unit_label or "").strip()[:10],
        venue_seats=venue_seats,
        skills=(skills or "").strip()[:200],
        weekdays=weekdays,
        opens_at=opens_at,
        closes_at=closes_at,
        valid_from=valid_from,
        valid_until=valid_until,
        is_public=is_public,
        is_active=is_active,
        show_name=show_name,
        created_by=actor,
    )
    if area is None:
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    _check(resource)
    _may_keep(actor, resource)
    if not can(actor, "lists.manage", resource):
        # A contact files only for their own organisation, inside that organisation's community.
        if organization is None or organization.pk not in selectors.provider_organization_ids(actor):
            raise OutOfScope()
        if not path_covers(organization.scope.rsplit(".", 1)[0], resource.scope):
            raise ValidationError({"area": [_("Choose a place near your organisation.")]})
    if person is not None and not can(actor, "lists.manage", person):
        raise ValidationError({"person": [_("Choose a resident of your areas.")]})
    with transaction.atomic():
        resource.save()
        audit("resource_create", actor=actor, obj=resource, kind=kind, category=category)
    return resource


def edit_resource(*, actor: User, resource: Resource, version: int, **fields: Any) -> Resource:
    """Change a resource from the version the actor read (StaleVersion otherwise). Its provider
    does not change; lowering the capacity below what is already taken is refused."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"edit_resource cannot change {sorted(unknown)}")
    _may_keep(actor, resource)
    probe = Resource.objects.get(pk=resource.pk)
    for name, value in fields.items():
        setattr(probe, name, value)
    _check(probe)
    if "area" in fields:
        _may_keep(actor, probe)
    changes = {name: getattr(probe, name) for name in EDITABLE_FIELDS}
    changes["scope"] = probe.scope
    changed = [name for name in EDITABLE_FIELDS if getattr(resource, name) != getattr(probe, name)]
    with transaction.atomic():
        resource.version = update_versioned(Resource, pk=resource.pk, version=version, **changes)
        for name, value in changes.items():
            setattr(resource, name, value)
        audit("resource_edit", actor=actor, obj=resource, changed=",".join(changed))
    return resource
