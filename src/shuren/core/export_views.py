"""Export requests: the approvers' queue and each user's own requests, the decision, the download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.decorators import reauth_required

from . import exports
from .forms import add_validation_errors
from .models import ExportRequest
from .permissions import authenticated


class DecisionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


def _visible_request(request: HttpRequest, pk: int) -> tuple[ExportRequest, bool]:
    """The request if the user filed it or may decide on it (else 404), and whether they may decide."""
    export = get_object_or_404(ExportRequest.objects.select_related("requested_by", "decided_by"), pk=pk)
    approver = exports.decidable_by(request.user).filter(pk=pk).exists()
    if export.requested_by_id != request.user.pk and not approver:
        raise Http404
    return export, approver and export.requested_by_id != request.user.pk


@authenticated
def export_requests(request: HttpRequest) -> HttpResponse:
    pending = list(exports.pending_for(request.user)[:200])
    own = list(exports.own_requests(request.user)[:100])
    labels = {name: kind.label for name, kind in exports.kinds().items()}
    for export in [*pending, *own]:
        export.label = labels.get(export.kind, export.kind)
    return render(request, "core/export_requests.html", {"pending": pending, "own": own})


def _detail(
    request: HttpRequest, export: ExportRequest, can_decide: bool, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    export.label = exports.kind_of(export).label
    return render(
        request,
        "core/export_request.html",
        {
            "export": export,
            "can_decide": can_decide,
            "form": form or DecisionForm(),
            "mine": export.requested_by_id == request.user.pk,
        },
        status=status,
    )


@authenticated
def export_request(request: HttpRequest, pk: int) -> HttpResponse:
    export, can_decide = _visible_request(request, pk)
    return _detail(request, export, can_decide)


@authenticated
@require_POST
@reauth_required
def decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    """Approve or refuse someone else's request (a refusal needs a reason)."""
    export, _can_decide = _visible_request(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            (exports.approve_export if approve else exports.refuse_export)(
                actor=request.user, export=export, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request, _("The request has been approved.") if approve else _("The request has been refused.")
            )
            return redirect("exports:list")
    return _detail(request, export, True, form, status=400)


@authenticated
@require_POST
@reauth_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's one download of an approved export, within its window; audited."""
    export, can_decide = _visible_request(request, pk)
    try:
        with transaction.atomic():
            exports.claim_download(actor=request.user, export=export)
            return exports.kind_of(export).build(export, request)
    except exports.DownloadRefused as exc:
        exports.record_refused_download(actor=request.user, export=export, why=exc.messages[0])
        messages.error(request, exc.messages[0])
        export.refresh_from_db()
        return _detail(request, export, can_decide, status=409)
