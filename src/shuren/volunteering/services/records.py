"""Hours that count: the organiser confirms the minutes the check-in and check-out propose (or other
minutes, with the proposal kept beside them) and an immutable ServiceRecord is written; a mistake is
corrected by a new record carrying the signed difference. ``service_confirmed`` is sent after the
transaction commits, once per record."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import require
from shuren.core.validators import required_text

from ..models import Activity, ActivityStatus, CheckIn, ServiceRecord, SignUp, SignUpStatus
from ..signals import service_confirmed
from .base import MAX_MINUTES, audit, now

CONFIRMABLE = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED)


def proposed_minutes(signup: SignUp, *, at: dt.datetime | None = None) -> int | None:
    """Minutes served by the check-in and check-out, clipped to the activity's window. Without a
    check-out, the end of the activity counts once it is over; None while there is nothing to propose."""
    checkin = getattr(signup, "checkin", None) if _has_checkin(signup) else None
    if checkin is None:
        return None
    activity = signup.activity
    at = at or now()
    end = checkin.checked_out_at or (activity.ends_at if at >= activity.ends_at else None)
    if end is None:
        return None
    start = max(checkin.checked_in_at, activity.starts_at)
    end = min(end, activity.ends_at)
    return max(0, int((end - start).total_seconds() // 60))


def _has_checkin(signup: SignUp) -> bool:
    try:
        signup.checkin  # noqa: B018  (the reverse one-to-one raises when there is none)
    except CheckIn.DoesNotExist:
        return False
    return True


def _announce(record: ServiceRecord) -> None:
    transaction.on_commit(lambda: service_confirmed.send(sender=ServiceRecord, record=record))


def confirm_hours(*, actor: User, signup: SignUp, minutes: int | None = None, description: str = "") -> ServiceRecord:
    """Write the sign-up's service record: ``minutes`` as given, or (None) as the check-in proposes.

    One original record per sign-up, whatever the race: the sign-up row is locked and the database
    refuses a second original (``volunteering_record_one_per_signup``); confirming again returns the
    existing record and sends nothing. ``service_confirmed`` is sent once, after the commit. The
    returned record has ``created_now`` telling whether this call wrote it."""
    activity = signup.activity
    require(actor, "volunteering.manage", activity)
    if activity.status not in CONFIRMABLE:
        raise InvalidTransition(_("Hours are confirmed for published or finished activities."))
    with transaction.atomic():
        signup = SignUp.objects.select_for_update(of=("self",)).select_related("activity").get(pk=signup.pk)
        existing = ServiceRecord.objects.filter(signup=signup, corrects__isnull=True).first()
        if existing is not None:
            existing.created_now = False
            return existing
        if signup.status != SignUpStatus.CONFIRMED:
            raise InvalidTransition(_("Only volunteers with a confirmed place can have hours confirmed."))
        proposal = proposed_minutes(signup)
        if minutes is None:
            if not proposal:
                raise ValidationError(
                    {"minutes": [_("There is no check-in and check-out to go by: enter the minutes served.")]}
                )
            minutes = proposal
        if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
            raise ValidationError({"minutes": [_("Between 1 and 1440 minutes.")]})
        description = (description or "").strip()[:200] or activity.title[:200]
        try:
            with transaction.atomic():
                record = ServiceRecord.objects.create(
                    person_id=signup.person_id,
                    activity=activity,
                    signup=signup,
                    served_on=timezone.localtime(activity.starts_at).date(),
                    minutes=minutes,
                    proposed_minutes=proposal,
                    description=description,
                    confirmed_by=actor,
                    confirmed_at=now(),
                    scope=activity.scope,
                )
        except IntegrityError:  # without row locks (SQLite) another confirmation got there first
            existing = ServiceRecord.objects.get(signup=signup, corrects__isnull=True)
            existing.created_now = False
            return existing
        record.created_now = True
        audit("confirm_hours", actor=actor, obj=record, signup=signup.pk, minutes=minutes, proposed=proposal)
        _announce(record)
    return record


def confirmable_signups(activity: Any) -> list[SignUp]:
    """Confirmed sign-ups with a proposal of minutes (checked out, or checked in and the activity
    over) and no record yet."""
    signups = (
        activity.signups.filter(status=SignUpStatus.CONFIRMED, checkin__isnull=False, records__isnull=True)
        .select_related("checkin", "activity", "person")
        .order_by("queued_at", "pk")
    )
    return [s for s in signups if proposed_minutes(s)]


def confirm_all(*, actor: User, activity: Activity) -> list[ServiceRecord]:
    """Confirm the proposed minutes of every volunteer who can be confirmed; each in its own
    transaction (one refused sign-up does not hold the others back)."""
    require(actor, "volunteering.manage", activity)
    records = []
    for signup in confirmable_signups(activity):
        record = confirm_hours(actor=actor, signup=signup)
        if getattr(record, "created_now", False):
            records.append(record)
    return records


def total_minutes(original: ServiceRecord) -> int:
    """The original's minutes with every correction applied."""
    corrections = ServiceRecord.objects.filter(corrects=original).aggregate(total=Sum("minutes"))["total"] or 0
    return original.minutes + corrections


def correct_record(*, actor: User, record: ServiceRecord, minutes: int, reason: str) -> ServiceRecord:
    """Correct confirmed hours by a new record holding the signed difference (``minutes``) and the
    reason; the original is never changed. A correction of a correction corrects the original. The
    total may not go below zero."""
    require(actor, "volunteering.manage", record)
    reason = required_text(reason, "reason", _("Say why the hours are corrected."))
    original = record.corrects if record.corrects is not None else record
    if not isinstance(minutes, int) or minutes == 0 or abs(minutes) > MAX_MINUTES:
        raise ValidationError({"minutes": [_("Enter the difference in minutes, e.g. 30 or -30 (not 0).")]})
    with transaction.atomic():
        # The original's row lock serialises corrections (the trigger refuses only UPDATE/DELETE).
        original = ServiceRecord.objects.select_for_update().get(pk=original.pk)
        total = total_minutes(original)
        if total + minutes < 0:
            raise ValidationError(
                {
                    "minutes": [
                        _("The hours would fall below zero: at most %(n)d minutes can be taken off.") % {"n": total}
                    ]
                }
            )
        correction = ServiceRecord.objects.create(
            person_id=original.person_id,
            activity_id=original.activity_id,
            signup_id=original.signup_id,
            corrects=original,
            served_on=original.served_on,
            minutes=minutes,
            description=original.description,
            reason=reason[:200],
            confirmed_by=actor,
            confirmed_at=now(),
            scope=original.scope,
        )
        audit("correct_record", actor=actor, obj=correction, corrects=original.pk, minutes=minutes, reason=reason)
        _announce(correction)
    return correction


def to_hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def minutes_in_year(person: Any, year: int) -> int:
    return (
        ServiceRecord.objects.filter(person=person, served_on__year=year).aggregate(total=Sum("minutes"))["total"] or 0
    )


def hours_in_year(person: Any, year: int) -> Decimal:
    """The person's confirmed hours (corrections included) served in ``year``, to one decimal."""
    return to_hours(minutes_in_year(person, year))


def hours_overall(person: Any) -> Decimal:
    return to_hours(ServiceRecord.objects.filter(person=person).aggregate(total=Sum("minutes"))["total"])
