"""Staff console of conventions (/conventions/): the list of the staff's areas, a new convention,
one convention with its versions, comments and the diff between versions, and each step of a
version's life (new draft, edit, discussion, not adopted) and the repeal. Adoption happens through
a meeting's resolution or an owners' ballot (their apps call ``services.adopt_version``)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can

from .. import services, workflow
from ..forms import ConventionForm, DraftForm, ReasonForm, VersionStartForm
from ..models import ConventionStatus, ConventionVersion, VersionStatus
from ..selectors import (
    comments_of,
    diff_for,
    filter_conventions,
    openable_version,
    public_versions,
    staff_comment,
    staff_convention,
    visible_conventions,
)


@requires("conventions.view")
def convention_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    conventions = filter_conventions(visible_conventions(acting_user(request)), status=status)
    page = Paginator(conventions.order_by("title", "pk"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/console/list.html",
        {"page": page, "statuses": ConventionStatus.choices, "status": status},
    )


@requires("conventions.manage")
@require_http_methods(["GET", "POST"])
def convention_new(request: HttpRequest) -> HttpResponse:
    form = ConventionForm(request.POST or None, user=acting_user(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            convention = services.create_convention(
                actor=acting_user(request),
                title=data["title"],
                text=data["text"],
                area=data["area"],
                estate=data.get("estate"),
                building=data.get("building"),
                unit=data.get("unit"),
            )
        except ValidationError as exc:
            add_validation_errors(cast(Any, form), exc)  # a ModelForm: core's helper is typed for Form
        else:
            messages.success(request, _("The convention is drafted (version 1)."))
            return redirect("conventions:detail", pk=convention.pk)
    return render(
        request, "conventions/console/form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@requires("conventions.view")
def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention = staff_convention(acting_user(request), pk)
    versions = list(public_versions(convention, staff=True))
    try:
        wanted = int(request.GET.get("diff", "") or 0) or None
    except ValueError:
        wanted = None
    before, after, diff = diff_for(versions, wanted)
    manage = can(acting_user(request), "conventions.manage", convention)
    return render(
        request,
        "conventions/console/detail.html",
        {
            "convention": convention,
            "versions": [(v, list(comments_of(v))) for v in versions],
            "current": convention.current_version,
            "diff_before": before,
            "diff_after": after,
            "diff": diff,
            "may_manage": manage,
            "may_start": manage
            and convention.status != ConventionStatus.REPEALED
            and not any(v.status in workflow.UNDECIDED for v in versions),
            "start_form": VersionStartForm(),
            "reason_form": ReasonForm(),
            "draft_form_for": {
                v.pk: DraftForm(initial={"text": v.text, "change_summary": v.change_summary})
                for v in versions
                if v.status == VersionStatus.DRAFT
            },
        },
    )


def _back(version: ConventionVersion) -> HttpResponse:
    return redirect("conventions:detail", pk=version.convention_id)


@requires("conventions.manage")
@require_POST
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    convention = staff_convention(acting_user(request), pk)
    try:
        services.start_version(
            actor=acting_user(request), convention=convention, change_summary=request.POST.get("change_summary", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("A new draft version starts from the text in force."))
    return redirect("conventions:detail", pk=pk)


@requires("conventions.manage")
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = openable_version(acting_user(request), pk, staff=True)
    form = DraftForm(request.POST or None, initial={"text": version.text, "change_summary": version.change_summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_draft(actor=acting_user(request), version=version, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except InvalidTransition as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("The draft is saved."))
            return _back(version)
    return render(
        request,
        "conventions/console/version_form.html",
        {"version": version, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@requires("conventions.manage")
@require_POST
def version_open(request: HttpRequest, pk: int) -> HttpResponse:
    version = openable_version(acting_user(request), pk, staff=True)
    try:
        services.open_discussion(actor=acting_user(request), version=version)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Residents of the place can now comment on this version."))
    return _back(version)


@requires("conventions.manage")
@require_POST
def version_reject(request: HttpRequest, pk: int) -> HttpResponse:
    version = openable_version(acting_user(request), pk, staff=True)
    try:
        services.reject_version(actor=acting_user(request), version=version, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The version is recorded as not adopted."))
    return _back(version)


@requires("conventions.manage")
@require_POST
def convention_repeal(request: HttpRequest, pk: int) -> HttpResponse:
    convention = staff_convention(acting_user(request), pk)
    try:
        services.repeal_convention(
            actor=acting_user(request),
            convention=convention,
            reason=request.POST.get("reason", ""),
            version=int(request.POST.get("version") or convention.version),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (InvalidTransition, StaleVersion) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The convention is repealed."))
    return redirect("conventions:detail", pk=pk)


@requires("conventions.manage")
@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = staff_comment(acting_user(request), pk)
    try:
        services.hide_comment(actor=acting_user(request), comment=comment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The comment is hidden."))
    return _back(comment.version)
