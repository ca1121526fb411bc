"""Staff console of meetings: the action items of all meetings, and their progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.permissions import requires
from shuren.core.scoping import can

from .. import services
from ..forms import ActionFilterForm, ActionUpdateForm
from ..selectors import action_item_rows, action_items_for, openable_action_item

# --- action items ---------------------------------------------------------------------------------


@requires("meetings.view")
def action_list(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None)
    which = form.cleaned_data["which"] if form.is_valid() and form.cleaned_data["which"] else "open"
    items = action_items_for(acting_user(request), which)
    paginator = Paginator(
        items.select_related("meeting", "owner_user", "owner_organization").order_by("due_on", "pk"), 50
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = action_item_rows(page.object_list)
    return render(request, "meetings/console/action_list.html", {"form": form, "page": page, "which": which})


@requires("meetings.view")
@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = openable_action_item(acting_user(request), pk)
    form = ActionUpdateForm(request.POST, staff=can(acting_user(request), "meetings.manage", item))
    if form.is_valid():
        try:
            services.update_action_item(actor=acting_user(request), item=item, **form.cleaned_data)
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
                messages.error(request, str(error))
    return redirect(f"{reverse('meetings:meeting_detail', kwargs={'pk': item.meeting_id})}#action-items")
