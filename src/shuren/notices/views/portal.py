"""The residents' notices (/my/notices/), phone first: the current notices of my places, and one
notice, which opening marks as read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from shuren.core.permissions import requires
from shuren.core.photos import photo_response

from .. import selectors, services
from .common import attachment_response, page


@requires("portal.use")
def notice_list(request: HttpRequest) -> HttpResponse:
    listing = Paginator(selectors.my_notices(request.user), 20).get_page(request.GET.get("page"))
    reads = selectors.my_reads(request.user, list(listing.object_list))
    for notice in listing.object_list:
        reader = reads.get(notice.pk)
        notice.unread = reader is not None and reader.read_at is None  # type: ignore[attr-defined]
    return page(request, "notices/portal/list.html", {"page": listing})


@requires("portal.use")
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice, reader = selectors.my_notice(request.user, pk)
    services.mark_read(reader=reader)
    return page(request, "notices/portal/detail.html", {"notice": notice, "photos": selectors.photos_of(notice)})


@requires("portal.use")
def notice_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    notice, _reader = selectors.my_notice(request.user, pk)
    return photo_response(selectors.photos_of(notice), photo_pk)


@requires("portal.use")
def notice_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    notice, _reader = selectors.my_notice(request.user, pk)
    return attachment_response(notice)
