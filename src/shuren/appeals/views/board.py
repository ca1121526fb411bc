"""The public board (件件有回音, /board/): resolved appeals and their replies, without personal data.

Open to everyone without signing in, and the same page for everyone: no session, no CSRF cookie,
so that a proxy may cache it. Only appeals whose redacted text the desk confirmed show a summary
and a reply, and these pass through ``core.redaction`` once more when shown (a second guard)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from shuren.core.permissions import public
from shuren.core.redaction import redact_text

from ..board import public_texts
from ..forms.board import BoardFilterForm
from ..models import Appeal, category_label
from ..selectors import board_appeals, categories_by_pk, count_by_category, in_board_category

PAGE_SIZE = 20
COUNTS_SECONDS = 300
# Searching numbers would let anyone test whether a phone or door number appears in a reply
# (even though it is never shown): the board searches words only.
DIGIT_RUN = re.compile(r"\d{4,}")
PLACEHOLDER = re.compile(r"\[[^\]]*\]")


def _filtered(form: BoardFilterForm) -> tuple[QuerySet[Appeal], dict[str, Any]]:
    """The published appeals matching the filters, and what was applied."""
    applied: dict[str, Any] = {"estate": None, "category": None, "q": "", "numbers_ignored": False}
    if not form.is_valid():
        return board_appeals(), applied
    data = form.cleaned_data
    applied["estate"] = data.get("estate") or None
    query = " ".join((data.get("q") or "").split())
    if query and (DIGIT_RUN.search(query) or redact_text(query) != query):
        applied["numbers_ignored"] = True
        query = " ".join(PLACEHOLDER.sub(" ", redact_text(DIGIT_RUN.sub(" ", query))).split())
    applied["q"] = query
    if data.get("category"):
        applied["category"] = data["category"]
    return board_appeals(estate=applied["estate"], words=query.split()[:5]), applied


def _leaf_counts(appeals: QuerySet[Appeal], applied: dict[str, Any]) -> dict[int, int]:
    """How many published appeals each category has under the current estate and words. Cached for
    a few minutes: the board is read far more often than appeals are resolved, and the counts also
    spare the pages their own COUNT over every published appeal."""
    words = hashlib.sha256(applied["q"].encode()).hexdigest()[:16]
    estate = applied["estate"].pk if applied["estate"] else 0
    key = f"appeals:board:counts:{estate}:{words}"
    counts = cache.get(key)
    if counts is None:
        counts = count_by_category(appeals)
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def _top_counts(per_leaf: dict[int, int]) -> tuple[list[dict[str, Any]], dict[int, int | None]]:
    """The counts per top-level category, largest first; and each category's parent."""
    categories = categories_by_pk()
    parents = {pk: c.parent_id for pk, c in categories.items()}
    tops: dict[int, int] = {}
    for category_id, n in per_leaf.items():
        top = parents.get(category_id) or category_id
        tops[top] = tops.get(top, 0) + n
    counts = [
        {"pk": pk, "name": category_label(categories[pk]), "count": n}
        for pk, n in sorted(tops.items(), key=lambda item: (-item[1], categories[item[0]].sort_order))
    ]
    return counts, parents


def _for_display(appeal: Appeal) -> Appeal:
    appeal.category_label = category_label(appeal.category)  # type: ignore[attr-defined]  # shown by the template
    place = appeal.estate.name if appeal.estate is not None else appeal.area.name
    appeal.place_label = place  # type: ignore[attr-defined]  # shown by the template
    shown = public_texts(appeal)
    appeal.shown_summary, appeal.shown_reply = shown  # type: ignore[attr-defined]  # shown by the template
    return appeal


board_cache = cache_control(public=True, max_age=300)


@public
@require_GET
@board_cache
@vary_on_headers("Accept-Language")
def board_list(request: HttpRequest) -> HttpResponse:
    """件件有回音: every published answer, searchable by estate, category and words."""
    form = BoardFilterForm(request.GET or None)
    appeals, applied = _filtered(form)
    per_leaf = _leaf_counts(appeals, applied)
    counts, parents = _top_counts(per_leaf)
    total = sum(per_leaf.values())
    if applied["category"] is not None:
        category = applied["category"]
        appeals = in_board_category(appeals, category)
        total = sum(n for pk, n in per_leaf.items() if category.pk in (pk, parents.get(pk)))
    paginator = Paginator(appeals, PAGE_SIZE)
    paginator.count = total  # from the cached counts (cached_property): no COUNT over the board per page
    page = paginator.get_page(request.GET.get("page"))
    for appeal in page.object_list:
        _for_display(appeal)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("category", None)
    return render(
        request,
        "appeals/board/list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "applied": applied,
            "count_query": query.urlencode(),
            "stars": range(1, 6),
        },
    )


@public
@require_GET
@board_cache
@vary_on_headers("Accept-Language")
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(board_appeals(), pk=pk)
    return render(request, "appeals/board/detail.html", {"appeal": _for_display(appeal), "stars": range(1, 6)})
