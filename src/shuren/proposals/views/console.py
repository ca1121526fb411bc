"""Staff console of proposals (/proposals/): the list of the staff's areas, one proposal with its
co-signatures (names masked) and timeline, the answer and its publication, refusal as not
admissible, and the co-signing policy per community."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can
from shuren.places.community_settings import settings_page

from .. import services, workflow
from ..forms import AnswerForm, PolicyForm, ReasonForm
from ..models import ProposalStatus
from ..selectors import (
    DEFAULT_SIGNING_DAYS,
    DEFAULT_THRESHOLD,
    agenda_items_of,
    filter_proposals,
    masked_signatures,
    openable_proposal,
    policy_communities,
    policy_community,
    policy_for,
    timeline_rows,
    visible_proposals,
)


@requires("proposals.view")
def proposal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    proposals = filter_proposals(visible_proposals(acting_user(request)), status=status, q=query)
    page = Paginator(proposals.order_by("-created_at"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/console/list.html",
        {"page": page, "statuses": ProposalStatus.choices, "status": status, "q": query},
    )


def _detail(request: HttpRequest, pk: int, *, answer_form: Any = None, reason_form: Any = None, status: int = 200):
    proposal, is_staff = openable_proposal(acting_user(request), pk)
    if not is_staff:
        raise OutOfScope()
    manage = can(acting_user(request), "proposals.manage", proposal)
    actions = workflow.allowed_actions(proposal, actor=acting_user(request)) if manage else []
    initial = {"version": proposal.version, "kind": proposal.answer_kind or "adopted", "text": proposal.answer}
    return render(
        request,
        "proposals/console/detail.html",
        {
            "proposal": proposal,
            "signatures": masked_signatures(proposal),
            "events": timeline_rows(proposal, for_staff=True),
            "may_manage": manage,
            "may_answer": "answer" in actions,
            "may_publish": "publish_answer" in actions,
            "may_refuse": "inadmissible" in actions,
            "answer_form": answer_form or AnswerForm(initial=initial),
            "reason_form": reason_form or ReasonForm(initial={"version": proposal.version}),
            "agenda_items": agenda_items_of(proposal),
        },
        status=status,
    )


@requires("proposals.view")
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@requires("proposals.manage")
@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _staff = openable_proposal(acting_user(request), pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer(
                actor=acting_user(request),
                proposal=proposal,
                kind=data["kind"],
                text=data["text"],
                publish=data["publish"],
                version=data["version"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except (InvalidTransition, StaleVersion) as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("proposals:detail", pk=pk)
    return _detail(request, pk, answer_form=form, status=400)


@requires("proposals.manage")
@require_POST
def proposal_publish(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _staff = openable_proposal(acting_user(request), pk)
    try:
        services.publish_answer(
            actor=acting_user(request), proposal=proposal, version=int(request.POST.get("version") or proposal.version)
        )
    except (InvalidTransition, StaleVersion) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The answer is published."))
    return redirect("proposals:detail", pk=pk)


@requires("proposals.manage")
@require_POST
def proposal_inadmissible(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _staff = openable_proposal(acting_user(request), pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.mark_inadmissible(
                actor=acting_user(request),
                proposal=proposal,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except (InvalidTransition, StaleVersion) as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("The proposal is marked not admissible."))
            return redirect("proposals:detail", pk=pk)
    return _detail(request, pk, reason_form=form, status=400)


@requires("proposals.manage")
def policy_list(request: HttpRequest) -> HttpResponse:
    rows = [
        (community, getattr(community, "proposal_policy", None))
        for community in policy_communities(acting_user(request))
    ]
    return render(
        request,
        "proposals/console/policy_list.html",
        {"rows": rows, "defaults": (DEFAULT_THRESHOLD, DEFAULT_SIGNING_DAYS)},
    )


@requires("proposals.manage")
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = policy_community(acting_user(request), pk)
    policy = policy_for(community)
    form = PolicyForm(
        request.POST or None,
        initial={"signature_threshold": policy.signature_threshold, "signing_days": policy.signing_days},
    )
    return settings_page(
        request,
        community=community,
        form=form,
        save=lambda data: services.update_policy(actor=acting_user(request), community=community, **data),
        template="proposals/console/policy_form.html",
        done="proposals:policies",
    )
