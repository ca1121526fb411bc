"""Points for what people do: confirmed volunteer service, verified governance-list items, meeting
attendance and closed appeals. Each source event has its own key, so the signal and the sweep that
replays missed signals may both try: the event moves points once.

Source keys: ``volunteering.record:<pk>``, ``governance.verified:<item pk>:<claim pk>``,
``meetings.attendance:<pk>``, ``appeals.closed:<pk>``.

Rates: service earns ``(minutes × rate + 30) // 60`` points (half up), where the rate is the
activity's own points per hour when set, else the rule's; a list item's own points, when set,
override the rule. A rule of 0 points credits nothing. Points come from the issued book of the
holder's community and carry an expiry date when the community's policy sets one. A correction
that removes hours debits the volunteer, at most their balance (the shortfall is in the memo).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User

from ..models import AccountKind, EventKind, LedgerTransaction, Rule, TransactionKind
from .ledger import Line, book, organization_account, person_account, post
from .rules import policy_for, rule_in_force

logger = logging.getLogger(__name__)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_party_member(person: Any) -> bool:
    from shuren.people.models import PartyMembership

    return person is not None and PartyMembership.objects.filter(person=person).exists()


def _credit(
    *,
    holder_account: Any,
    points: int,
    source_key: str,
    memo: str,
    occurred_on: dt.date,
    rule: Rule | None,
    actor: User | None = None,
) -> LedgerTransaction | None:
    """Credit ``points`` (> 0) from the holder's community's issued book."""
    if points <= 0:
        return None
    community = holder_account.community
    months = policy_for(community).expiry_months
    expires_on = add_months(occurred_on, months) if months else None
    txn, _created = post(
        kind=TransactionKind.CREDIT,
        source_key=source_key,
        lines=[Line(holder_account, points, expires_on), Line(book(community, AccountKind.ISSUED), -points)],
        memo=memo,
        occurred_on=occurred_on,
        rule=rule,
        actor=actor,
        scope=holder_account.scope,
    )
    return txn


# --- volunteer service ---------------------------------------------------------------------------


def service_points(record: Any) -> tuple[int, Rule | None]:
    """The points a service record moves (negative for a correction that removes hours)."""
    person = record.person
    activity = record.activity or (record.corrects.activity if record.corrects_id else None)
    rule = rule_in_force(
        EventKind.SERVICE_HOUR, person.community, record.served_on, party_member=is_party_member(person)
    )
    rate = activity.points_per_hour if activity is not None and activity.points_per_hour > 0 else None
    if rate is None:
        rate = rule.points if rule is not None else 0
    magnitude = (abs(record.minutes) * rate + 30) // 60
    return (magnitude if record.minutes > 0 else -magnitude), rule


def credit_service_record(record: Any) -> LedgerTransaction | None:
    """Credit (or, for a negative correction, debit) the volunteer for one service record, once."""
    key = f"volunteering.record:{record.pk}"
    found = LedgerTransaction.objects.filter(source_key=key).first()
    if found is not None:
        return found
    points, rule = service_points(record)
    account = person_account(record.person)
    title = record.activity.title if record.activity_id else (record.description or _("volunteer service"))
    hours = f"{abs(record.minutes) / 60:.2f}".rstrip("0").rstrip(".")
    if points > 0:
        memo = (
            _("Volunteer service: %(title)s, %(hours)s h") % {"title": title, "hours": hours}
            if not record.corrects_id
            else _("Correction of volunteer service: %(title)s, +%(hours)s h") % {"title": title, "hours": hours}
        )
        return _credit(
            holder_account=account,
            points=points,
            source_key=key,
            memo=memo,
            occurred_on=record.served_on,
            rule=rule,
        )
    if points == 0:
        return None
    return _debit_correction(account, -points, key, record, title, hours, rule)


def _debit_correction(
    account: Any, wanted: int, key: str, record: Any, title: str, hours: str, rule: Rule | None
) -> LedgerTransaction:
    from django.db import transaction

    from ..models import Account

    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        taken = min(wanted, locked.balance)
        memo = _("Correction of volunteer service: %(title)s, −%(hours)s h") % {"title": title, "hours": hours}
        if taken < wanted:
            memo += " · " + _("%(short)d points could not be taken back (balance too low)") % {"short": wanted - taken}
        issued = book(account.community, AccountKind.ISSUED)
        txn, _created = post(
            kind=TransactionKind.CREDIT,
            source_key=key,
            lines=[Line(locked, -taken), Line(issued, taken)] if taken else [],
            memo=memo,
            occurred_on=record.served_on,
            rule=rule,
            scope=account.scope,
            allow_empty=True,
            audit_detail={"wanted": wanted, "taken": taken},
        )
    return txn


# --- governance list -----------------------------------------------------------------------------


def credit_verified_item(item: Any, claim: Any, points: int | None, *, on: dt.date | None = None) -> Any:
    """Credit the holder of a verified list item (a person or an organisation), once per claim."""
    key = f"governance.verified:{item.pk}:{claim.pk}"
    found = LedgerTransaction.objects.filter(source_key=key).first()
    if found is not None:
        return found
    person = claim.person if claim.person_id else None
    account = person_account(person) if person is not None else organization_account(claim.organization)
    on = on or (timezone.localdate(item.verified_at) if item.verified_at else timezone.localdate())
    rule = rule_in_force(EventKind.GOVERNANCE_ITEM, account.community, on, party_member=is_party_member(person))
    amount = points if points and points > 0 else (rule.points if rule else 0)
    return _credit(
        holder_account=account,
        points=amount,
        source_key=key,
        memo=_("Governance list: %(title)s") % {"title": item.title},
        occurred_on=on,
        rule=rule,
    )


# --- meetings and appeals ------------------------------------------------------------------------


def _by_rule(person: Any, event: str, on: dt.date, key: str, memo: str) -> LedgerTransaction | None:
    found = LedgerTransaction.objects.filter(source_key=key).first()
    if found is not None:
        return found
    rule = rule_in_force(event, person.community, on, party_member=is_party_member(person))
    if rule is None or rule.points <= 0:
        return None
    return _credit(
        holder_account=person_account(person), points=rule.points, source_key=key, memo=memo, occurred_on=on, rule=rule
    )


def attendee_of(attendance: Any) -> Any:
    if attendance.person_id:
        return attendance.person
    if attendance.user_id:
        from shuren.people.models import Person

        return Person.objects.filter(user_id=attendance.user_id).first()
    return None


def credit_attendance(attendance: Any) -> LedgerTransaction | None:
    person = attendee_of(attendance)
    if person is None:
        return None
    meeting = attendance.meeting
    return _by_rule(
        person,
        EventKind.MEETING_ATTENDANCE,
        timezone.localdate(meeting.starts_at),
        f"meetings.attendance:{attendance.pk}",
        _("Meeting: %(title)s") % {"title": meeting.title},
    )


def credit_closed_appeal(appeal: Any) -> LedgerTransaction | None:
    if appeal.reporter_person_id is None:
        return None
    on = timezone.localdate(appeal.closed_at) if appeal.closed_at else timezone.localdate()
    return _by_rule(
        appeal.reporter_person,
        EventKind.VALID_APPEAL,
        on,
        f"appeals.closed:{appeal.pk}",
        _("Appeal handled and closed: %(reference)s") % {"reference": appeal.reference},
    )


# --- the sweep -----------------------------------------------------------------------------------


def _posted(prefix: str) -> set[str]:
    return set(LedgerTransaction.objects.filter(source_key__startswith=prefix).values_list("source_key", flat=True))


def _safely(counts: dict[str, int], name: str, fn: Any, *args: Any) -> None:
    try:
        if fn(*args) is not None:
            counts[name] += 1
    except Exception:  # one bad event must not stop the others; it is logged and retried next time
        logger.exception("points sweep: %s failed for %r", name, args[:1])
        counts["failed"] += 1


def sweep() -> dict[str, int]:
    """Credit every eligible event not yet credited (the replay of missed signals)."""
    from shuren.appeals.models import Appeal
    from shuren.governance.models import ItemUpdate
    from shuren.meetings.models import Attendance
    from shuren.volunteering.models import ServiceRecord

    counts = {"service": 0, "governance": 0, "meetings": 0, "appeals": 0, "failed": 0}
    done = _posted("volunteering.record:")
    records = ServiceRecord.objects.select_related("person__community", "activity", "corrects__activity")
    for record in records.order_by("pk").iterator(chunk_size=500):
        if f"volunteering.record:{record.pk}" not in done:
            _safely(counts, "service", credit_service_record, record)
    done = _posted("governance.verified:")
    updates = ItemUpdate.objects.filter(kind="verified", claim__isnull=False).select_related(
        "item", "claim__person__community", "claim__organization__area"
    )
    for update in updates.order_by("pk").iterator(chunk_size=500):
        if f"governance.verified:{update.item_id}:{update.claim_id}" not in done:
            on = timezone.localdate(update.at)
            _safely(
                counts,
                "governance",
                lambda u, on: credit_verified_item(u.item, u.claim, u.points, on=on),
                update,
                on,
            )
    done = _posted("meetings.attendance:")
    attendances = Attendance.objects.filter(meeting__status__in=["held", "published"]).filter(
        person__isnull=False
    ) | Attendance.objects.filter(meeting__status__in=["held", "published"], user__person__isnull=False)
    for attendance in attendances.select_related("meeting", "person__community").order_by("pk").iterator(500):
        if f"meetings.attendance:{attendance.pk}" not in done:
            _safely(counts, "meetings", credit_attendance, attendance)
    done = _posted("appeals.closed:")
    appeals = Appeal.objects.filter(status="closed", reporter_person__isnull=False).select_related(
        "reporter_person__community"
    )
    for appeal in appeals.order_by("pk").iterator(chunk_size=500):
        if f"appeals.closed:{appeal.pk}" not in done:
            _safely(counts, "appeals", credit_closed_appeal, appeal)
    return counts
