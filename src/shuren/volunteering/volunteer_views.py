"""Staff console of volunteers (/volunteering/volunteers/ ...): the register with filters and xlsx
export, the approval queue, one volunteer's profile with history and hours, the teams overview, the
party members' progress toward the annual target, and each community's volunteering policy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.decorators import reauth_required
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.masking import mask_phone
from shuren.core.permissions import requires
from shuren.core.scoping import has_action
from shuren.places.community_settings import settings_page
from shuren.places.models import Area
from shuren.places.selectors import communities_where

from . import selectors, services
from .forms import DecisionForm, PolicyForm, ProgressFilterForm, VolunteerFilterForm
from .models import Availability, ProfileStatus, VolunteerProfile

PAGE_SIZE = 50
DECISION_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": pgettext_lazy("volunteer", "Reject"),
    "suspend": gettext_lazy("Suspend"),
}


def availability_labels(codes: list[str]) -> list[str]:
    labels = dict(Availability.choices)
    return [str(labels.get(code, code)) for code in codes or []]


def _filtered(request: HttpRequest) -> tuple[VolunteerFilterForm, QuerySet[VolunteerProfile]]:
    user = request.user
    form = VolunteerFilterForm(request.GET or None, teams=selectors.visible_teams(user).order_by("name"))
    profiles = selectors.visible_profiles(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            profiles = profiles.filter(
                Q(person__name__icontains=q)
                | Q(person__name_pinyin__icontains=q.lower().replace(" ", ""))
                | Q(person__name_initials__iexact=q)
            )
        if data["status"]:
            profiles = profiles.filter(status=data["status"])
        if data["skill"]:
            profiles = profiles.filter(skills=data["skill"])
        if data["team"]:
            profiles = profiles.filter(
                person__memberships__organization_id=data["team"], person__memberships__to_on__isnull=True
            )
    return form, profiles.distinct()


def _teams_by_person(person_ids: list[int]) -> dict[int, list[str]]:
    from shuren.orgs.models import Membership, OrganizationKind

    teams: dict[int, list[str]] = {}
    memberships = Membership.objects.filter(
        services.profiles.current_membership_q(),
        person_id__in=person_ids,
        organization__kind=OrganizationKind.VOLUNTEER_TEAM,
    ).select_related("organization")
    for m in memberships:
        teams.setdefault(m.person_id, []).append(m.organization.name)
    return teams


@requires("volunteering.view")
def volunteer_list(request: HttpRequest) -> HttpResponse:
    form, profiles = _filtered(request)
    year = timezone.localdate().year
    ordered = selectors.with_hours(profiles, year).prefetch_related("skills").order_by("person__name_pinyin", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    teams = _teams_by_person([p.person_id for p in page.object_list])
    for profile in page.object_list:
        profile.team_names = teams.get(profile.person_id, [])
        profile.hours_year = services.to_hours(profile.minutes_year)
        profile.hours_total = services.to_hours(profile.minutes_total)
    return render(
        request,
        "volunteering/console/volunteer_list.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "awaiting": selectors.visible_profiles(request.user).filter(status=ProfileStatus.APPLIED).count(),
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


EXPORT_HEADINGS = [
    "姓名 Name",
    "拼音 Pinyin",
    "手机 Mobile",
    "社区 Community",
    "状态 Status",
    "技能 Skills",
    "可服务时间 Availability",
    "服务队 Teams",
    "本年时长(小时) Hours this year",
    "累计时长(小时) Hours overall",
    "登记时间 Registered",
]


@requires("volunteering.view")
@reauth_required
def volunteer_export(request: HttpRequest) -> HttpResponse:
    """The filtered register with hours as xlsx (phones masked), audited."""
    from shuren.core.exports import xlsx_response

    _form, profiles = _filtered(request)
    year = timezone.localdate().year
    profiles = list(
        selectors.with_hours(profiles, year).prefetch_related("skills").order_by("person__name_pinyin", "pk")
    )
    teams = _teams_by_person([p.person_id for p in profiles])
    rows = [
        (
            p.person.name,
            p.person.name_pinyin,
            mask_phone(p.person.phone),
            p.community.name,
            p.get_status_display(),
            "、".join(s.name for s in p.skills.all()),
            "、".join(availability_labels(p.availability)),
            "、".join(teams.get(p.person_id, [])),
            float(services.to_hours(p.minutes_year)),
            float(services.to_hours(p.minutes_total)),
            timezone.localtime(p.applied_at).strftime("%Y-%m-%d"),
        )
        for p in profiles
    ]
    filters = {k: v[:80] for k, v in request.GET.items() if k != "page"}
    record_event("volunteering.export_volunteers", request=request, detail={"rows": len(rows), "filters": filters})
    return xlsx_response("volunteers.xlsx", "志愿者 Volunteers", EXPORT_HEADINGS, rows, user=request.user)


@requires("volunteering.view")
def volunteer_queue(request: HttpRequest) -> HttpResponse:
    """Registrations awaiting approval, oldest first."""
    profiles = (
        selectors.visible_profiles(request.user)
        .filter(status=ProfileStatus.APPLIED)
        .prefetch_related("skills")
        .order_by("applied_at", "pk")
    )
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    teams = _teams_by_person([p.person_id for p in page.object_list])
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
            "signups": person_signups(person),
            "may_decide": services.may_manage_profile(request.user, profile),
            "decisions": decisions,
            "form": form or DecisionForm(initial={"version": profile.version}),
        },
        status=status,
    )


def person_signups(person: Any) -> Any:
    from .models import SignUp

    return (
        SignUp.objects.filter(person=person).select_related("activity", "checkin").order_by("-activity__starts_at")[:50]
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
            request.user,
            profile,
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
    user = request.user
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
    rows = selectors.party_progress(user, community, year) if community is not None else []
    if behind:
        rows = [r for r in rows if r.is_behind]
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


PROGRESS_HEADINGS = [
    "姓名 Name",
    "党员身份 Membership",
    "本年时长(小时) Hours",
    "目标(小时) Target",
    "完成率 Percent",
    "应完成(小时) Expected so far",
    "落后 Behind",
]


@requires("volunteering.view")
@reauth_required
def progress_export(request: HttpRequest) -> HttpResponse:
    from shuren.core.exports import xlsx_response

    _form, community, year, rows = _progress(request)
    data = [
        (
            r.person.name,
            r.party_status,
            float(r.hours),
            r.target,
            f"{r.percent}%",
            float(r.expected),
            _("Yes") if r.is_behind else "",
        )
        for r in rows
    ]
    record_event(
        "volunteering.export_progress",
        request=request,
        detail={"community": community.path if community else "", "year": year, "rows": len(data)},
    )
    return xlsx_response(
        f"party-service-{year}.xlsx", f"党员服务时长 {year}", PROGRESS_HEADINGS, data, user=request.user
    )


# --- policy --------------------------------------------------------------------------------------


def _communities(user: Any) -> QuerySet[Area]:
    return communities_where(user, "volunteering.configure")


@requires("volunteering.configure")
def policy_list(request: HttpRequest) -> HttpResponse:
    communities = list(_communities(request.user).select_related("volunteering_policy")[:500])
    rows = [(c, services.policy_for(c)) for c in communities]
    return render(request, "volunteering/console/policy_list.html", {"rows": rows})


@requires("volunteering.configure")
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = _communities(request.user).filter(pk=pk).first()
    if community is None:
        raise OutOfScope()
    return settings_page(
        request,
        community=community,
        form=PolicyForm(request.POST or None, instance=services.policy_for(community)),
        save=lambda data: services.set_policy(
            request.user,
            community,
            party_member_target_hours=data["party_member_target_hours"],
            approval_required=data["approval_required"],
        ),
        template="volunteering/console/policy_form.html",
        done="volunteering:policy_list",
    )
