"""The dispatching desk: accept, reject, dispatch, close, escalate, supervise, merge, notes, publication."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.core.scoping import path_covers
from shuren.core.validators import required_text
from shuren.core.workdays import WorkingCalendar
from shuren.orgs.models import Organization

from .. import workflow
from ..models import (
    OPEN_STATUSES,
    Appeal,
    EventKind,
    Status,
)
from .base import _apply, _desk_of, _event, _handlers_of, _now, status_label, tell_reporter, tell_staff, words


def accept_appeal(*, actor: User, appeal: Appeal, version: int, note: str = "") -> Appeal:
    """受理: the desk confirms the appeal is a matter for it and will be dispatched."""
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="accept",
            actor=actor,
            changes={"accepted_at": appeal.accepted_at or _now()},
            event_kind=EventKind.ACCEPT,
            note=note.strip(),
        )
        _progress(appeal, actor, lambda: _("Appeal %(ref)s was accepted.") % {"ref": appeal.reference})
    return appeal


def _progress(appeal: Appeal, actor: User, message: Callable[[], str]) -> None:
    """Tell the reporter that their appeal moved on (its new status is the SMS's parameter)."""
    tell_reporter(appeal, "progress", message, actor=actor, params=lambda: {"status": status_label(appeal)})


def reject_appeal(*, actor: User, appeal: Appeal, version: int, reason: str) -> Appeal:
    """不予受理: ends the appeal; the reporter sees the reason."""
    reason = required_text(reason, "reason", _("Give the reason the reporter will read."))
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="reject",
            actor=actor,
            changes={"closed_at": _now(), "resolution": reason},
            event_kind=EventKind.REJECT,
            note=reason,
        )
        # The appeals merged into this one share its outcome, as they would its resolution.
        for rejected in [appeal, *appeal.merged.filter(status=Status.MERGED).select_related("reporter")]:
            if rejected.pk != appeal.pk:
                Appeal.objects.filter(pk=rejected.pk).update(
                    status=Status.REJECTED, resolution=reason, closed_at=appeal.closed_at, version=F("version") + 1
                )
                _event(
                    rejected,
                    EventKind.REJECT,
                    actor=actor,
                    from_status=Status.MERGED,
                    to_status=Status.REJECTED,
                    note=reason,
                    via=appeal.pk,
                )
            tell_reporter(
                rejected,
                "rejected",
                words(
                    gettext_lazy("Appeal %(ref)s was not accepted: %(reason)s"), ref=rejected.reference, reason=reason
                ),
                actor=actor,
            )
    return appeal


def dispatch_appeal(
    *,
    actor: User,
    appeal: Appeal,
    version: int,
    organization: Organization,
    reason: str = "",
    share_contact: bool = False,
    note: str = "",
) -> Appeal:
    """派单: give the appeal to the organisation that must act and start its response clock.

    The dispatch rules suggest an organisation; choosing another one needs a reason, which the
    timeline keeps. The handler sees the reporter's contact only when ``share_contact`` is set.
    """
    from ..dispatching import suggest_organization

    if not organization_may_handle(organization, appeal):
        raise ValidationError({"organization": [_("Choose an organisation of this place or above it.")]})
    suggestion = suggest_organization(appeal)
    overridden = suggestion is not None and suggestion.pk != organization.pk
    if overridden and not reason.strip():
        raise ValidationError(
            {"reason": [_("The rules suggest %(org)s. Say why you choose another organisation.") % {"org": suggestion}]}
        )
    now = _now()
    due = WorkingCalendar().add_working_hours(now, appeal.category.response_hours)
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="dispatch",
            actor=actor,
            changes={
                "organization": organization,
                "accepted_at": appeal.accepted_at or now,
                "dispatched_at": now,
                "responded_at": None,
                "response_due_at": due,
                "responded_on_time": None,
                "contact_shared": share_contact,
            },
            event_kind=EventKind.DISPATCH,
            organization=organization,
            note=note.strip(),
            is_public=True,
            suggested=suggestion.pk if suggestion else None,
            override_reason=reason.strip() if overridden else "",
        )
        when = f"{timezone.localtime(due):%m-%d %H:%M}"
        tell_staff(
            _handlers_of(organization),
            appeal,
            "assigned",
            lambda: (
                _("New appeal %(ref)s (%(category)s), to be taken up by %(due)s.")
                % {"ref": appeal.reference, "category": appeal.category, "due": when}
            ),
            actor=actor,
            params=lambda: {"due": when},
        )
        _progress(
            appeal,
            actor,
            lambda: (
                _("Appeal %(ref)s was passed to %(org)s, who will handle it.")
                % {"ref": appeal.reference, "org": organization}
            ),
        )
        from ..tasks import schedule_deadline_reminders

        schedule_deadline_reminders(appeal)
    return appeal


