"""Staff console of owners' ballots: list, drafting with matters, opening, turnout, paper entry,
closing, the printable tally sheet and its xlsx export, and the configuration of local rules."""

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

from shuren.audit.services import record_event
from shuren.core.errors import ShurenError
from shuren.core.exports import xlsx_response
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can

from . import services, workflow
from .electorate import preview_electorate
from .forms import BallotForm, CancelForm, MatterForm, PaperVoteForm, RuleForm, VersionForm, VoterSearchForm
from .models import Ballot, BallotRule, BallotStatus, Matter, Voter
from .selectors import ballot_for, find_voters, roll_rows, turnout, unknown_owner_dwellings, visible_ballots
from .tally import describe_all

MANAGE = "ballots.manage"
UNKNOWN_SHOWN = 100  # dwellings without a registered owner listed on the ballot page; the rest counted


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(getattr(exc, "detail", exc))


@requires("ballots.view")
def ballot_list(request: HttpRequest) -> HttpResponse:
    ballots = visible_ballots(request.user)
    status = request.GET.get("status", "")
    if status in BallotStatus.values:
        ballots = ballots.filter(status=status)
    page = Paginator(ballots.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "ballots/console/ballot_list.html",
        {"page": page, "status": status, "statuses": BallotStatus.choices, "can_manage": _can_manage(request.user)},
    )


def _can_manage(user: Any) -> bool:
    from shuren.core.scoping import has_action

    return has_action(user, MANAGE)


