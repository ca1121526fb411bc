"""Staff console of owners' ballots: list, drafting with matters, opening, turnout, paper entry,
closing, the printable tally sheet and its xlsx export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import ShurenError
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action

from .. import selectors, services, workflow
from ..electorate import preview_electorate
from ..exports import TallySheetExporter
from ..forms import BallotForm, CancelForm, MatterForm, PaperVoteForm, VersionForm, VoterSearchForm
from ..models import Ballot, BallotStatus, Matter, Voter
from ..selectors import ballot_for, find_voters, turnout, unknown_owner_dwellings, visible_ballots
from ..tally import describe_all

MANAGE = "ballots.manage"
UNKNOWN_SHOWN = 100  # dwellings without a registered owner listed on the ballot page; the rest counted


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(getattr(exc, "detail", exc))


@requires("ballots.view")
def ballot_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    wanted = status if status in BallotStatus.values else ""
    ballots = selectors.filter_ballots(visible_ballots(request.user), status=wanted)
    page = Paginator(ballots.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "ballots/console/ballot_list.html",
        {"page": page, "status": status, "statuses": BallotStatus.choices, "can_manage": _can_manage(request.user)},
    )


def _can_manage(user: Any) -> bool:
    return has_action(user, MANAGE)


@requires(MANAGE)
def ballot_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    ballot = ballot_for(user, pk, MANAGE) if pk is not None else None
    if ballot is not None and ballot.status != BallotStatus.DRAFT:
        messages.error(request, _("Only a draft ballot can be changed."))
        return redirect("ballots:ballot_detail", ballot.pk)
    form = BallotForm(request.POST or None, instance=ballot or Ballot(), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            if ballot is None:
                saved = services.create_ballot(actor=user, **form.service_fields())
                messages.success(request, _("The ballot has been drafted. Add its matters."))
            else:
                saved = services.update_ballot(
                    actor=user, ballot=ballot, version=form.cleaned_data.get("version") or -1, **form.service_fields()
                )
                messages.success(request, _("The ballot has been saved."))
            return redirect("ballots:ballot_detail", saved.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except ShurenError as exc:
            form.add_error(None, str(exc.detail))
    title = _("Edit ballot %(title)s") % {"title": ballot.title} if ballot else _("New owners' ballot")
    return render(request, "ballots/console/ballot_form.html", {"form": form, "title": title, "ballot": ballot})


@requires("ballots.view")
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    ballot = ballot_for(user, pk)
    matters = list(selectors.matters_in_order(ballot))
    context: dict[str, Any] = {
        "ballot": ballot,
        "matters": matters,
        "can_manage": can(user, MANAGE, ballot),
        "actions": workflow.allowed_actions(ballot, actor=user),
        "version_form": VersionForm(initial={"version": ballot.version}),
        "cancel_form": CancelForm(initial={"version": ballot.version}),
    }
    if ballot.status == BallotStatus.DRAFT:
        context["preview"] = preview_electorate(ballot)
    else:
        unknown = unknown_owner_dwellings(ballot)
        context["unknown_dwellings"] = list(unknown[:UNKNOWN_SHOWN])
        context["unknown_more"] = max(unknown.count() - UNKNOWN_SHOWN, 0)
        context["developer"] = selectors.developer_of(ballot)
        context["voter_count"] = ballot.total_owners
    if ballot.status == BallotStatus.OPEN:
        context["turnout"] = turnout(ballot)
    if ballot.status == BallotStatus.CLOSED:
        context["results"] = [(m, describe_all(m.result)) for m in matters]
    return render(request, "ballots/console/ballot_detail.html", context)


@requires(MANAGE)
def matter_edit(request: HttpRequest, pk: int, matter_pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    ballot = ballot_for(user, pk, MANAGE)
    matter = get_object_or_404(selectors.matters_of(ballot), pk=matter_pk) if matter_pk is not None else None
    form = MatterForm(request.POST or None, instance=matter or Matter(ballot=ballot), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            if matter is None:
                services.add_matter(actor=user, ballot=ballot, **form.service_fields())
            else:
                services.update_matter(actor=user, matter=matter, **form.service_fields())
            messages.success(request, _("The matter has been saved."))
            return redirect("ballots:ballot_detail", ballot.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except ShurenError as exc:
            form.add_error(None, str(exc.detail))
    title = _("Edit matter") if matter else _("New matter")
    return render(request, "ballots/console/matter_form.html", {"form": form, "title": title, "ballot": ballot})


@require_POST
@requires(MANAGE)
def matter_remove(request: HttpRequest, pk: int, matter_pk: int) -> HttpResponse:
    user = acting_user(request)
    ballot = ballot_for(user, pk, MANAGE)
    matter = get_object_or_404(selectors.matters_of(ballot), pk=matter_pk)
    try:
        services.remove_matter(actor=user, matter=matter)
        messages.success(request, _("The matter has been removed."))
    except (ValidationError, ShurenError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("ballots:ballot_detail", ballot.pk)


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    ballot = ballot_for(user, pk, MANAGE)
    form = CancelForm(request.POST) if action == "cancel" else VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values()))))
        return redirect("ballots:ballot_detail", ballot.pk)
    version = form.cleaned_data["version"]
    try:
        if action == "open":
            services.open_ballot(actor=user, ballot=ballot, version=version)
            messages.success(request, _("Voting is open; the electorate is fixed."))
        elif action == "close":
            services.close_ballot(actor=user, ballot=ballot, version=version)
            messages.success(request, _("Voting is closed and every matter has been counted."))
        else:
            services.cancel_ballot(actor=user, ballot=ballot, version=version, reason=form.cleaned_data["reason"])
            messages.success(request, _("The ballot has been cancelled."))
    except (ValidationError, ShurenError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("ballots:ballot_detail", ballot.pk)


@require_POST
@requires(MANAGE)
def ballot_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "open")


@require_POST
@requires(MANAGE)
def ballot_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "close")


@require_POST
@requires(MANAGE)
def ballot_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "cancel")


@requires(MANAGE)
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Find the voter by building, unit and room; enter the marks of their signed paper ballot."""
    user = acting_user(request)
    ballot = ballot_for(user, pk, MANAGE)
    matters = list(selectors.matters_in_order(ballot))
    search = VoterSearchForm(request.GET or None)
    found: list[Voter] = []
    if search.is_valid() and any(search.cleaned_data.values()):
        found = list(find_voters(ballot, **search.cleaned_data)[:20])
    voter = None
    voter_pk = request.POST.get("voter") or request.GET.get("voter")
    if voter_pk:
        voter = selectors.voter_on(ballot, voter_pk)
    form = PaperVoteForm(request.POST or None, matters=matters)
    if request.method == "POST" and voter is not None and form.is_valid():
        recorded, refused = 0, []
        for matter, choice in form.choices():
            matter.ballot = ballot
            try:
                services.record_paper_vote(
                    actor=user,
                    matter=matter,
                    voter=voter,
                    choice=choice,
                    paper_number=form.cleaned_data["paper_number"],
                )
                recorded += 1
            except (ValidationError, ShurenError) as exc:
                refused.append(f"{matter.position}. {_error_text(exc)}")
        if recorded:
            messages.success(request, _("%(count)d vote(s) recorded from the paper ballot.") % {"count": recorded})
        for text in refused:
            messages.error(request, text)
        if not recorded and not refused:
            messages.error(request, _("No matter was marked on this paper ballot."))
        return redirect(f"{request.path}?voter={voter.pk}")
    existing = selectors.votes_of(voter) if voter is not None else {}
    return render(
        request,
        "ballots/console/paper_entry.html",
        {
            "ballot": ballot,
            "search": search,
            "found": found,
            "voter": voter,
            "form": form,
            "matter_rows": [(m, existing.get(m.pk), form[f"matter_{m.pk}"]) for m in matters],
            "is_open": ballot.status == BallotStatus.OPEN,
        },
    )


@requires("ballots.view")
def tally_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable tally sheet: every matter's arithmetic and the (masked) voter roll."""
    ballot = ballot_for(request.user, pk)
    if ballot.status == BallotStatus.DRAFT:
        messages.error(request, _("The tally sheet exists once voting has opened."))
        return redirect("ballots:ballot_detail", ballot.pk)
    context = selectors.tally_sheet(ballot)
    context["printed_at"] = timezone.now()
    return render(request, "ballots/console/tally_sheet.html", context)


@requires("ballots.view")
def tally_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The tally sheet as xlsx, audited on the ballot."""
    ballot = ballot_for(request.user, pk)
    return TallySheetExporter(request.user, ballot).roll_response(request)
