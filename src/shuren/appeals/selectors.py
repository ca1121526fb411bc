"""Reads of appeals: who sees which, the working lists (mine, due soon, overdue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from shuren.core.scoping import scope_paths, scope_q
from shuren.core.workdays import WorkingCalendar

from .models import OPEN_STATUSES, Appeal, Handler, Notification, Status


def handler_organization_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_shuren_handler_orgs", None)
    if cached is None:
        cached = list(Handler.objects.filter(user=user, is_active=True).values_list("organization_id", flat=True))
        user._shuren_handler_orgs = cached
    return cached


def visibility_q(user: Any) -> Q:
    """Staff see the appeals of their areas; a handler only those dispatched to their organisation
    (within the areas of their handler grant)."""
    query = Q(pk__in=[])
    view_paths = scope_paths(user, "appeals.view")
    if view_paths:
        query |= scope_q(view_paths, "scope")
    orgs = handler_organization_ids(user)
    handle_paths = scope_paths(user, "appeals.handle")
    if orgs and handle_paths:
        query |= Q(organization_id__in=orgs) & scope_q(handle_paths, "scope")
    return query


def visible_appeals(user: Any) -> QuerySet[Appeal]:
    """Every appeal ``user`` may open as staff or handler (not as reporter: see ``my_appeals``)."""
    return Appeal.objects.filter(visibility_q(user))


def listed_appeals(queryset: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The joins a list of appeals needs."""
    return queryset.select_related("category", "area", "estate", "building", "organization")


def my_appeals(user: Any) -> QuerySet[Appeal]:
    """Appeals the user reported, or recorded for someone else."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return Appeal.objects.filter(Q(reporter=user) | Q(recorded_by=user))


def openable_appeal(user: Any, pk: int) -> Appeal:
    """The appeal ``pk`` if ``user`` may open it (staff, handler or reporter); OutOfScope otherwise."""
    from shuren.core.errors import OutOfScope

    appeal = (
        Appeal.objects.filter(pk=pk)
        .filter(
            visibility_q(user) | Q(reporter_id=getattr(user, "pk", None)) | Q(recorded_by_id=getattr(user, "pk", None))
        )
        .select_related(
            "category", "area", "area__parent", "estate", "building", "dwelling", "organization", "duplicate_of"
        )
        .first()
    )
    if appeal is None:
        raise OutOfScope()
    return appeal


def due_soon_limit(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return WorkingCalendar().add_working_hours(now, float(settings.SHUREN_APPEAL_DUE_SOON_HOURS))


def overdue_q(now: dt.datetime) -> Q:
    """Open appeals past their resolution deadline, or dispatched and not taken up in time.
    (Written as ``status IN (open) AND (...)`` so that PostgreSQL uses the open-appeals indexes.)"""
    return Q(status__in=OPEN_STATUSES) & (
        Q(resolution_due_at__lt=now) | Q(status=Status.DISPATCHED, response_due_at__lt=now)
    )


def due_soon_q(now: dt.datetime, limit: dt.datetime) -> Q:
    """Open appeals whose next deadline falls between now and ``limit`` (not yet overdue)."""
    return (
        Q(status__in=OPEN_STATUSES)
        & (
            Q(resolution_due_at__gte=now, resolution_due_at__lte=limit)
            | Q(status=Status.DISPATCHED, response_due_at__gte=now, response_due_at__lte=limit)
        )
        & ~overdue_q(now)
    )


def overdue_appeals(queryset: QuerySet[Appeal], now: dt.datetime | None = None) -> QuerySet[Appeal]:
    return queryset.filter(overdue_q(now or timezone.now()))


def due_soon_appeals(queryset: QuerySet[Appeal], now: dt.datetime | None = None) -> QuerySet[Appeal]:
    now = now or timezone.now()
    return queryset.filter(due_soon_q(now, due_soon_limit(now)))


def open_appeals_for_handler(user: Any) -> QuerySet[Appeal]:
    """What a handler's organisation must act on now."""
    orgs = handler_organization_ids(user)
    return visible_appeals(user).filter(organization_id__in=orgs, status__in=(Status.DISPATCHED, Status.IN_PROGRESS))


def open_appeals_in_scope(user: Any) -> QuerySet[Appeal]:
    """A grid worker's or community's open appeals (the list benchmarked at scale)."""
    return visible_appeals(user).filter(status__in=OPEN_STATUSES)


def unread_notifications(user: Any) -> QuerySet[Notification]:
    """The user's appeal notifications not yet read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def publication_queue(user: Any) -> QuerySet[Appeal]:
    """Resolved appeals awaiting the publication review in the places where ``user`` dispatches."""
    from shuren.core.scoping import visible

    from .models import Publication

    return visible(Appeal.objects.filter(publication=Publication.PENDING), user, "appeals.dispatch")
