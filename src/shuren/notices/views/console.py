"""The notices in the console (/notices/): the list, writing and publishing, one notice with its
reach per building and the households, telling a household at the door, and the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.exports import requested_format
from shuren.core.forms import add_validation_errors
from shuren.core.masking import display_name
from shuren.core.permissions import requires
from shuren.core.photos import photo_response
from shuren.core.scoping import has_action

from .. import audience, selectors, services, workflow
from ..exports import NoticeFiguresExport, PlaceFiguresExport
from ..forms import NoticeFilterForm, NoticeForm, VersionForm, WithdrawForm
from ..models import Notice, NoticeStatus
from .common import attachment_response

VIEW, WRITE, TELL = selectors.VIEW, selectors.WRITE, selectors.TELL


@requires(VIEW, WRITE)
def notice_list(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    notices = selectors.filter_notices(
        selectors.staff_notices(request.user), status=data.get("status", ""), q=data.get("q", "")
    )
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/console/list.html",
        {"form": form, "page": page, "can_write": not selectors.reach(request.user, WRITE).empty},
    )


@requires(WRITE)
def notice_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = NoticeForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.create_notice(
                actor=user,
                tags=list(data.get("tags") or []),
                organizations=list(data.get("organizations") or []),
                photos=data.get("photos") or [],
                attachment=data.get("attachment"),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The draft has been saved. Check it, then publish it."))
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/console/form.html", {"form": form, "notice": None})


@requires(WRITE)
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    notice = selectors.staff_notice(user, pk)
    selectors.require(user, WRITE, notice)
    if "edit" not in workflow.allowed_actions(notice, actor=user):
        messages.error(request, _("Only a draft is edited: withdraw a published notice and write a new one."))
        return redirect("notices:detail", pk=notice.pk)
    form = NoticeForm(request.POST or None, request.FILES or None, instance=notice, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_notice(
                actor=user,
                notice=notice,
                version=int(data.get("version") or notice.version),
                tags=list(data.get("tags") or []),
                organizations=list(data.get("organizations") or []),
                photos=data.get("photos") or [],
                attachment=data.get("attachment"),
                remove_attachment=bool(data.get("remove_attachment")),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except StaleVersion:
            form.add_error(None, _("Someone else changed this notice meanwhile. Reload the page."))
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/console/form.html", {"form": form, "notice": notice})


def _detail_context(request: HttpRequest, notice: Notice, **bound: Any) -> dict[str, Any]:
    user = acting_user(request)
    households = list(selectors.households_of(notice))
    can_tell = has_action(user, TELL) and notice.is_current()
    tell_reach = selectors.reach(user, TELL)
    for row in households:
        row.shown_names = [display_name(r.person.name, full=False) for r in row.readers.all()]  # type: ignore[attr-defined]
        row.may_tell = can_tell and not row.reached and tell_reach.covers(row.scope, row.building_id)  # type: ignore[attr-defined]
    actions = workflow.allowed_actions(notice, actor=user)
    waiting = notice.status in (NoticeStatus.DRAFT, NoticeStatus.SCHEDULED)
    return {
        "preview": audience.household_count(notice) if waiting else None,
        "notice": notice,
        "photos": selectors.photos_of(notice),
        "figures": selectors.notice_figures(notice),
        "buildings": selectors.building_figures(notice),
        "households": households,
        "actions": actions,
        "version_form": VersionForm(initial={"version": notice.version}),
        "withdraw_form": bound.get("withdraw") or WithdrawForm(initial={"version": notice.version}),
        "labels": workflow.ACTION_LABELS,
    }


@requires(VIEW, WRITE)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.staff_notice(request.user, pk)
    if request.GET.get("format") in ("xlsx", "csv"):
        return PlaceFiguresExport(request.user).response(
            request,
            selectors.building_figures(notice),
            fmt=requested_format(request),
            filters={"notice": str(notice.pk)},
            filename=f"notice-{notice.pk}-by-building",
        )
    return render(request, "notices/console/detail.html", _detail_context(request, notice))


@require_POST
@requires(WRITE)
def notice_act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    user = acting_user(request)
    notice = selectors.staff_notice(user, pk)
    selectors.require(user, WRITE, notice)
    form: VersionForm | WithdrawForm = WithdrawForm(request.POST) if action == "withdraw" else VersionForm(request.POST)
    if not form.is_valid():
        status = 400
        return render(
            request, "notices/console/detail.html", _detail_context(request, notice, withdraw=form), status=status
        )
    version = form.cleaned_data["version"]
    try:
        if action == "publish":
            notice = services.publish_notice(actor=user, notice=notice, version=version)
            if notice.status == "scheduled":
                messages.success(request, _("The notice will be published at the set time."))
            else:
                messages.success(request, _("The notice has been published and sent."))
        elif action == "unschedule":
            services.unschedule_notice(actor=user, notice=notice, version=version)
            messages.success(request, _("The notice is a draft again."))
        elif action == "end":
            services.end_notice(actor=user, notice=notice, version=version)
            messages.success(request, _("The notice has ended."))
        elif action == "withdraw":
            services.withdraw_notice(actor=user, notice=notice, version=version, reason=form.cleaned_data["reason"])
            messages.success(request, _("The notice has been withdrawn."))
        elif action == "delete":
            services.delete_draft(actor=user, notice=notice)
            messages.success(request, _("The draft has been deleted."))
            return redirect("notices:list")
        else:
            return redirect("notices:detail", pk=notice.pk)
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return render(
            request, "notices/console/detail.html", _detail_context(request, notice, withdraw=form), status=400
        )
    except (InvalidTransition, StaleVersion) as exc:
        messages.error(request, str(exc) or _("Someone else changed this notice meanwhile. Reload the page."))
    return redirect("notices:detail", pk=notice.pk)


@requires(VIEW, WRITE)
def notice_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    notice = selectors.staff_notice(request.user, pk)
    return photo_response(selectors.photos_of(notice), photo_pk)


@requires(VIEW, WRITE)
def notice_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    return attachment_response(selectors.staff_notice(request.user, pk))


@require_POST
@requires(TELL)
def household_tell(request: HttpRequest, pk: int) -> HttpResponseBase:
    """已告知: the building leader told the household at the door; back to where they came from."""
    user = acting_user(request)
    household = selectors.tellable_household(user, pk)
    try:
        services.mark_told(actor=user, household=household)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Marked as told."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(target)
    if selectors.may(user, VIEW, household.notice):
        return redirect("notices:detail", pk=household.notice_id)
    return redirect("orgs:my_posts")


@requires(VIEW)
def figures(request: HttpRequest) -> HttpResponse:
    """How far the notices of the user's areas reached: per notice and per grid."""
    notices = selectors.staff_notices(request.user)
    per_notice = selectors.figures_by_notice(notices)
    per_place = selectors.figures_by_place(request.user, notices)
    wanted = request.GET.get("format")
    if wanted in ("xlsx", "csv"):
        if request.GET.get("by") == "place":
            return PlaceFiguresExport(request.user).response(request, per_place, fmt=requested_format(request))
        return NoticeFiguresExport(request.user).response(request, per_notice, fmt=requested_format(request))
    return render(request, "notices/console/figures.html", {"per_notice": per_notice, "per_place": per_place})
