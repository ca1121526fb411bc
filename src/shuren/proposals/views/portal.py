"""The resident's side of proposals (/my/proposals/), phone first: proposals of my places with
their progress toward the threshold, co-signing, proposing, my own proposals, and the published
answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.people.residency import lives_in, person_of

from .. import services
from ..forms import ProposalForm
from ..models import ProposalStatus
from ..selectors import (
    has_signed,
    masked_signatures,
    openable_proposal,
    portal_proposals,
    proposal_places,
    signed_among,
    timeline_rows,
)
from ..workflow import SIGNABLE

TABS = {
    "places": gettext_lazy("My places"),
    "mine": gettext_lazy("My proposals"),
    "answered": gettext_lazy("Answered"),
}


@requires("proposals.propose")
def index(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "places")
    tab = tab if tab in TABS else "places"
    proposals = portal_proposals(acting_user(request), tab)
    page = Paginator(proposals.order_by("-created_at"), 20).get_page(request.GET.get("page"))
    signed = signed_among(acting_user(request), list(page.object_list))
    return render(
        request,
        "proposals/portal/index.html",
        {
            "page": page,
            "tab": tab,
            "tabs": TABS.items(),
            "signed": signed,
            "may_propose": bool(proposal_places(acting_user(request))),
        },
    )


@requires("proposals.propose")
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    places = proposal_places(acting_user(request))
    form = ProposalForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(
                actor=acting_user(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                place_key=form.cleaned_data["place"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Proposal %(ref)s is open for co-signing by your neighbours.") % {"ref": proposal.reference},
            )
            return redirect("proposals_portal:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/portal/new.html",
        {"form": form, "has_home": bool(places)},
        status=400 if request.method == "POST" else 200,
    )


@requires("proposals.propose")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _staff = openable_proposal(acting_user(request), pk)
    is_author = proposal.author_id == acting_user(request).pk
    signed = has_signed(acting_user(request), proposal)
    may_sign = (
        not is_author
        and not signed
        and proposal.status in SIGNABLE
        and proposal.signing_closes_at > timezone.now()
        and lives_in(person_of(acting_user(request)), proposal)
    )
    return render(
        request,
        "proposals/portal/detail.html",
        {
            "proposal": proposal,
            "is_author": is_author,
            "signed": signed,
            "may_sign": may_sign,
            "may_withdraw": is_author and proposal.status == ProposalStatus.COLLECTING,
            "signatures": masked_signatures(proposal),
            "events": timeline_rows(proposal, for_staff=False),
            "show_answer": bool(proposal.answer_published_at) or proposal.status == ProposalStatus.INADMISSIBLE,
        },
    )


@requires("proposals.propose")
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _staff = openable_proposal(acting_user(request), pk)
    try:
        services.sign_proposal(actor=acting_user(request), proposal=proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("You co-signed this proposal. Thank you."))
    return redirect("proposals_portal:detail", pk=pk)


@requires("proposals.propose")
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _staff = openable_proposal(acting_user(request), pk)
    try:
        services.withdraw_proposal(
            actor=acting_user(request), proposal=proposal, version=int(request.POST.get("version") or 0) or None
        )
    except (InvalidTransition, StaleVersion) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Your proposal is withdrawn."))
    return redirect("proposals_portal:detail", pk=pk)
