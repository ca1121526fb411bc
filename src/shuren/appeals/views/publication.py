"""The desk's publication review (待公开审核): resolved appeals waiting for a person to compare
their redacted text with the original before anything is published."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.permissions import requires

from .. import workflow
from ..models import category_label
from ..privacy import place_label
from ..selectors import listed_appeals, publication_queue

PAGE_SIZE = 30


@requires("appeals.dispatch")
def publication_review(request: HttpRequest) -> HttpResponse:
    """The appeals awaiting review in the user's area, oldest resolution first; each opens on the
    appeal's page with the comparison and the confirm form."""
    appeals = listed_appeals(publication_queue(request.user)).order_by("resolved_at", "pk")
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    for appeal in page.object_list:
        appeal.category_label = category_label(appeal.category)  # type: ignore[attr-defined]  # shown by the template
        appeal.place_label = place_label(appeal, room=False)  # type: ignore[attr-defined]  # shown by the template
        shown = workflow.is_dispatcher(request.user, appeal)
        appeal.may_review = shown  # type: ignore[attr-defined]  # shown by the template
    return render(request, "appeals/console/publication_review.html", {"page": page})
