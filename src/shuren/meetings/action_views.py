"""Staff console of meetings: the action items of all meetings, and their progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.permissions import requires
from shuren.core.scoping import can

from . import services
from .forms import ActionFilterForm, ActionUpdateForm
from .models import ActionStatus
from .selectors import my_action_items, openable_action_item, overdue_action_items, visible_action_items

# --- action items ---------------------------------------------------------------------------------


@requires("meetings.view")
def action_list(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None)
    which = form.cleaned_data["which"] if form.is_valid() and form.cleaned_data["which"] else "open"
    items = visible_action_items(request.user) | my_action_items(request.user)
    if which == "overdue":
        items = overdue_action_items(items)
    elif which == "mine":
        items = items.filter(owner_user=request.user)
    elif which == "open":
        items = items.filter(status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
    elif which == "done":
        items = items.filter(status=ActionStatus.DONE)
    page = Paginator(items.select_related("meeting", "owner_user", "owner_organization").order_by("due_on", "pk"), 50)
    page = page.get_page(request.GET.get("page"))
    today = timezone.localdate()
    for item in page.object_list:
        item.owner = services.owner_label(item)
        item.is_overdue = item.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and item.due_on < today
    return render(request, "meetings/console/action_list.html", {"form": form, "page": page, "which": which})


@requires("meetings.view")
@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = openable_action_item(request.user, pk)
    form = ActionUpdateForm(request.POST, staff=can(request.user, "meetings.manage", item))
    if form.is_valid():
        try:
            services.update_action_item(actor=request.user, item=item, **form.cleaned_data)
        except StaleVersion:
            messages.error(request, _("The action item was changed by someone else meanwhile. Check it and try again."))
        except InvalidTransition as exc:
            messages.error(request, exc.detail)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The progress has been recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('meetings:meeting_detail', kwargs={'pk': item.meeting_id})}#action-items")
