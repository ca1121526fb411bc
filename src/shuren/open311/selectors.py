"""Reads of the Open311 adapter: the services (leaf categories), the requests the public may see,
and the jurisdictions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from shuren.appeals.models import Appeal, AppealEvent, Category, Channel, Status
from shuren.core.scoping import scope_q
from shuren.places.models import Area, AreaKind, Building

# Listed by date, status and service_code; shown only when asked for by id (so that a client can
# learn what became of a request it filed): a rejected appeal may be abuse or not a matter for us,
# a merged one repeats another that is listed.
UNLISTED_STATUSES = (Status.REJECTED, Status.MERGED)
MAX_REQUESTS = 1000


def jurisdiction_scope(jurisdiction_id: str | None) -> str | None:
    """The scope path a ``jurisdiction_id`` names: ``""`` for the whole installation (no id, or the
    configured SHUREN_OPEN311_JURISDICTION_ID), a district's path for the code of a top-level area
    (e.g. ``440605``), None when it names nothing we serve."""
    value = (jurisdiction_id or "").strip()
    if not value:
        return ""
    configured = str(getattr(settings, "SHUREN_OPEN311_JURISDICTION_ID", "") or "").strip()
    if configured and value.lower() == configured.lower():
        return ""
    area = Area.objects.filter(parent__isnull=True, kind=AreaKind.DISTRICT, code=value).only("path").first()
    return area.path if area else None


def open_services() -> QuerySet[Category]:
    """The service list: active categories without children (appeals are filed under leaves)."""
    return Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")


def open_service(code: str) -> Category | None:
    return open_services().filter(code=code).first()


def public_requests(scope: str = "") -> QuerySet[Appeal]:
    """Every appeal the public may see through Open311: those of published categories (a private
    matter such as a family dispute never appears), within ``scope``, newest first, with only the
    columns that may be shown (the reporter's contact and the raw description are never loaded)."""
    last_public_event = (
        AppealEvent.objects.filter(appeal=OuterRef("pk"), is_public=True).order_by("-at", "-pk").values("at")[:1]
    )
    queryset = (
        Appeal.objects.filter(category__is_published=True)
        .select_related("category", "estate", "area__parent__parent", "organization")
        .only(
            "pk",
            "reference",
            "status",
            "submitted_at",
            "resolved_at",
            "closed_at",
            "resolution_due_at",
            "latitude",
            "longitude",
            "is_published",
            "publication",
            "public_summary",
            "public_reply",
            "category__code",
            "category__name",
            "category__name_en",
            "category__resolution_hours",
            "category__is_published",
            "estate__name",
            "area__name",
            "area__kind",
            "area__parent__name",
            "area__parent__kind",
            "area__parent__parent__name",
            "area__parent__parent__kind",
            "organization__name",
        )
        .annotate(last_public_event_at=Subquery(last_public_event))
        .order_by("-submitted_at", "-pk")
    )
    if scope:
        queryset = queryset.filter(scope_q([scope], "scope"))
    return queryset


def listed_requests(scope: str = "") -> QuerySet[Appeal]:
    """What GET requests.[format] searches when no service_request_id is given."""
    return public_requests(scope).exclude(status__in=UNLISTED_STATUSES)


def requests_by_id(scope: str, references: Sequence[str]) -> QuerySet[Appeal]:
    """The public requests among ``references`` (listed or not: a client may follow its own)."""
    return public_requests(scope).filter(reference__in=references)


def public_request(scope: str, reference: str) -> Appeal | None:
    return public_requests(scope).filter(reference=reference).first()


def search_requests(
    scope: str,
    *,
    service_codes: Sequence[str],
    start: dt.datetime,
    end: dt.datetime,
    statuses: Sequence[str] | None,
) -> QuerySet[Appeal]:
    """GET requests.[format] without ids: the listed requests of the services ``service_codes``
    (all when empty), submitted from ``start`` to ``end`` inclusive, in ``statuses`` (all when None)."""
    found = listed_requests(scope)
    if service_codes:
        found = found.filter(category__code__in=service_codes)
    found = found.filter(submitted_at__gte=start, submitted_at__lte=end)
    if statuses is not None:
        found = found.filter(status__in=statuses)
    return found


def building_by_id(pk: int) -> Building | None:
    """A building of the registry, named by a client as ``address_id``."""
    return Building.objects.select_related("estate", "grid").filter(pk=pk).first()


def appeal_for_token(token: str, scope: str = "") -> Appeal | None:
    """The appeal filed through Open311 whose token is ``token``."""
    queryset = Appeal.objects.filter(token=token, channel=Channel.OPEN311).only("pk", "reference", "token")
    if scope:
        queryset = queryset.filter(scope_q([scope], "scope"))
    return queryset.first()
