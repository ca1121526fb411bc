"""Signing up and showing up: a volunteer takes a place (confirmed while places remain, else on the
waiting list, decided under a lock on the activity row so that two last-place sign-ups cannot both
win); cancelling moves the first on the waiting list up in the same transaction. On the day the
volunteer checks in and out by scanning the activity's QR code, or the organiser does it for them
(and may sign someone up at the door)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.core.scoping import path_covers, require
from shuren.people.models import Person

from ..models import (
    ACTIVE_SIGNUP_STATUSES,
    Activity,
    ActivityStatus,
    CheckIn,
    CheckInMethod,
    ProfileStatus,
    SignUp,
    SignUpStatus,
    VolunteerProfile,
)
from .base import (
    CHECKOUT_GRACE,
    DOUBLE_SCAN,
    CheckInClosed,
    NotEligible,
    SignUpClosed,
    audit,
    checkin_window,
    closes_at,
    community_of,
    need_person,
    now,
    reaches,
)
from .messages import tell_promoted, tell_signed_up


def _locked(activity: Activity) -> Activity:
    """The activity row, locked until the transaction ends: sign-ups, cancellations and check-ins of
    one activity happen one after the other."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def places_left(activity: Activity) -> int:
    taken = activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
    return max(0, activity.capacity - taken)


def eligibility_problem(activity: Activity, person: Person | None) -> str:
    """Why ``person`` may not sign up for ``activity`` (empty when they may)."""
    if person is None:
        return _("Your account is not linked to a resident record; ask the community to link it.")
    if not path_covers(community_of(activity).path, person.community.path):
        return _("This activity is for volunteers of %(community)s.") % {"community": community_of(activity).name}
    profile = VolunteerProfile.objects.filter(person=person).first()
    if profile is not None and profile.status == ProfileStatus.SUSPENDED:
        return _("Your volunteer registration is suspended; please talk to the community.")
    if activity.approved_volunteers_only:
        if profile is None:
            return _("This activity is for registered volunteers: register first.")
        if profile.status == ProfileStatus.APPLIED:
            return _("Your registration is awaiting the community's approval.")
        if profile.status != ProfileStatus.APPROVED:
            return _("This activity is for approved volunteers.")
    return ""


def promote_waitlisted(activity: Activity) -> list[SignUp]:
    """Fill free places from the waiting list, first come first served. Call with the activity locked."""
    free = places_left(activity)
    if free <= 0:
        return []
    waiting = list(activity.signups.filter(status=SignUpStatus.WAITLISTED).order_by("queued_at", "pk")[:free])
    for signup in waiting:
        SignUp.objects.filter(pk=signup.pk).update(status=SignUpStatus.CONFIRMED)
        signup.status = SignUpStatus.CONFIRMED
        audit("promote", actor=None, obj=signup, activity=activity.pk, person=signup.person_id)
    tell_promoted(waiting, activity)
    return waiting


def _place(activity: Activity, person: Person, *, user: Any, recorded_by: Any = None, confirm: bool = False) -> SignUp:
    """Insert the sign-up (the activity is locked): confirmed while places remain, else waitlisted."""
    existing = activity.signups.filter(person=person, status__in=ACTIVE_SIGNUP_STATUSES).first()
    if existing is not None:
        return existing
    status = SignUpStatus.CONFIRMED if confirm or places_left(activity) > 0 else SignUpStatus.WAITLISTED
    at = now()
    try:
        with transaction.atomic():
            return SignUp.objects.create(
                activity=activity,
                person=person,
                user=user,
                status=status,
                queued_at=at,
                recorded_by=recorded_by,
            )
    except IntegrityError:  # only without the row lock (SQLite): the same person twice at once
        return activity.signups.get(person=person, status__in=ACTIVE_SIGNUP_STATUSES)


def sign_up(*, actor: User, activity: Activity) -> SignUp:
    """The actor takes a place on a published activity of their community before sign-up closes.
    Confirmed while places remain, otherwise on the waiting list; signing up twice returns the
    first sign-up."""
    if not reaches(actor, activity.scope):
        raise OutOfScope()
    person = need_person(actor)
    problem = eligibility_problem(activity, person)
    if problem:
        raise NotEligible(problem)
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status != ActivityStatus.PUBLISHED or now() >= closes_at(activity):
            raise SignUpClosed()
        signup = _place(activity, person, user=actor)
        audit("sign_up", actor=actor, obj=signup, activity=activity.pk, status=signup.status)
        tell_signed_up(signup, activity)
    return signup