def organization_may_handle(organization: Organization, appeal: Appeal) -> bool:
    """An organisation of the appeal's community (its property manager, its residents' committee)
    or above it (a subdistrict or district department) may be given the appeal."""
    community = workflow.community_of(appeal)
    return path_covers(organization.scope, appeal.scope) or path_covers(community.path, organization.scope)


def close_appeal(*, actor: User, appeal: Appeal, version: int, note: str = "") -> Appeal:
    """结案 without the reporter's feedback (no reporter to ask, or the feedback window passed)."""
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="close",
            actor=actor,
            changes={"closed_at": _now()},
            event_kind=EventKind.CLOSE,
            note=note.strip(),
        )
        _progress(appeal, actor, lambda: _("Appeal %(ref)s was closed.") % {"ref": appeal.reference})
    return appeal


def escalate_appeal(*, actor: User, appeal: Appeal, version: int, reason: str) -> Appeal:
    """上报: hand the appeal to the level above (grid → community → subdistrict → district)."""
    reason = required_text(reason, "reason", _("Say why the level above must take this up."))
    above = workflow.level_above(appeal.level)
    if above is None:
        raise InvalidTransition(_("There is no level above %(level)s.") % {"level": appeal.get_level_display()})
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="escalate",
            actor=actor,
            changes={"level": above},
            event_kind=EventKind.ESCALATE,
            note=reason,
            is_public=False,
            level=str(above),
        )
        tell_staff(
            _desk_of(appeal),
            appeal,
            "escalated",
            lambda: (
                _("Appeal %(ref)s was escalated to the %(level)s level: %(reason)s")
                % {"ref": appeal.reference, "level": appeal.get_level_display(), "reason": reason}
            ),
            actor=actor,
        )
        _progress(
            appeal,
            actor,
            lambda: (
                _("Appeal %(ref)s was passed to the %(level)s level, which will see to it.")
                % {"ref": appeal.reference, "level": appeal.get_level_display()}
            ),
        )
    return appeal


def supervise_appeal(*, actor: User, appeal: Appeal, version: int, on: bool, note: str = "") -> Appeal:
    """督办: mark (or unmark) an appeal for the leadership's attention; handlers are told."""
    if on:
        note = required_text(note, "note", _("Say what the supervision asks for."))
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="supervise",
            actor=actor,
            changes={"is_supervised": on},
            event_kind=EventKind.SUPERVISE if on else EventKind.UNSUPERVISE,
            note=note.strip(),
            is_public=False,
        )
        if on:
            tell_staff(
                _handlers_of(appeal.organization),
                appeal,
                "supervised",
                lambda: _("Appeal %(ref)s is under supervision: %(note)s") % {"ref": appeal.reference, "note": note},
                actor=actor,
            )
    return appeal


def merge_appeal(*, actor: User, appeal: Appeal, version: int, into: Appeal) -> Appeal:
    """合并: ``appeal`` repeats ``into``; it stops on its own and its reporter gets the outcome of
    ``into`` (its resolution, and the chance to rate it)."""
    # Only an open appeal: a finished one would never pass its outcome on to the merged reporter.
    if into.pk == appeal.pk or into.status not in OPEN_STATUSES:
        raise ValidationError({"into": [_("Choose another open appeal to merge into.")]})
    if not workflow.is_dispatcher(actor, into):
        raise OutOfScope()
    with transaction.atomic():
        moved = Appeal.objects.filter(duplicate_of=appeal).update(duplicate_of=into)
        appeal = _apply(
            appeal,
            version=version,
            action="merge",
            actor=actor,
            changes={"duplicate_of": into, "closed_at": None},
            event_kind=EventKind.MERGE,
            note=_("Merged into %(ref)s.") % {"ref": into.reference},
            into=into.pk,
        )
        _event(
            into,
            EventKind.MERGE,
            actor=actor,
            note=_("%(ref)s merged into this appeal.") % {"ref": appeal.reference},
            is_public=False,
            merged=appeal.pk,
            carried=moved,
        )
        tell_reporter(
            appeal,
            "merged",
            lambda: (
                _("Appeal %(ref)s is being handled together with %(into)s; you will get its outcome.")
                % {"ref": appeal.reference, "into": into.reference}
            ),
            actor=actor,
            params=lambda: {"into": into.reference},
        )
    return appeal


def add_note(*, actor: User, appeal: Appeal, version: int, note: str) -> Appeal:
    """An internal note on the timeline (not shown to the reporter)."""
    note = required_text(note, "note", _("Write the note."))
    with transaction.atomic():
        return _apply(
            appeal,
            version=version,
            action="note",
            actor=actor,
            changes={},
            event_kind=EventKind.NOTE,
            note=note,
            is_public=False,
        )
