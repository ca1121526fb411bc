"""Our records in GeoReport v2's words: field names, the open/closed status, w3c dates, and only
what may be published (see docs/open311.md, "Privacy")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shuren.appeals.board import public_texts
from shuren.appeals.models import OPEN_STATUSES, Appeal, Category, Status
from shuren.places.models import AreaKind

OPEN = "open"
CLOSED = "closed"
# submitted, accepted, dispatched, in progress -> open; resolved, closed, rejected, merged -> closed.
STATUS_OF = {status: (OPEN if status in OPEN_STATUSES else CLOSED) for status in Status}
# Published points are rounded to about 100 m: the estate, not the door.
COORDINATE_DECIMALS = 3


def open311_status(status: str) -> str:
    return STATUS_OF[Status(status)]


def statuses_for(open311_statuses: list[str]) -> list[str]:
    """Our statuses behind the Open311 ones asked for."""
    return [status.value for status, mapped in STATUS_OF.items() if mapped in open311_statuses]


def w3c(moment: dt.datetime | None) -> str | None:
    """A w3c datetime with the local offset, e.g. 2026-03-02T09:30:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def category_name(category: Category) -> str:
    return category.name_en if _english() and category.name_en else category.name


SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed in a way a client would notice (the discovery's changeset).
API_CHANGESET = dt.datetime(2026, 12, 6, 0, 0, tzinfo=dt.UTC)
MEDIA_TYPES = {"xml": "text/xml", "json": "application/json"}


def discovery(*, url: str) -> dict[str, Any]:
    """Service discovery as GeoReport v2 describes it: when it last changed, whom to contact,
    how to get an api_key, and the one endpoint (``url``, the base of the resources) with the
    specification it implements and its formats."""
    contact = str(getattr(settings, "SHUREN_OPEN311_CONTACT", "") or "") or _(
        "The appeal desk (诉求受理) of the district that runs this service."
    )
    key_service = str(getattr(settings, "SHUREN_OPEN311_KEY_SERVICE", "") or "") or _(
        "Reading needs no key. To file requests, ask the administrators for an api_key: they register "
        "your application for an area with the open311-client command."
    )
    changeset = w3c(API_CHANGESET)
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": changeset,
                "type": str(getattr(settings, "SHUREN_OPEN311_ENDPOINT_TYPE", "") or "production"),
                "formats": list(MEDIA_TYPES.values()),
            }
        ],
    }


def service_row(category: Category) -> dict[str, Any]:
    keywords = ", ".join(k.strip() for k in category.keywords.replace("，", ",").split(",") if k.strip())
    return {
        "service_code": category.code,
        "service_name": category_name(category),
        "description": category.description or None,
        "metadata": False,
        "type": "realtime",
        "keywords": keywords or None,
        "group": category_name(category.parent) if category.parent is not None else None,
    }


def service_definition(category: Category) -> dict[str, Any]:
    """No category asks for extra fields yet: the definition has no attributes."""
    return {"service_code": category.code, "attributes": []}


def service_notice(appeal: Appeal) -> str | None:
    """What the reporter may expect, while the appeal is open: its resolution deadline."""
    if appeal.status not in OPEN_STATUSES or appeal.resolution_due_at is None:
        return None
    return _("To be resolved by %(due)s (within %(hours)d working hours).") % {
        "due": f"{timezone.localtime(appeal.resolution_due_at):%Y-%m-%d %H:%M}",
        "hours": appeal.category.resolution_hours,
    }


def public_address(appeal: Appeal) -> str:
    """Estate, community, subdistrict (most specific first, as the spec asks); never a building
    or a door, never the reporter's own words."""
    area = appeal.area
    community = area.parent if area.kind == AreaKind.GRID else area
    parts = [appeal.estate.name if appeal.estate is not None else "", community.name if community else ""]
    if community is not None and community.parent is not None:
        parts.append(community.parent.name)
    return ", ".join(part for part in parts if part)


def _updated_at(appeal: Appeal) -> dt.datetime:
    """For a closed request, when it closed; otherwise the last step the reporter could see."""
    last = getattr(appeal, "last_public_event_at", None)
    if open311_status(appeal.status) == CLOSED:
        return appeal.closed_at or appeal.resolved_at or last or appeal.submitted_at
    return last or appeal.submitted_at


def _coordinate(value: Any) -> float | None:
    return None if value is None else round(float(value), COORDINATE_DECIMALS)


def request_row(appeal: Appeal) -> dict[str, Any]:
    """One service request as the public may see it. The description and the status notes are
    the summary and the reply the desk confirmed at the publication review (redacted, and
    redacted again here), and nothing until then: an unconfirmed appeal shows its category,
    place, status and dates only. The reporter's name, phone and e-mail never appear; the place
    stops at the estate."""
    summary, reply = public_texts(appeal)
    return {
        "service_request_id": appeal.reference,
        "status": open311_status(appeal.status),
        "status_notes": reply or str(Status(appeal.status).label),
        "service_name": category_name(appeal.category),
        "service_code": appeal.category.code,
        "description": summary or None,
        "agency_responsible": appeal.organization.name if appeal.organization is not None else None,
        "service_notice": service_notice(appeal),
        "requested_datetime": w3c(appeal.submitted_at),
        "updated_datetime": w3c(_updated_at(appeal)),
        "expected_datetime": w3c(appeal.resolution_due_at),
        "address": public_address(appeal) or None,
        "address_id": None,
        "zipcode": None,
        "lat": _coordinate(appeal.latitude),
        "long": _coordinate(appeal.longitude),
        "media_url": None,
    }


def created_row(appeal: Appeal) -> dict[str, Any]:
    """The answer to POST requests: the id at once (our requests are realtime)."""
    return {"service_request_id": appeal.reference, "service_notice": service_notice(appeal), "account_id": None}


def token_row(appeal: Appeal) -> dict[str, Any]:
    return {"service_request_id": appeal.reference, "token": appeal.token}