def _release(actor: User, signup: SignUp, status: str) -> tuple[SignUp, list[SignUp]]:
    activity = _locked(signup.activity)
    fresh = SignUp.objects.select_for_update().get(pk=signup.pk)
    if fresh.status not in ACTIVE_SIGNUP_STATUSES:
        raise InvalidTransition(_("This sign-up is no longer active."))
    if CheckIn.objects.filter(signup=fresh).exists():
        raise InvalidTransition(_("The volunteer has already checked in."))
    was_confirmed = fresh.status == SignUpStatus.CONFIRMED
    at = now()
    SignUp.objects.filter(pk=fresh.pk).update(status=status, cancelled_at=at)
    fresh.status, fresh.cancelled_at = status, at
    promoted: list[SignUp] = []
    if was_confirmed and activity.status == ActivityStatus.PUBLISHED and at < activity.ends_at:
        promoted = promote_waitlisted(activity)
    return fresh, promoted


def cancel_signup(*, actor: User, signup: SignUp) -> SignUp:
    """The volunteer gives their place back before the activity starts; the first on the waiting
    list moves up in the same transaction."""
    person = need_person(actor)
    if signup.person_id != person.pk:
        raise OutOfScope()
    with transaction.atomic():
        if now() >= signup.activity.starts_at and signup.activity.status == ActivityStatus.PUBLISHED:
            raise InvalidTransition(_("The activity has started; please tell the organiser instead."))
        signup, promoted = _release(actor, signup, SignUpStatus.CANCELLED)
        audit("cancel_signup", actor=actor, obj=signup, promoted=",".join(str(s.pk) for s in promoted))
    return signup


def withdraw_signup(*, actor: User, signup: SignUp) -> SignUp:
    """The organiser takes a volunteer off the activity (before they checked in)."""
    require(actor, "volunteering.manage", signup.activity)
    with transaction.atomic():
        signup, promoted = _release(actor, signup, SignUpStatus.WITHDRAWN)
        audit("withdraw_signup", actor=actor, obj=signup, promoted=",".join(str(s.pk) for s in promoted))
    return signup


def sign_up_at_door(*, actor: User, activity: Activity, person: Person, check_in_now: bool = True) -> SignUp:
    """The organiser signs a resident of the community up on the day (their place is confirmed even
    when the activity is full: the organiser decides at the door) and, by default, checks them in."""
    require(actor, "volunteering.manage", activity)
    problem = eligibility_problem(activity, person)
    if problem:
        raise NotEligible(problem)
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status != ActivityStatus.PUBLISHED:
            raise SignUpClosed()
        signup = _place(activity, person, user=person.user, recorded_by=actor, confirm=True)
        if signup.status == SignUpStatus.WAITLISTED:
            SignUp.objects.filter(pk=signup.pk).update(status=SignUpStatus.CONFIRMED, recorded_by=actor)
            signup.status = SignUpStatus.CONFIRMED
        audit("sign_up_at_door", actor=actor, obj=signup, activity=activity.pk)
        if check_in_now and not CheckIn.objects.filter(signup=signup).exists():
            _check_in(signup, activity, method=CheckInMethod.ORGANISER, recorded_by=actor)
    return signup


# --- check-in and check-out ----------------------------------------------------------------------


def _check_in(signup: SignUp, activity: Activity, *, method: str, recorded_by: Any = None) -> CheckIn:
    opens, ends = checkin_window(activity)
    at = now()
    if not opens <= at <= ends:
        raise CheckInClosed(
            _("Check-in is open from %(opens)s until the end of the activity.")
            % {"opens": _local(opens).strftime("%Y-%m-%d %H:%M")}
        )
    if signup.status == SignUpStatus.WAITLISTED:
        if method != CheckInMethod.ORGANISER:
            raise NotEligible(_("You are on the waiting list; please ask the organiser."))
        SignUp.objects.filter(pk=signup.pk).update(status=SignUpStatus.CONFIRMED)
        signup.status = SignUpStatus.CONFIRMED
    checkin = CheckIn.objects.create(signup=signup, checked_in_at=at, checked_in_by=method, recorded_by=recorded_by)
    audit("check_in", actor=recorded_by, obj=signup, method=method)
    return checkin


