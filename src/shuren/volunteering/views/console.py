"""Staff console of volunteer activities (/volunteering/): the list with filters, one activity with
its sign-ups, waiting list, check-ins, proposed and confirmed hours and exactly the actions allowed,
the forms to create and edit, the check-in QR poster, and corrections of confirmed hours.
Volunteers, teams, the party members' progress and the policy are in ``views.volunteers``.

Views only adapt: what a user may see comes from ``selectors``, every change from ``services``.
"""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action
from shuren.people.models import Person

from .. import selectors, services, workflow
from ..forms import (
    ActivityFilterForm,
    ActivityForm,
    CancelActivityForm,
    ConfirmForm,
    CorrectForm,
    DoorSignUpForm,
    VersionForm,
)
from ..models import Activity, ActivityStatus, SignUp, SignUpStatus

PAGE_SIZE = 50
SIGNUP_ACTIONS = ("checkin", "checkout", "withdraw", "confirm")


def qr_data_uri(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale)


def checkin_url(request: HttpRequest, activity: Activity) -> str:
    return request.build_absolute_uri(reverse("volunteering_portal:checkin", kwargs={"token": activity.checkin_token}))


def manageable_teams(user: Any) -> QuerySet[Any]:
    return selectors.visible_teams(user).order_by("name")


# --- list ----------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[ActivityFilterForm, QuerySet[Activity]]:
    user = acting_user(request)
    form = ActivityFilterForm(request.GET or None, teams=manageable_teams(user))
    activities = selectors.visible_activities(user)
    if form.is_valid():
        data = form.cleaned_data
        activities = selectors.filter_activities(
            activities, q=data["q"], status=data["status"], team=data["team"], when=data["when"]
        )
    return form, activities


@requires("volunteering.view")
def activity_list(request: HttpRequest) -> HttpResponse:
    form, activities = _filtered(request)
    ordered = selectors.listed_activities(activities).order_by("-starts_at", "-pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteering/console/activity_list.html",
        {
            "form": form,
            "page": page,
            "can_manage": has_action(request.user, "volunteering.manage"),
            "headings": [_("Activity"), _("When"), _("Place"), _("Status"), pgettext("capacity", "Places"), _("Team")],
        },
    )


# --- one activity --------------------------------------------------------------------------------


def _signup_rows(activity: Activity, *, manage: bool, bound: dict[int, Any]) -> list[dict[str, Any]]:
    rows = []
    now = timezone.now()
    checkin_open = activity.starts_at - services.CHECKIN_OPENS_BEFORE <= now <= activity.ends_at
    for signup in selectors.signups_of(activity):
        checkin = getattr(signup, "checkin", None) if _has(signup) else None
        records = list(signup.records.all())
        original = next((r for r in records if r.corrects_id is None), None)
        total = sum(r.minutes for r in records) if original else None
        proposal = services.proposed_minutes(signup) if checkin else None
        rows.append(
            {
                "signup": signup,
                "checkin": checkin,
                "proposal": proposal,
                "record": original,
                "corrections": [r for r in records if r.corrects_id],
                "total": total,
                "confirm_form": bound.get(signup.pk)
                or ConfirmForm(initial={"minutes": proposal} if proposal else None, auto_id=f"id_%s_{signup.pk}"),
                "can_check_in": manage
                and checkin_open
                and activity.status == ActivityStatus.PUBLISHED
                and signup.status in (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED)
                and checkin is None,
                "can_check_out": manage
                and activity.status in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED)
                and checkin is not None
                and checkin.checked_out_at is None,
                "can_withdraw": manage
                and activity.status == ActivityStatus.PUBLISHED
                and signup.status in (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED)
                and checkin is None,
                "can_confirm": manage
                and activity.status in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED)
                and signup.status == SignUpStatus.CONFIRMED
                and original is None
                and (checkin is not None or now >= activity.starts_at),
            }
        )
    return rows


def _has(signup: SignUp) -> bool:
    from ..models import CheckIn

    try:
        signup.checkin  # noqa: B018
    except CheckIn.DoesNotExist:
        return False
    return True


