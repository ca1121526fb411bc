"""The in-app inbox and the preferences page of every signed-in user, shown in the console shell to
staff and in the portal shell to residents. A user only ever reaches their own messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.permissions import authenticated
from shuren.core.scoping import has_action

from .. import selectors, services
from ..forms import PreferencesForm
from ..models import Channel, WeChatLink

PAGE_SIZE = 25
CONSOLE_LAYOUT = "notifications/layout_console.html"
PORTAL_LAYOUT = "notifications/layout_portal.html"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    layout = CONSOLE_LAYOUT if has_action(request.user, "web.view_dashboard") else PORTAL_LAYOUT
    return render(request, template, {"layout": layout, **context})


def _chosen(request: HttpRequest) -> int:
    chosen = request.POST.get("id", "")
    if not chosen.isdigit():
        raise Http404
    return int(chosen)


@authenticated
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(user, unread_only=unread_only), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "notifications/inbox.html",
        {"tab": "inbox", "page": page, "unread_only": unread_only, "unread": selectors.unread_count(user)},
    )


@authenticated
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    """Mark one message (``id``) read, or all of them (``all=1``)."""
    user = acting_user(request)
    if request.POST.get("all") == "1":
        services.mark_all_read(actor=user)
    else:
        services.mark_read(actor=user, pk=_chosen(request))
    return redirect("notifications:inbox")


@authenticated
@require_POST
def open_message(request: HttpRequest) -> HttpResponse:
    """Mark a message read and go to what it is about."""
    message = services.mark_read(actor=acting_user(request), pk=_chosen(request))
    link = message.link
    if link and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@authenticated
def preferences(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = selectors.preference_rows(user)
    schedule = selectors.schedule_of(user)
    initial = {
        "quiet_start": schedule.quiet_start,
        "quiet_end": schedule.quiet_end,
        "email_digest": schedule.email_digest,
    }
    form = PreferencesForm(request.POST or None, rows=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            actor=user,
            choices=form.choices(),
            quiet_start=form.cleaned_data["quiet_start"],
            quiet_end=form.cleaned_data["quiet_end"],
            email_digest=form.cleaned_data["email_digest"],
        )
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    channels = [
        (value, label) for value, label in Channel.choices if any(value == c for r in rows for c, _n, _o in r.cells)
    ]
    table = [(row, [(channel, form[name]) for channel, name, _on in row.cells]) for row in rows]
    return _page(
        request,
        "notifications/preferences.html",
        {
            "tab": "preferences",
            "form": form,
            "channels": channels,
            "table": table,
            "has_email": bool(user.email),
            "has_phone": bool(user.phone),
            "wechat_link": WeChatLink.objects.filter(user=user).first(),
        },
    )


@authenticated
def stop(request: HttpRequest) -> HttpResponse:
    """The short address every SMS ends with: the preferences page, after signing in."""
    return redirect("notifications:preferences")


@authenticated
@require_POST
def wechat_unlink(request: HttpRequest) -> HttpResponse:
    """Unlink the user's WeChat (linking is done from the mini program)."""
    if services.unlink_wechat(actor=acting_user(request)):
        messages.success(request, _("WeChat is no longer linked: no WeChat message will reach you."))
    return redirect("notifications:preferences")
