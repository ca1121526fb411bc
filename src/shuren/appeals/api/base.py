"""What the appeals API views share and no other app needs: who takes part (``ANY_PARTY``), the
OpenAPI pieces worded for appeals, how the caller stands to an appeal (``Viewer``), deadlines as
the lists show them (``DeadlineClock``) and the appeal with its ETag (``appeal_response``)."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response

from shuren.api.openapi import etag_header
from shuren.api.openapi import problems as api_problems
from shuren.api.permissions import AnyActionByMethod
from shuren.core.concurrency import etag_for
from shuren.core.scoping import can
from shuren.orgs.models import Organization

from .. import workflow
from ..dispatching import suggest_organization
from ..duplicates import similar_open_appeals
from ..models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Status,
)
from ..privacy import visible_reporter
from ..selectors import (
    due_soon_limit,
    handler_organization_ids,
)
from .serializers import (
    AppealDetailSerializer,
)

# --- permissions ----------------------------------------------------------------------------------

# Whoever takes part in appeals: staff of a place, handlers, and reporters. Which appeal each may
# open, and what they may do with it, the selectors and the workflow decide.
PARTY_ACTIONS = ("appeals.view", "appeals.handle", "appeals.report")


ANY_PARTY = AnyActionByMethod({"GET": PARTY_ACTIONS, "POST": PARTY_ACTIONS})

# --- OpenAPI pieces -------------------------------------------------------------------------------

LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[201], description="The new appeal."
)
ETAG = etag_header("The appeal's version.")

APPEAL_MEANING = {
    403: "Your roles do not allow this action on this appeal.",
    404: "No such appeal among those you may open.",
    409: "The state does not allow this step, or someone changed the appeal first (reload it).",
}


def problems(*codes: int) -> dict[Any, Any]:
    """Documented problem answers (RFC 9457) for the given status codes, worded for appeals."""
    return api_problems(*codes, meaning=APPEAL_MEANING)


# --- how the caller stands to an appeal -----------------------------------------------------------


class Viewer:
    """The caller's part in one appeal, which decides what they see of it.

    Staff of the place see everything, with the reporter's phone masked. A handler sees all events
    but the reporter only when the dispatcher shared the contact (and then in full, audited). A
    reporter sees the public timeline and not the internal flags. Nobody sees who reported an
    anonymous appeal.
    """

    STAFF, HANDLER, REPORTER = "staff", "handler", "reporter"

    def __init__(self, user: Any, appeal: Appeal) -> None:
        self.user, self.appeal = user, appeal
        if can(user, "appeals.view", appeal):
            self.role = self.STAFF
        elif appeal.organization_id is not None and appeal.organization_id in handler_organization_ids(user):
            self.role = self.HANDLER
        elif user.pk in (appeal.reporter_id, appeal.recorded_by_id):
            self.role = self.REPORTER
        else:  # a handler who has just returned the appeal: the most discreet view
            self.role = self.HANDLER

    @property
    def is_reporter_view(self) -> bool:
        return self.role == self.REPORTER

    @property
    def sees_contact(self) -> bool:
        if self.appeal.is_anonymous:
            return False
        return self.role != self.HANDLER or self.appeal.contact_shared

    @property
    def sees_dwelling(self) -> bool:
        """The dwelling is mostly the reporter's home: a handler learns it with the contact."""
        return self.role != self.HANDLER or self.appeal.contact_shared

    @cached_property
    def actions(self) -> list[str]:
        return workflow.allowed_actions(self.appeal, actor=self.user)

    @cached_property
    def is_dispatcher(self) -> bool:
        return self.role == self.STAFF and workflow.is_dispatcher(self.user, self.appeal)

    def reporter(self) -> dict[str, str] | None:
        seen = visible_reporter(self.user, self.appeal, as_handler=self.role == self.HANDLER)
        if seen is None or seen.anonymous or not (seen.name or seen.phone):
            return None
        return {"name": seen.name, "phone": seen.phone}

    def suggested_organization(self) -> Organization | None:
        return suggest_organization(self.appeal) if self.is_dispatcher else None

    def similar(self) -> list[tuple[Appeal, float]]:
        if not (self.is_dispatcher and self.appeal.is_open):
            return []
        return similar_open_appeals(self.appeal)

    def events(self) -> QuerySet[AppealEvent]:
        events = self.appeal.events.select_related("actor", "organization")
        return events.filter(is_public=True) if self.is_reporter_view else events


class DeadlineClock:
    """Whether an open appeal's next deadline has passed or is near, as the selectors define it."""

    def __init__(self) -> None:
        self.now = timezone.now()

    @cached_property
    def soon(self) -> dt.datetime:
        return due_soon_limit(self.now)

    def state_of(self, appeal: Appeal) -> str | None:
        return self.state(appeal.status, appeal.resolution_due_at, appeal.response_due_at)

    def state(
        self, status: str, resolution_due_at: dt.datetime | None, response_due_at: dt.datetime | None
    ) -> str | None:
        if status not in OPEN_STATUSES:
            return None
        candidates = [resolution_due_at]
        if status == Status.DISPATCHED:
            candidates.append(response_due_at)
        deadlines = [d for d in candidates if d is not None]
        if any(d < self.now for d in deadlines):
            return "overdue"
        if any(d <= self.soon for d in deadlines):
            return "due_soon"
        return None


def appeal_response(user: Any, appeal: Appeal, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The appeal as ``user`` may see it, with its ETag."""
    viewer = Viewer(user, appeal)
    data = AppealDetailSerializer(appeal, context={"viewer": viewer, "clock": DeadlineClock()}).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(appeal)
    return response
