"""Staff console of volunteers (/volunteering/volunteers/ ...): the register with filters and xlsx
export, the approval queue, one volunteer's profile with history and hours, the teams overview, the
party members' progress toward the annual target, and each community's volunteering policy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.reauth import reauth_required
from shuren.core.scoping import has_action
from shuren.places.community_settings import settings_page
from shuren.places.models import Area

from .. import selectors, services
from ..exports import ProgressExporter, VolunteerExporter
from ..forms import DecisionForm, PolicyForm, ProgressFilterForm, VolunteerFilterForm
from ..models import VolunteerProfile, availability_labels

PAGE_SIZE = 50
DECISION_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": pgettext_lazy("volunteer", "Reject"),
    "suspend": gettext_lazy("Suspend"),
}


def _filtered(request: HttpRequest) -> tuple[VolunteerFilterForm, QuerySet[VolunteerProfile]]:
    user = acting_user(request)
    form = VolunteerFilterForm(request.GET or None, teams=selectors.visible_teams(user).order_by("name"))
    profiles = selectors.visible_profiles(user)
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.filter_profiles(
            profiles, q=data["q"], status=data["status"], skill=data["skill"], team=data["team"]
        )
    return form, profiles.distinct()


@requires("volunteering.view")
def volunteer_list(request: HttpRequest) -> HttpResponse:
    form, profiles = _filtered(request)
    year = timezone.localdate().year
    ordered = selectors.with_hours(profiles, year).prefetch_related("skills").order_by("person__name_pinyin", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    teams = selectors.teams_by_person([p.person_id for p in page.object_list])
    for profile in page.object_list:
        profile.team_names = teams.get(profile.person_id, [])
        profile.hours_year, profile.hours_total = selectors.hours_of(profile)
    return render(
        request,
        "volunteering/console/volunteer_list.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "awaiting": selectors.awaiting_profiles(request.user).count(),
            "headings": [
                _("Volunteer"),
                _("Status"),
                _("Skills"),
                _("Teams"),
                _("Hours this year"),
                _("Hours overall"),
            ],
        },
    )


@requires("volunteering.view")
@reauth_required
def volunteer_export(request: HttpRequest) -> HttpResponse:
    """The filtered register with hours as xlsx (phones masked), audited."""
    _form, profiles = _filtered(request)
    year = timezone.localdate().year
    ordered = selectors.with_hours(profiles, year).prefetch_related("skills").order_by("person__name_pinyin", "pk")
    return VolunteerExporter(request.user).response(request, ordered)


@requires("volunteering.view")
def volunteer_queue(request: HttpRequest) -> HttpResponse:
    """Registrations awaiting approval, oldest first."""
    profiles = selectors.awaiting_profiles(request.user).prefetch_related("skills").order_by("applied_at", "pk")
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    teams = selectors.teams_by_person([p.person_id for p in page.object_list])
    for profile in page.object_list:
        profile.team_names = teams.get(profile.person_id, [])
        profile.availability_labels = availability_labels(profile.availability)
        profile.may_decide = services.may_manage_profile(request.user, profile)
    return render(request, "volunteering/console/volunteer_queue.html", {"page": page})


def _volunteer_detail(
    request: HttpRequest, profile: VolunteerProfile, *, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    person = profile.person
    year = timezone.localdate().year
    decisions = [
        (decision, DECISION_LABELS[decision])
        for decision, (sources, _target) in services.profiles.DECISIONS.items()
        if profile.status in sources
    ]
    records = list(selectors.history_of(person).order_by("-served_on", "-pk")[:200])
    return render(
        request,
        "volunteering/console/volunteer_detail.html",
        {
            "profile": profile,
            "person": person,
            "skills": profile.skills.all(),
            "availability": availability_labels(profile.availability),
            "teams": services.current_teams(person),
            "records": records,
            "hours_year": services.hours_in_year(person, year),
            "hours_total": services.hours_overall(person),
            "year": year,
            "signups": selectors.signups_of_person(person),
            "may_decide": services.may_manage_profile(request.user, profile),
            "decisions": decisions,
            "form": form or DecisionForm(initial={"version": profile.version}),
        },
        status=status,
    )


@requires("volunteering.view")
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _volunteer_detail(request, selectors.staff_profile(request.user, pk))


@requires("volunteering.manage")
@require_POST
def volunteer_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    profile = selectors.staff_profile(request.user, pk)
    if decision not in DECISION_LABELS:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _volunteer_detail(request, profile, form=form, status=400)
    try:
        services.decide_profile(
            actor=acting_user(request),
            profile=profile,
            version=form.cleaned_data["version"],
            decision=decision,
            note=form.cleaned_data["note"],
        )
    except StaleVersion:
        messages.warning(request, _("The registration was changed meanwhile; check it and decide again."))
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return _volunteer_detail(request, profile, form=form, status=400)
    else:
        messages.success(
            request,
            {
                "approve": _("%(name)s is an approved volunteer."),
                "reject": _("The registration of %(name)s is rejected."),
                "suspend": _("%(name)s is suspended."),
            }[decision]
            % {"name": profile.person.name},
        )
        if request.POST.get("next") == "queue":
            return redirect("volunteering:volunteer_queue")
    return redirect("volunteering:volunteer_detail", pk=profile.pk)


# --- teams ---------------------------------------------------------------------------------------


@requires("volunteering.view")
def team_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    return render(
        request,
        "volunteering/console/team_list.html",
        {"rows": selectors.team_figures(selectors.visible_teams(request.user), year), "year": year},
    )


# --- the party members' progress -----------------------------------------------------------------


def _progress(request: HttpRequest) -> tuple[ProgressFilterForm, Area | None, int, list[Any]]:
    user = acting_user(request)
    if not has_action(user, "people.view_affiliation"):
        raise NotPermitted()
    communities = selectors.progress_communities(user)
    form = ProgressFilterForm(request.GET or None, communities=communities)
    year = timezone.localdate().year
    community = communities.first()
    behind = False
    if form.is_valid():
        community = form.cleaned_data["community"] or community
        year = form.cleaned_data["year"] or year
        behind = form.cleaned_data["behind"]
    elif request.GET.get("community"):
        raise OutOfScope()
    rows = selectors.party_progress(user, community, year, behind=behind) if community is not None else []
    return form, community, year, rows


@requires("volunteering.view")
def progress(request: HttpRequest) -> HttpResponse:
    """双50小时: each party member's hours this year against the community's target."""
    form, community, year, rows = _progress(request)
    target = services.policy_for(community).party_member_target_hours if community else 50
    record_event(
        "volunteering.view_progress",
        request=request,
        detail={"community": community.path if community else "", "year": year, "rows": len(rows)},
    )
    return render(
        request,
        "volunteering/console/progress.html",
        {
            "form": form,
            "community": community,
            "year": year,
            "rows": rows,
            "target": target,
            "expected": rows[0].expected if rows else None,
            "behind_count": sum(1 for r in rows if r.is_behind),
        },
    )


@requires("volunteering.view")
@reauth_required
def progress_export(request: HttpRequest) -> HttpResponse:
    _form, community, year, rows = _progress(request)
    return ProgressExporter(request.user, year=year).response(
        request,
        rows,
        filters={},
        detail={"community": community.path if community else "", "year": year},
    )


# --- policy --------------------------------------------------------------------------------------


@requires("volunteering.configure")
def policy_list(request: HttpRequest) -> HttpResponse:
    communities = list(selectors.policy_communities(request.user).select_related("volunteering_policy")[:500])
    rows = [(c, services.policy_for(c)) for c in communities]
    return render(request, "volunteering/console/policy_list.html", {"rows": rows})


@requires("volunteering.configure")
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.policy_community(request.user, pk)
    return settings_page(
        request,
        community=community,
        form=PolicyForm(request.POST or None, instance=services.policy_for(community)),
        save=lambda data: services.set_policy(
            actor=acting_user(request),
            community=community,
            party_member_target_hours=data["party_member_target_hours"],
            approval_required=data["approval_required"],
        ),
        template="volunteering/console/policy_form.html",
        done="volunteering:policy_list",
    )
