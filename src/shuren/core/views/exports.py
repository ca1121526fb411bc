"""Export requests: each user's own requests and their one download (``/exports/``), and the
approvers' queue with the decision (``/exports/pending/``, for holders of the approval permission,
scoped to their areas)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import exports
from ..forms import add_validation_errors
from ..models import ExportRequest
from ..permissions import authenticated, requires, signed_in
from ..reauth import reauth_required
from ..scoping import has_action

APPROVE = "people.approve_export"


class DecisionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


def _labelled(requests: list[ExportRequest]) -> list[ExportRequest]:
    labels = {name: kind.label for name, kind in exports.kinds().items()}
    for export in requests:
        setattr(export, "label", labels.get(export.kind, export.kind))  # noqa: B010  (shown by the template)
    return requests


def _own(request: HttpRequest, pk: int) -> ExportRequest:
    return get_object_or_404(exports.own_requests(signed_in(request)), pk=pk)


def _to_decide(request: HttpRequest, pk: int) -> ExportRequest:
    """A request in an area the user may approve for (any status), else 404."""
    return get_object_or_404(exports.decidable_by(request.user).select_related("requested_by", "decided_by"), pk=pk)


@authenticated
def export_requests(request: HttpRequest) -> HttpResponse:
    """The user's own requests; approvers also see how many requests await them."""
    own = _labelled(list(exports.own_requests(signed_in(request))[:100]))
    waiting = exports.pending_for(signed_in(request)).count() if has_action(request.user, APPROVE) else None
    return render(request, "core/export_requests.html", {"own": own, "waiting": waiting})


@requires(APPROVE)
def pending(request: HttpRequest) -> HttpResponse:
    """The approvers' queue: requests of others in the user's areas awaiting a decision."""
    waiting = _labelled(list(exports.pending_for(signed_in(request))[:200]))
    return render(request, "core/export_pending.html", {"pending": waiting})


def _page(
    request: HttpRequest, export: ExportRequest, *, mine: bool, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    _labelled([export])
    can_decide = not mine and export.requested_by_id != request.user.pk
    return render(
        request,
        "core/export_request.html",
        {"export": export, "mine": mine, "can_decide": can_decide, "form": form or DecisionForm()},
        status=status,
    )


@authenticated
def export_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _own(request, pk), mine=True)


@requires(APPROVE)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _to_decide(request, pk), mine=False)


@requires(APPROVE)
@require_POST
@reauth_required
def decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    """Approve or refuse someone else's request (a refusal needs a reason)."""
    export = _to_decide(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            (exports.approve_export if approve else exports.refuse_export)(
                actor=signed_in(request), export=export, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request, _("The request has been approved.") if approve else _("The request has been refused.")
            )
            return redirect("exports:pending")
    return _page(request, export, mine=False, form=form, status=400)


@authenticated
@require_POST
@reauth_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's one download of an approved export, within its window; audited."""
    export = _own(request, pk)
    try:
        with transaction.atomic():
            exports.claim_download(actor=signed_in(request), export=export)
            return exports.kind_of(export).build(export, request)
    except exports.DownloadRefused as exc:
        exports.record_refused_download(actor=signed_in(request), export=export, why=exc.messages[0])
        messages.error(request, exc.messages[0])
        export.refresh_from_db()
        return _page(request, export, mine=True, status=409)
