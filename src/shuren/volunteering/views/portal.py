"""The volunteer's side (/my/volunteering/), phone first: upcoming activities of my community with
places left and skills wanted, signing up and cancelling, my activities, my volunteer profile with
hours (and, for party members, the progress toward the annual target), registering, and what the
activity's QR code opens: check-in, then check-out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import has_action

from .. import selectors, services
from ..forms import RegisterForm
from ..models import ActivityStatus, ProfileStatus, SignUpStatus, VolunteerProfile, availability_labels

PORTAL_LAYOUT = "volunteering/portal/layout_portal.html"
CONSOLE_LAYOUT = "volunteering/portal/layout_console.html"


def _layout(user: Any) -> str:
    return CONSOLE_LAYOUT if has_action(user, "web.view_dashboard") else PORTAL_LAYOUT


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"layout": _layout(request.user), **context}, status=status)


def _profile(user: Any) -> VolunteerProfile | None:
    return selectors.profile_of(services.person_of(user))


@requires("volunteering.volunteer")
def home(request: HttpRequest) -> HttpResponse:
    """Upcoming activities of my community, soonest first, with my hours at the top."""
    user = acting_user(request)
    page = Paginator(selectors.upcoming_for_volunteer(user), 20).get_page(request.GET.get("page"))
    mine = selectors.active_signups_by_activity(user, list(page.object_list))
    for activity in page.object_list:
        activity.places_left = selectors.places_left(activity)
        activity.my_signup = mine.get(activity.pk)
    person = services.person_of(user)
    year = timezone.localdate().year
    return _page(
        request,
        "volunteering/portal/home.html",
        {
            "page": page,
            "profile": _profile(user),
            "person": person,
            "hours_year": services.hours_in_year(person, year) if person else None,
            "year": year,
        },
    )


def _activity_page(request: HttpRequest, activity: Any, status: int = 200) -> HttpResponse:
    user = acting_user(request)
    signup = selectors.active_signup(user, activity)
    person = services.person_of(user)
    now = timezone.now()
    open_for_signup = activity.status == ActivityStatus.PUBLISHED and now < services.closes_at(activity)
    problem = services.eligibility_problem(activity, person) if open_for_signup and signup is None else ""
    last = None
    if signup is None and person is not None:
        last = selectors.last_signup(activity, person)
    return _page(
        request,
        "volunteering/portal/activity.html",
        {
            "activity": activity,
            "signup": signup,
            "last_signup": last,
            "checkin": getattr(signup, "checkin", None) if signup and hasattr(signup, "checkin") else None,
            "position": selectors.waitlist_position(signup) if signup else None,
            "places_left": selectors.places_left(activity),
            "open_for_signup": open_for_signup,
            "problem": problem,
            "needs_registration": bool(problem) and _needs_registration(person),
            "can_cancel": signup is not None
            and activity.status == ActivityStatus.PUBLISHED
            and now < activity.starts_at
            and not hasattr(signup, "checkin"),
            "closes_at": services.closes_at(activity),
            "records": selectors.records_of(activity, person) if person else [],
        },
        status=status,
    )


def _needs_registration(person: Any) -> bool:
    if person is None:
        return False
    profile = selectors.profile_of(person)
    return profile is None or profile.status == ProfileStatus.REJECTED


@requires("volunteering.volunteer")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, selectors.openable_for_volunteer(request.user, pk))


@requires("volunteering.volunteer")
@require_POST
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.openable_for_volunteer(request.user, pk)
    try:
        signup = services.sign_up(actor=acting_user(request), activity=activity)
    except (InvalidTransition, services.NotEligible) as exc:
        messages.error(request, exc.detail)
    else:
        if signup.status == SignUpStatus.CONFIRMED:
            messages.success(request, _("You have a place. See you there!"))
        else:
            messages.info(request, _("The activity is full: you are on the waiting list and move up if a place frees."))
    return redirect("volunteering_portal:activity", pk=activity.pk)


@requires("volunteering.volunteer")
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    activity = selectors.openable_for_volunteer(user, pk)
    signup = selectors.active_signup(user, activity)
    if signup is None:
        messages.info(request, _("You are not signed up for this activity."))
        return redirect("volunteering_portal:activity", pk=activity.pk)
    try:
        services.cancel_signup(actor=user, signup=signup)
    except (InvalidTransition, services.NotEligible) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Your sign-up is cancelled. Thank you for letting us know."))
    return redirect("volunteering_portal:activity", pk=activity.pk)


@requires("volunteering.volunteer")
def mine(request: HttpRequest) -> HttpResponse:
    """My sign-ups: upcoming first, then past ones with their hours."""
    signups = list(selectors.my_signups(request.user)[:200])
    now = timezone.now()
    upcoming = [s for s in signups if s.activity.ends_at >= now and s.status in ("confirmed", "waitlisted")]
    upcoming.sort(key=lambda s: s.activity.starts_at)
    past = [s for s in signups if s not in upcoming]
    for signup in signups:
        records = list(signup.records.all())
        signup.minutes_total = sum(r.minutes for r in records) if records else None
        signup.hours_total = services.to_hours(signup.minutes_total) if records else None
    return _page(request, "volunteering/portal/mine.html", {"upcoming": upcoming, "past": past})


@requires("volunteering.volunteer")
def profile(request: HttpRequest) -> HttpResponse:
    """My volunteer profile: status, skills, availability, teams, hours and history; for party
    members the progress toward the annual target."""
    user = acting_user(request)
    person = services.person_of(user)
    own = _profile(user)
    year = timezone.localdate().year
    context: dict[str, Any] = {"person": person, "profile": own, "year": year}
    if person is not None:
        hours = services.hours_in_year(person, year)
        context.update(
            {
                "hours_year": hours,
                "hours_total": services.hours_overall(person),
                "records": selectors.history_of(person).order_by("-served_on", "-pk")[:100],
                "teams": services.current_teams(person),
                "availability": availability_labels(own.availability) if own else [],
                "skills": own.skills.all() if own else [],
            }
        )
        if selectors.is_party_member(person):
            target = services.policy_for(person.community).party_member_target_hours
            expected = target * selectors.elapsed_share(year)
            context["party"] = {
                "target": target,
                "percent": min(100, int(hours * 100 / target)) if target else 0,
                "expected": round(expected, 1),
                "behind": hours < expected,
            }
    return _page(request, "volunteering/portal/profile.html", context)


@requires("volunteering.volunteer")
def register(request: HttpRequest) -> HttpResponse:
    """Register as a volunteer, or change my registration."""
    user = acting_user(request)
    person = services.person_of(user)
    if person is None:
        return _page(request, "volunteering/portal/register.html", {"person": None, "form": None})
    own = _profile(user)
    teams = services.teams_of_community(person.community)
    initial: dict[str, Any] = {}
    if own is not None:
        initial = {
            "skills": list(own.skills.all()),
            "availability": own.availability,
            "introduction": own.introduction,
            "teams": [m.organization for m in services.current_teams(person)],
        }
    form = RegisterForm(request.POST or None, teams=teams, initial=initial)
    if own is not None and own.status == ProfileStatus.SUSPENDED:
        return _page(request, "volunteering/portal/register.html", {"person": person, "profile": own, "form": None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.register_volunteer(
                actor=user,
                skills=data["skills"],
                availability=data["availability"],
                introduction=data["introduction"],
                teams=data["teams"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except (InvalidTransition, services.NotEligible) as exc:
            form.add_error(None, exc.detail)
        else:
            if own is not None and own.status == ProfileStatus.APPROVED:
                messages.success(request, _("Your volunteer profile is saved."))
            elif saved.status == ProfileStatus.APPROVED:
                messages.success(
                    request, _("Welcome! You are now a volunteer of %(c)s.") % {"c": person.community.name}
                )
            else:
                messages.success(request, _("Thank you! The community will look at your registration soon."))
            return redirect("volunteering_portal:profile")
    return _page(
        request,
        "volunteering/portal/register.html",
        {"person": person, "profile": own, "form": form},
        status=400 if form.errors else 200,
    )


@requires("volunteering.volunteer")
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """What the activity's QR code opens: the first scan checks a signed-up volunteer in, the next
    one checks them out. Scanning again changes nothing."""
    user = acting_user(request)
    activity = services.activity_for_token(user, token)
    try:
        scan = services.check_in_with_token(actor=user, token=token)
    except OutOfScope:
        raise
    except (InvalidTransition, services.NotEligible) as exc:
        return _page(
            request, "volunteering/portal/checkin.html", {"activity": activity, "refused": exc.detail}, status=403
        )
    return _page(
        request,
        "volunteering/portal/checkin.html",
        {
            "activity": activity,
            "scan": scan,
            "checkin": scan.checkin,
            "minutes": services.proposed_minutes(scan.signup) if scan.checkin.checked_out_at else None,
        },
    )
