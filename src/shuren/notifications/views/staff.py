"""The system administrator's view of delivery: messages waiting, retrying or given up, with their
status, attempts and last error (no message text: it may be personal)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.permissions import requires

from .. import selectors, services
from ..models import Channel, Status

PAGE_SIZE = 50


@requires("system.configure")
@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    """Send a failed message again (``id``)."""
    chosen = request.POST.get("id", "")
    if not chosen.isdigit():
        raise Http404
    services.retry_failed(actor=acting_user(request), pk=int(chosen))
    messages.success(request, _("The message will be sent again."))
    return redirect(reverse("notifications:delivery") + "?status=pending")


@requires("system.configure")
def delivery(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    rows = selectors.undelivered(status=status, channel=channel).select_related("recipient")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
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
