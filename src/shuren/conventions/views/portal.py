"""The resident's side of conventions (/my/conventions/): the conventions of my places, the text in
force with its full version history and the changes between versions, and comments on a version in
discussion."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition
from shuren.core.permissions import requires

from .. import services
from ..forms import CommentForm
from ..models import VersionStatus
from ..selectors import (
    comments_of,
    diff_for,
    may_comment,
    openable_convention,
    openable_version,
    public_versions,
    resident_conventions,
)


@requires("conventions.comment")
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "conventions/portal/index.html",
        {"conventions": resident_conventions(acting_user(request)).order_by("title")},
    )


@requires("conventions.comment")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention, _staff = openable_convention(acting_user(request), pk)
    versions = list(public_versions(convention, staff=False))
    try:
        wanted = int(request.GET.get("diff", "") or 0) or None
    except ValueError:
        wanted = None
    before, after, diff = diff_for(versions, wanted)
    discussed = next((v for v in versions if v.status == VersionStatus.IN_DISCUSSION), None)
    return render(
        request,
        "conventions/portal/detail.html",
        {
            "convention": convention,
            "current": convention.current_version,
            "versions": versions,
            "discussed": discussed,
            "comments": list(comments_of(discussed)) if discussed else [],
            "may_comment": discussed is not None and may_comment(acting_user(request), discussed),
            "form": CommentForm(),
            "diff_before": before,
            "diff_after": after,
            "diff": diff,
        },
    )


@requires("conventions.comment")
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    version = openable_version(acting_user(request), pk)
    try:
        services.add_comment(actor=acting_user(request), version=version, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Thank you: your comment is published."))
    return redirect("conventions_portal:detail", pk=version.convention_id)
