"""Resident portal of owners' ballots (/my/ballots/): the ballots where I am an owner, the dwellings
my vote covers, my vote on each matter, and the results once counted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import ShurenError
from shuren.core.permissions import authenticated
from shuren.core.scoping import has_action

from .. import selectors, services
from ..forms import VoteForm
from ..models import Ballot, BallotStatus, Voter
from ..selectors import ballots_of_owner
from ..tally import describe_all


def _my_ballot(request: HttpRequest, pk: int) -> tuple[Ballot, list[Voter]]:
    ballot = get_object_or_404(ballots_of_owner(request.user), pk=pk)
    voters = selectors.voters_of_user(request.user, ballot)
    if not voters:
        raise Http404
    return ballot, voters


@authenticated
def my_ballots(request: HttpRequest) -> HttpResponse:
    return render(request, "ballots/portal/my_ballots.html", {"ballots": ballots_of_owner(request.user)})


@authenticated
def my_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    ballot, voters = _my_ballot(request, pk)
    matters = list(selectors.matters_in_order(ballot))
    sections = []
    for voter in voters:
        votes = selectors.votes_of(voter)
        sections.append(
            {
                "voter": voter,
                "dwellings": [d.dwelling for d in voter.dwellings.all()],
                "rows": [
                    {
                        "matter": m,
                        "vote": votes.get(m.pk),
                        "lines": describe_all(m.result) if ballot.status == BallotStatus.CLOSED else [],
                    }
                    for m in matters
                ],
            }
        )
    return render(
        request,
        "ballots/portal/ballot.html",
        {
            "ballot": ballot,
            "sections": sections,
            "is_open": ballot.status == BallotStatus.OPEN,
            "can_vote": has_action(request.user, "ballots.vote"),
        },
    )


@require_POST
@authenticated
def vote(request: HttpRequest, pk: int, matter_pk: int) -> HttpResponse:
    ballot, voters = _my_ballot(request, pk)
    matter = get_object_or_404(selectors.matters_of(ballot), pk=matter_pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose agree, oppose or abstain."))
        return redirect("ballots_portal:ballot", ballot.pk)
    voter = next((v for v in voters if v.pk == form.cleaned_data["voter"]), None)
    if voter is None:
        raise Http404
    try:
        services.cast_vote(actor=acting_user(request), matter=matter, voter=voter, choice=form.cleaned_data["choice"])
        messages.success(request, _("Your vote has been recorded. Thank you."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ShurenError as exc:
        messages.error(request, exc.detail)
    return redirect("ballots_portal:ballot", ballot.pk)
