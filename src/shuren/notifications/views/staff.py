"""The system administrator's view of delivery: messages waiting, retrying or given up, with their
status, attempts and last error (no message text: it may be personal); and the SMS spend of each
community, for the administrator and, within their scope, community staff."""

from __future__ import annotations

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
from shuren.core.scoping import has_action, scope_paths, scope_q

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


def _community_ids_in_scope(request: HttpRequest) -> set[int] | None:
    """None for the administrator (every community); else the communities within the user's
    reporting scope."""
    from shuren.places.models import Area, AreaKind

    if has_action(request.user, "system.configure"):
        return None
    paths = scope_paths(request.user, "insights.report")
    if not paths:
        raise Http404
    areas = Area.objects.filter(kind=AreaKind.COMMUNITY).filter(scope_q(paths, "path"))
    return set(areas.values_list("pk", flat=True))


@requires("system.configure", "insights.report")
def budgets(request: HttpRequest) -> HttpResponse:
    """SMS spend per community this month: budget, sent, waiting, not sent for want of budget. The
    administrator sees every community and sets budgets; community staff see their own."""
    community_ids = _community_ids_in_scope(request)
    form = None
    if community_ids is None:
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
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "notifications/budgets.html",
        {
            "rows": selectors.sms_budget_rows(community_ids),
            "form": form,
            "month": timezone.localdate().replace(day=1),
        },
    )
