"""A community's public notices (/public/notices/<community>/) and their Atom feed: notices marked
public, for everyone, without signing in. Every text passes through ``core.redaction`` when shown,
so no phone, ID or door number, nor the name of anyone in the audience, is ever public."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from shuren.core.errors import OutOfScope
from shuren.core.permissions import public
from shuren.core.redaction import redact_text
from shuren.places.models import Area

from .. import selectors
from ..models import Notice

FEED_ITEMS = 30


def _community(pk: int) -> Area:
    try:
        return selectors.public_community(pk)
    except OutOfScope:
        raise Http404 from None


def _shown(notice: Notice) -> dict[str, Any]:
    return {
        "pk": notice.pk,
        # Redacted with the audience's names when published; redacted again here (a second guard).
        "title": redact_text(notice.public_title),
        "body": redact_text(notice.public_body),
        "urgent": notice.urgent,
        "published_at": notice.published_at,
        "ended": notice.status == "ended" or not notice.is_current(),
        "place": redact_text(notice.area.name if notice.building_id is None else str(notice.estate or notice.area)),
    }


@public
@require_GET
@cache_control(public=True, max_age=300)
def notice_list(request: HttpRequest, community: int) -> HttpResponse:
    area = _community(community)
    listing = Paginator(selectors.public_notices(area), 20).get_page(request.GET.get("page"))
    items = [_shown(n) for n in listing.object_list]
    return render(request, "notices/public/list.html", {"community": area, "page": listing, "items": items})


@public
@require_GET
@cache_control(public=True, max_age=300)
def notice_detail(request: HttpRequest, community: int, pk: int) -> HttpResponse:
    area = _community(community)
    notice = selectors.public_notices(area).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return render(request, "notices/public/detail.html", {"community": area, "item": _shown(notice)})


@public
@require_GET
@cache_control(public=True, max_age=300)
def notice_feed(request: HttpRequest, community: int) -> HttpResponse:
    area = _community(community)
    link = request.build_absolute_uri(reverse("notices_public:list", args=[area.pk]))
    feed = Atom1Feed(
        title=_("Notices of %(community)s") % {"community": area.name},
        link=link,
        description="",
        language=request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "zh-hans",
        feed_url=request.build_absolute_uri(),
    )
    for notice in selectors.public_notices(area)[:FEED_ITEMS]:
        shown = _shown(notice)
        url = request.build_absolute_uri(reverse("notices_public:detail", args=[area.pk, notice.pk]))
        feed.add_item(
            title=shown["title"],
            link=url,
            description=shown["body"],
            unique_id=url,
            pubdate=notice.published_at,
            updateddate=notice.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
