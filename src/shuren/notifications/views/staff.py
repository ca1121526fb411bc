"""The system administrator's view of delivery: messages waiting, retrying or given up, with their
status, attempts and last error (no message text: it may be personal)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.permissions import requires

from .. import selectors
from ..models import Channel, Status

PAGE_SIZE = 50


@requires("system.configure")
def delivery(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    messages = selectors.undelivered(status=status, channel=channel).select_related("recipient")
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/delivery.html",
        {
            "page": page,
            "counts": selectors.outbox_counts(),
            "status": status,
            "channel": channel,
            "statuses": [(v, label) for v, label in Status.choices if v != Status.SENT],
            "channels": [(v, label) for v, label in Channel.choices if v != Channel.INAPP],
        },
    )