@requires(MANAGE)
def ballot_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    ballot = ballot_for(request.user, pk, MANAGE) if pk is not None else None
    if ballot is not None and ballot.status != BallotStatus.DRAFT:
        messages.error(request, _("Only a draft ballot can be changed."))
        return redirect("ballots:ballot_detail", ballot.pk)
    form = BallotForm(request.POST or None, instance=ballot or Ballot(), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if ballot is None:
                saved = services.create_ballot(request.user, **form.service_fields())
                messages.success(request, _("The ballot has been drafted. Add its matters."))
            else:
                saved = services.update_ballot(
                    request.user, ballot, version=form.cleaned_data.get("version") or -1, **form.service_fields()
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
    ballot = ballot_for(request.user, pk)
    matters = list(services.matters_in_order(ballot))
    context: dict[str, Any] = {
        "ballot": ballot,
        "matters": matters,
        "can_manage": can(request.user, MANAGE, ballot),
        "actions": workflow.actions(ballot.status),
        "version_form": VersionForm(initial={"version": ballot.version}),
        "cancel_form": CancelForm(initial={"version": ballot.version}),
    }
    if ballot.status == BallotStatus.DRAFT:
        context["preview"] = preview_electorate(ballot)
    else:
        unknown = unknown_owner_dwellings(ballot)
        context["unknown_dwellings"] = list(unknown[:UNKNOWN_SHOWN])
        context["unknown_more"] = max(unknown.count() - UNKNOWN_SHOWN, 0)
        context["developer"] = ballot.voters.filter(is_developer=True).first()
        context["voter_count"] = ballot.total_owners
    if ballot.status == BallotStatus.OPEN:
        context["turnout"] = turnout(ballot)
    if ballot.status == BallotStatus.CLOSED:
        context["results"] = [(m, describe_all(m.result)) for m in matters]
    return render(request, "ballots/console/ballot_detail.html", context)


@requires(MANAGE)
def matter_edit(request: HttpRequest, pk: int, matter_pk: int | None = None) -> HttpResponse:
    ballot = ballot_for(request.user, pk, MANAGE)
    matter = get_object_or_404(Matter, pk=matter_pk, ballot=ballot) if matter_pk is not None else None
    form = MatterForm(request.POST or None, instance=matter or Matter(ballot=ballot), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if matter is None:
                services.add_matter(request.user, ballot, **form.service_fields())
            else:
                services.update_matter(request.user, matter, **form.service_fields())
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
    ballot = ballot_for(request.user, pk, MANAGE)
    matter = get_object_or_404(Matter, pk=matter_pk, ballot=ballot)
    try:
        services.remove_matter(request.user, matter)
        messages.success(request, _("The matter has been removed."))
    except (ValidationError, ShurenError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("ballots:ballot_detail", ballot.pk)


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ballot = ballot_for(request.user, pk, MANAGE)
    form = CancelForm(request.POST) if action == "cancel" else VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values()))))
        return redirect("ballots:ballot_detail", ballot.pk)
    version = form.cleaned_data["version"]
    try:
        if action == "open":
            services.open_ballot(request.user, ballot, version=version)
            messages.success(request, _("Voting is open; the electorate is fixed."))
        elif action == "close":
            services.close_ballot(request.user, ballot, version=version)
            messages.success(request, _("Voting is closed and every matter has been counted."))
        else:
            services.cancel_ballot(request.user, ballot, version=version, reason=form.cleaned_data["reason"])
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
    ballot = ballot_for(request.user, pk, MANAGE)
    matters = list(services.matters_in_order(ballot))
    search = VoterSearchForm(request.GET or None)
    found: list[Voter] = []
    if search.is_valid() and any(search.cleaned_data.values()):
        found = list(find_voters(ballot, **search.cleaned_data)[:20])
    voter = None
    voter_pk = request.POST.get("voter") or request.GET.get("voter")
    if voter_pk and str(voter_pk).isdigit():
        voter = ballot.voters.filter(pk=int(voter_pk)).prefetch_related("dwellings__dwelling__unit__building").first()
    form = PaperVoteForm(request.POST or None, matters=matters)
    if request.method == "POST" and voter is not None and form.is_valid():
        recorded, refused = 0, []
        for matter, choice in form.choices():
            matter.ballot = ballot
            try:
                services.record_paper_vote(
                    request.user, matter, voter=voter, choice=choice, paper_number=form.cleaned_data["paper_number"]
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
    existing = {}
    if voter is not None:
        existing = {v.matter_id: v for v in voter.votes.select_related("recorded_by", "cast_by_person")}
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


def _sheet_context(ballot: Ballot) -> dict[str, Any]:
    matters = list(services.matters_in_order(ballot))
    results = []
    for matter in matters:
        result = matter.result if ballot.status == BallotStatus.CLOSED else services.count_matter(matter)
        results.append({"matter": matter, "result": result, "lines": describe_all(result)})
    return {"ballot": ballot, "matters": matters, "results": results, "rows": roll_rows(ballot, matters)}


@requires("ballots.view")
def tally_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable tally sheet: every matter's arithmetic and the (masked) voter roll."""
    ballot = ballot_for(request.user, pk)
    if ballot.status == BallotStatus.DRAFT:
        messages.error(request, _("The tally sheet exists once voting has opened."))
        return redirect("ballots:ballot_detail", ballot.pk)
    context = _sheet_context(ballot)
    context["printed_at"] = timezone.now()
    return render(request, "ballots/console/tally_sheet.html", context)


@requires("ballots.view")
def tally_export(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for(request.user, pk)
    context = _sheet_context(ballot)
    headings = [_("Owner"), _("Dwellings"), _("Exclusive area (m²)")]
    for matter in context["matters"]:
        headings += [f"{matter.position}. {matter.title}", _("How")]
    rows: list[list[Any]] = []
    for row in context["rows"]:
        line: list[Any] = [row["voter"].label, row["rooms"], float(row["voter"].area)]
        for vote in row["votes"]:
            if vote is None:
                line += ["", ""]
            else:
                how = vote.get_channel_display() + (f" {vote.paper_number}" if vote.paper_number else "")
                line += [vote.get_choice_display(), how]
        rows.append(line)
    rows.append([])
    for item in context["results"]:
        rows.append([f"{item['matter'].position}. {item['matter'].title}", item["result"]["rule"]["name"]])
        rows.extend([[check["line"]] for check in item["lines"]])
        rows.append([_("Passed") if item["result"]["passed"] else _("Not passed")])
    record_event(
        "ballots.export", request=request, obj=ballot, scope=ballot.scope, detail={"rows": len(context["rows"])}
    )
    return xlsx_response(f"ballot-{ballot.reference}.xlsx", _("Tally sheet"), headings, rows, user=request.user)


# --- rules (configuration) -----------------------------------------------------------------------


@requires("ballots.configure")
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "ballots/console/rule_list.html", {"rules": BallotRule.objects.order_by("-is_active", "code")}
    )


@requires("ballots.configure")
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(BallotRule, pk=pk) if pk is not None else BallotRule()
    original = BallotRule.objects.get(pk=pk) if pk is not None else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(request.user, original or BallotRule(), form.cleaned_data)
            messages.success(request, _("The rule has been saved."))
            return redirect("ballots:rule_list")
        except ValidationError as exc:
            add_validation_errors(form, exc)
    title = _("Edit rule %(name)s") % {"name": original.name} if original else _("New ballot rule")
    return render(request, "ballots/console/rule_form.html", {"form": form, "title": title})
