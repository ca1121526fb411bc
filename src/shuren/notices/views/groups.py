"""The stairwell groups' robots (/notices/groups/): staff of a community keep the WeCom robot of
each building's or grid's group. Addresses are shown masked only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from .. import selectors, services
from ..forms import WebhookForm

GROUPS = selectors.GROUPS


@requires(GROUPS)
def group_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/groups/list.html", {"hooks": selectors.group_webhooks(request.user)})


@requires(GROUPS)
def group_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    hook = selectors.group_webhook(user, pk) if pk is not None else None
    initial = {}
    if hook is not None:
        initial = {"building": hook.building_id, "grid": hook.grid_id, "name": hook.name, "active": hook.active}
    form = WebhookForm(request.POST or None, user=user, editing=hook is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_webhook(
                actor=user,
                url=data.get("url") or "",
                building=data.get("building"),
                grid=data.get("grid"),
                name=data.get("name") or "",
                active=bool(data.get("active")),
                webhook=hook,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The group robot has been saved."))
            return redirect("notices:groups")
    return render(request, "notices/groups/form.html", {"form": form, "hook": hook})


@require_POST
@requires(GROUPS)
def group_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = acting_user(request)
    services.delete_webhook(actor=user, webhook=selectors.group_webhook(user, pk))
    messages.success(request, _("The group robot has been removed."))
    return redirect("notices:groups")