def _detail(
    request: HttpRequest,
    activity: Activity,
    *,
    bound: dict[str, Any] | None = None,
    confirm_bound: dict[int, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    bound = bound or {}
    manage = can(user, "volunteering.manage", activity)
    actions = [a for a in workflow.allowed_actions(activity, actor=user) if a != "edit"]
    forms_for = {"cancel": CancelActivityForm}
    panel = [
        {
            "action": action,
            "label": workflow.ACTION_LABELS[action],
            "form": bound.get(action) or forms_for.get(action, VersionForm)(initial={"version": activity.version}),
            "open": action in bound,
            "url": reverse("volunteering:activity_action", args=[activity.pk, action]),
            "danger": action == "cancel",
        }
        for action in actions
    ]
    rows = _signup_rows(activity, manage=manage, bound=confirm_bound or {})
    door_form = bound.get("door") or DoorSignUpForm(
        people=selectors.door_candidates(activity) if manage else Person.objects.none()
    )
    return render(
        request,
        "volunteering/console/activity_detail.html",
        {
            "activity": activity,
            "panel": panel,
            "can_manage": manage,
            "can_edit": "edit" in workflow.allowed_actions(activity, actor=user),
            "confirmed": [r for r in rows if r["signup"].status == SignUpStatus.CONFIRMED],
            "waitlisted": [r for r in rows if r["signup"].status == SignUpStatus.WAITLISTED],
            "gone": [r for r in rows if r["signup"].status in (SignUpStatus.CANCELLED, SignUpStatus.WITHDRAWN)],
            "confirmable": len([r for r in rows if r["can_confirm"] and r["proposal"]]) if manage else 0,
            "door_form": door_form,
            "door_open": manage and activity.status == ActivityStatus.PUBLISHED,
            "places_left": selectors.places_left(activity),
            "checked_in": len([r for r in rows if r["checkin"]]),
            "confirmed_minutes": sum(r["total"] or 0 for r in rows),
            "closes_at": services.closes_at(activity),
            "checkin_opens": activity.starts_at - services.CHECKIN_OPENS_BEFORE,
        },
        status=status,
    )


@requires("volunteering.view")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.staff_activity(request.user, pk))


@requires("volunteering.manage")
@require_POST
def activity_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish, cancel or finish, from the version the user read."""
    activity = selectors.staff_activity(request.user, pk)
    if action not in ("publish", "cancel", "finish"):
        raise Http404
    if not can(request.user, "volunteering.manage", activity):
        raise NotPermitted()
    form = (CancelActivityForm if action == "cancel" else VersionForm)(request.POST)
    if not form.is_valid():
        return _detail(request, activity, bound={action: form}, status=400)
    data = form.cleaned_data
    try:
        if action == "publish":
            services.publish_activity(actor=acting_user(request), activity=activity, version=data["version"])
        elif action == "cancel":
            services.cancel_activity(
                actor=acting_user(request), activity=activity, version=data["version"], reason=data["reason"]
            )
        else:
            services.finish_activity(actor=acting_user(request), activity=activity, version=data["version"])
    except StaleVersion:
        messages.warning(request, _("The activity was changed by someone else meanwhile; check it and try again."))
        return redirect("volunteering:activity_detail", pk=activity.pk)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
        return redirect("volunteering:activity_detail", pk=activity.pk)
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return _detail(request, activity, bound={action: form}, status=400)
    messages.success(request, str(workflow.DONE_MESSAGES[action]))
    return redirect("volunteering:activity_detail", pk=activity.pk)


@requires("volunteering.manage")
def activity_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in QR code large, to print or show on a phone at the meeting point."""
    activity = selectors.staff_activity(request.user, pk)
    if not can(request.user, "volunteering.manage", activity):
        raise Http404
    url = checkin_url(request, activity)
    return render(
        request,
        "volunteering/console/poster.html",
        {"activity": activity, "qr": qr_data_uri(url, 12), "url": url},
    )


@requires("volunteering.manage")
@require_POST
def signup_action(request: HttpRequest, pk: int, signup_pk: int, action: str) -> HttpResponse:
    """Check a volunteer in or out, take them off, or confirm their hours."""
    user = acting_user(request)
    activity = selectors.staff_activity(user, pk)
    if action not in SIGNUP_ACTIONS:
        raise Http404
    signup = selectors.signup_of(activity, signup_pk)
    name = signup.person.name
    try:
        if action == "checkin":
            services.check_in(actor=user, signup=signup)
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
        elif action == "checkout":
            services.check_out(actor=user, signup=signup)
            messages.success(request, _("%(name)s is checked out.") % {"name": name})
        elif action == "withdraw":
            services.withdraw_signup(actor=user, signup=signup)
            messages.success(request, _("%(name)s is taken off the activity.") % {"name": name})
        else:
            form = ConfirmForm(request.POST, auto_id=f"id_%s_{signup.pk}")
            if not form.is_valid():
                return _detail(request, activity, confirm_bound={signup.pk: form}, status=400)
            try:
                record = services.confirm_hours(
                    actor=user,
                    signup=signup,
                    minutes=form.cleaned_data["minutes"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
                return _detail(request, activity, confirm_bound={signup.pk: form}, status=400)
            if getattr(record, "created_now", False):
                messages.success(
                    request,
                    _("%(minutes)d minutes confirmed for %(name)s.") % {"minutes": record.minutes, "name": name},
                )
            else:
                messages.info(request, _("The hours of %(name)s were already confirmed.") % {"name": name})
    except (InvalidTransition, services.NotEligible) as exc:
        messages.error(request, exc.detail)
    return redirect(reverse("volunteering:activity_detail", args=[activity.pk]) + "#signups")


@requires("volunteering.manage")
@require_POST
def activity_door(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a volunteer up at the door (and check them in)."""
    user = acting_user(request)
    activity = selectors.staff_activity(user, pk)
    if not can(user, "volunteering.manage", activity):
        raise NotPermitted()
    form = DoorSignUpForm(request.POST, people=selectors.door_candidates(activity))
    if not form.is_valid():
        return _detail(request, activity, bound={"door": form}, status=400)
    try:
        services.sign_up_at_door(
            actor=user,
            activity=activity,
            person=form.cleaned_data["person"],
            check_in_now=form.cleaned_data["check_in_now"],
        )
    except (InvalidTransition, services.NotEligible) as exc:
        form.add_error("person", exc.detail)
        return _detail(request, activity, bound={"door": form}, status=400)
    messages.success(request, _("%(name)s is signed up.") % {"name": form.cleaned_data["person"].name})
    return redirect(reverse("volunteering:activity_detail", args=[activity.pk]) + "#signups")


@requires("volunteering.manage")
@require_POST
def activity_confirm_all(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.staff_activity(request.user, pk)
    try:
        records = services.confirm_all(actor=acting_user(request), activity=activity)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Hours confirmed for %(n)d volunteers.") % {"n": len(records)})
    return redirect(reverse("volunteering:activity_detail", args=[activity.pk]) + "#signups")


# --- corrections ---------------------------------------------------------------------------------


@requires("volunteering.manage")
def record_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct confirmed hours: a new record with the difference and the reason."""
    record = selectors.manageable_record(request.user, pk)
    original = record.corrects or record
    form = CorrectForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_record(
                actor=acting_user(request),
                record=original,
                minutes=form.cleaned_data["minutes"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The correction is recorded."))
            if original.activity_id:
                return redirect(reverse("volunteering:activity_detail", args=[original.activity_id]) + "#signups")
            return redirect("volunteering:record_correct", pk=original.pk)
    if form.errors:
        status = 400
    return render(
        request,
        "volunteering/console/record_correct.html",
        {
            "record": original,
            "corrections": selectors.corrections_of(original),
            "total": services.total_minutes(original),
            "form": form,
        },
        status=status,
    )


# --- new and edit --------------------------------------------------------------------------------


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in services.EDITABLE_FIELDS}


@requires("volunteering.manage")
def activity_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ActivityForm(request.POST or None, user=user, teams=manageable_teams(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = _fields(data)
        fields["approved_volunteers_only"] = bool(fields["approved_volunteers_only"])
        fields["points_per_hour"] = fields["points_per_hour"] or 0
        try:
            activity = services.create_activity(
                actor=user, skills=data["skills_wanted"], publish=data.get("publish", False), **fields
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except (NotPermitted, OutOfScope):
            form.add_error("area", _("You cannot organise activities at this place."))
        else:
            messages.success(request, _("Activity %(ref)s is saved.") % {"ref": activity.reference})
            return redirect("volunteering:activity_detail", pk=activity.pk)
    return render(
        request,
        "volunteering/console/activity_form.html",
        {"form": form, "activity": None},
        status=400 if form.errors else 200,
    )


@requires("volunteering.manage")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    activity = selectors.staff_activity(user, pk)
    if not can(user, "volunteering.manage", activity):
        raise NotPermitted()
    if "edit" not in workflow.allowed_actions(activity, actor=user):
        messages.error(request, _("This activity can no longer be edited."))
        return redirect("volunteering:activity_detail", pk=activity.pk)
    form = ActivityForm(request.POST or None, instance=activity, user=user, teams=manageable_teams(user))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = _fields(data)
        fields["approved_volunteers_only"] = bool(fields["approved_volunteers_only"])
        fields["points_per_hour"] = fields["points_per_hour"] or 0
        try:
            activity = services.edit_activity(
                actor=user,
                activity=selectors.staff_activity(user, pk),
                version=data["version"] or 0,
                skills=data["skills_wanted"],
                **fields,
            )
        except StaleVersion:
            form.add_error(None, _("The activity was changed by someone else meanwhile. Reload it and edit again."))
            status = 409
        except InvalidTransition as exc:
            form.add_error(None, exc.detail)
            status = 409
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except (NotPermitted, OutOfScope):
            form.add_error("area", _("You cannot move activities to this place."))
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("volunteering:activity_detail", pk=activity.pk)
    if form.errors and status == 200:
        status = 400
    return render(
        request, "volunteering/console/activity_form.html", {"form": form, "activity": activity}, status=status
    )
