"""The system administrator's view of delivery: messages waiting, retrying or given up, with their
status, attempts and last error (no message text: it may be personal); and the SMS spend of each
community, for the administrator and, within their scope, community staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.permissions import requires
from shuren.core.scoping import scope_paths, scope_q

from .. import selectors, services
from ..forms import SmsBudgetForm
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


@requires("system.configure")
def budgets(request: HttpRequest) -> HttpResponse:
    """The administrator's SMS budgets: every community's budget and spend this month, and the form
    that sets a budget."""
    form = SmsBudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_sms_budget(
            actor=acting_user(request),
            community=form.cleaned_data["community"],
            month=form.cleaned_data["month"],
            messages=form.cleaned_data["messages"],
        )
        messages.success(request, _("The SMS budget has been saved."))
        return redirect("notifications:budgets")
    return _budget_page(request, selectors.sms_budget_rows(None), form)


@requires("insights.report")
def spend(request: HttpRequest) -> HttpResponse:
    """SMS spend this month of the communities within the user's reporting scope (community staff and
    the offices above them): budget, sent, waiting, not sent for want of budget."""
    from shuren.places.models import Area, AreaKind

    paths = scope_paths(request.user, "insights.report")
    communities = Area.objects.filter(kind=AreaKind.COMMUNITY).filter(scope_q(paths, "path"))
    return _budget_page(request, selectors.sms_budget_rows(set(communities.values_list("pk", flat=True))), None)


def _budget_page(request: HttpRequest, rows: Any, form: SmsBudgetForm | None) -> HttpResponse:
    return render(
        request,
        "notifications/budgets.html",
        {"rows": rows, "form": form, "month": timezone.localdate().replace(day=1)},
    )