def _check_out(checkin: CheckIn, activity: Activity, *, method: str, recorded_by: Any = None) -> CheckIn:
    at = now()
    if method == CheckInMethod.QR and at > activity.ends_at + CHECKOUT_GRACE:
        raise CheckInClosed(_("Check-out by QR code has closed; the organiser will record your time."))
    CheckIn.objects.filter(pk=checkin.pk).update(checked_out_at=at, checked_out_by=method)
    checkin.checked_out_at, checkin.checked_out_by = at, method
    audit("check_out", actor=recorded_by, obj=checkin.signup, method=method)
    return checkin


def _local(value: Any) -> Any:
    from django.utils import timezone

    return timezone.localtime(value)


def _active_signup_locked(signup: SignUp) -> SignUp:
    fresh = SignUp.objects.select_for_update(of=("self",)).select_related("activity").get(pk=signup.pk)
    if fresh.status not in ACTIVE_SIGNUP_STATUSES:
        raise InvalidTransition(_("This sign-up is no longer active."))
    return fresh


@dataclass
class Scan:
    """What one scan of the QR code did: ``checked_in``, ``checked_out``, ``already_in`` (a second
    scan right after the first) or ``already_out``."""

    signup: SignUp
    checkin: CheckIn
    outcome: str


def activity_for_token(user: Any, token: str) -> Activity:
    """The activity whose QR code carries ``token``, if it is one of the user's community; OutOfScope
    otherwise (an unknown token, a draft, another community)."""
    activity = (
        Activity.objects.filter(checkin_token=token).select_related("area", "area__parent").first() if token else None
    )
    if activity is None or activity.status == ActivityStatus.DRAFT or not reaches(user, activity.scope):
        raise OutOfScope()
    return activity


def check_in_with_token(*, actor: User, token: str) -> Scan:
    """What scanning the activity's QR code does for a signed-in volunteer with a place: the first
    scan checks in (from 30 minutes before the start until the end), the next checks out."""
    activity = activity_for_token(actor, token)
    person = need_person(actor)
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status != ActivityStatus.PUBLISHED:
            raise CheckInClosed(_("This activity is no longer open for check-in."))
        signup = (
            activity.signups.select_for_update(of=("self",))
            .filter(person=person, status__in=ACTIVE_SIGNUP_STATUSES)
            .select_related("activity")
            .first()
        )
        if signup is None:
            raise NotEligible(_("You have not signed up for this activity; please ask the organiser."))
        checkin = CheckIn.objects.filter(signup=signup).first()
        if checkin is None:
            return Scan(signup, _check_in(signup, activity, method=CheckInMethod.QR, recorded_by=actor), "checked_in")
        if checkin.checked_out_at is not None:
            return Scan(signup, checkin, "already_out")
        if now() - checkin.checked_in_at < DOUBLE_SCAN:
            return Scan(signup, checkin, "already_in")
        return Scan(signup, _check_out(checkin, activity, method=CheckInMethod.QR, recorded_by=actor), "checked_out")


def check_in(*, actor: User, signup: SignUp) -> CheckIn:
    """The organiser checks a signed-up volunteer in (a waitlisted one who came gets the place)."""
    require(actor, "volunteering.manage", signup.activity)
    with transaction.atomic():
        activity = _locked(signup.activity)
        if activity.status != ActivityStatus.PUBLISHED:
            raise CheckInClosed(_("This activity is no longer open for check-in."))
        signup = _active_signup_locked(signup)
        existing = CheckIn.objects.filter(signup=signup).first()
        if existing is not None:
            return existing
        return _check_in(signup, activity, method=CheckInMethod.ORGANISER, recorded_by=actor)


def check_out(*, actor: User, signup: SignUp) -> CheckIn:
    """The organiser checks a volunteer out (also after the activity is finished)."""
    require(actor, "volunteering.manage", signup.activity)
    with transaction.atomic():
        activity = _locked(signup.activity)
        if activity.status not in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED):
            raise CheckInClosed(_("This activity is no longer open for check-in."))
        signup = _active_signup_locked(signup)
        checkin = CheckIn.objects.filter(signup=signup).first()
        if checkin is None:
            raise InvalidTransition(_("The volunteer has not checked in."))
        if checkin.checked_out_at is not None:
            return checkin
        return _check_out(checkin, activity, method=CheckInMethod.ORGANISER, recorded_by=actor)
