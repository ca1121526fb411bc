from __future__ import annotations

from typing import Any

from django.db import transaction

from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.places.models import Area, Estate

from .models import Organization


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
