"""The public board (件件有回音, /board/): resolved appeals and their replies, without personal data.

Open to everyone without signing in, and the same page for everyone: no session, no CSRF cookie,
so that a proxy may cache it. Only appeals whose redacted text the desk confirmed show a summary
and a reply, and these pass through ``core.redaction`` once more when shown (a second guard)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from shuren.core.permissions import public
from shuren.core.redaction import redact_text
from shuren.places.models import Estate

from .board import public_texts, published_appeals
from .models import Appeal, Category, Publication
from .portal_forms import category_name

PAGE_SIZE = 20
COUNTS_SECONDS = 300
# Searching numbers would let anyone test whether a phone or door number appears in a reply
# (even though it is never shown): the board searches words only.
DIGIT_RUN = re.compile(r"\d{4,}")
PLACEHOLDER = re.compile(r"\[[^\]]*\]")


class EstateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Estate) -> str:
        return f"{obj.name} · {obj.community.name}"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        name = category_name(obj)
        return f"— {name}" if obj.parent_id else name


class BoardFilterForm(forms.Form):
    estate = EstateChoiceField(
        label=_("Estate"),
        queryset=Estate.objects.select_related("community").order_by("community__path", "name"),
        required=False,
        empty_label=_("All estates"),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_published=True).order_by("sort_order", "code"),
        required=False,
        empty_label=_("All categories"),
    )
    q = forms.CharField(label=_("Words"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only estates that have something on the board: a district has thousands of estates.
        self.fields["estate"].queryset = self.fields["estate"].queryset.filter(pk__in=_published_estate_ids())
        # Parents first, each followed by its children.
        field = self.fields["category"]
        categories = list(field.queryset)
        ordered = []
        for top in [c for c in categories if c.parent_id is None]:
            ordered.append(top)
            ordered.extend(c for c in categories if c.parent_id == top.pk)
        field.choices = [("", field.empty_label)] + [(c.pk, field.label_from_instance(c)) for c in ordered]


def _published_estate_ids() -> list[int]:
    """Estates with at least one published appeal, cached like the counts."""
    key = "appeals:board:estates"
    ids = cache.get(key)
    if ids is None:
        ids = list(
            published_appeals().order_by().filter(estate__isnull=False).values_list("estate_id", flat=True).distinct()
        )
        cache.set(key, ids, COUNTS_SECONDS)
    return ids


def _filtered(form: BoardFilterForm) -> tuple[QuerySet[Appeal], dict[str, Any]]:
    """The published appeals matching the filters, and what was applied."""
    appeals = published_appeals()
    applied: dict[str, Any] = {"estate": None, "category": None, "q": "", "numbers_ignored": False}
    if not form.is_valid():
        return appeals, applied
    data = form.cleaned_data
    if data.get("estate"):
        appeals = appeals.filter(estate=data["estate"])
        applied["estate"] = data["estate"]
    query = " ".join((data.get("q") or "").split())
    if query and (DIGIT_RUN.search(query) or redact_text(query) != query):
        applied["numbers_ignored"] = True
        query = " ".join(PLACEHOLDER.sub(" ", redact_text(DIGIT_RUN.sub(" ", query))).split())
    for word in query.split()[:5]:
        # Only the confirmed public text is searched (never the original reply).
        appeals = appeals.filter(publication=Publication.PUBLISHED).filter(
            Q(public_summary__icontains=word) | Q(public_reply__icontains=word)
        )
    applied["q"] = query
    if data.get("category"):
        applied["category"] = data["category"]
    return appeals, applied


def _leaf_counts(appeals: QuerySet[Appeal], applied: dict[str, Any]) -> dict[int, int]:
    """How many published appeals each category has under the current estate and words. Cached for
    a few minutes: the board is read far more often than appeals are resolved, and the counts also
    spare the pages their own COUNT over every published appeal."""
    words = hashlib.sha256(applied["q"].encode()).hexdigest()[:16]
    estate = applied["estate"].pk if applied["estate"] else 0
    key = f"appeals:board:counts:{estate}:{words}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(appeals.order_by().values("category_id").annotate(n=Count("pk")).values_list("category_id", "n"))
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def _top_counts(per_leaf: dict[int, int]) -> tuple[list[dict[str, Any]], dict[int, int | None]]:
    """The counts per top-level category, largest first; and each category's parent."""
    categories = {c.pk: c for c in Category.objects.all()}
    parents = {pk: c.parent_id for pk, c in categories.items()}
    tops: dict[int, int] = {}
    for category_id, n in per_leaf.items():
        top = parents.get(category_id) or category_id
        tops[top] = tops.get(top, 0) + n
    counts = [
        {"pk": pk, "name": category_name(categories[pk]), "count": n}
        for pk, n in sorted(tops.items(), key=lambda item: (-item[1], categories[item[0]].sort_order))
    ]
    return counts, parents


def _for_display(appeal: Appeal) -> Appeal:
    appeal.category_label = category_name(appeal.category)  # type: ignore[attr-defined]
    appeal.place_label = appeal.estate.name if appeal.estate_id else appeal.area.name  # type: ignore[attr-defined]
    appeal.shown_summary, appeal.shown_reply = public_texts(appeal)  # type: ignore[attr-defined]
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
        appeals = appeals.filter(Q(category=category) | Q(category__parent=category))
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
    appeal = get_object_or_404(published_appeals(), pk=pk)
    return render(request, "appeals/board/detail.html", {"appeal": _for_display(appeal), "stars": range(1, 6)})
