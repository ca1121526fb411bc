"""Every write to a residents' convention.

Staff (conventions.manage) draft a convention for a place; each change is a new version that starts
from the text in force. A version is drafted, opened for discussion (residents of the place comment),
and then either adopted — by a meeting's resolution or an owners' ballot, which call
``adopt_version`` — or not adopted. Adopting a version supersedes the one in force; the database
holds at most one adopted version per convention (a partial unique constraint).

Version states: draft → in_discussion → adopted → superseded; draft / in_discussion → rejected.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, has_action
from shuren.core.validators import required_text
from shuren.people.residency import lives_in, person_of, place_covers
from shuren.places.models import Area, Building, Estate, Unit

from .models import (
    AdoptedVia,
    Convention,
    ConventionComment,
    ConventionStatus,
    ConventionVersion,
    VersionStatus,
)

V = VersionStatus
UNDECIDED = frozenset({V.DRAFT, V.IN_DISCUSSION})


def _now() -> dt.datetime:
    return timezone.now()


def _require_manage(actor: Any, convention: Convention) -> None:
    if can(actor, "conventions.manage", convention):
        return
    if can(actor, "conventions.view", convention):
        raise NotPermitted()
    raise OutOfScope()


def _bump(convention: Convention, version: int | None, **fields: Any) -> None:
    """Change the convention only from the version the writer read (the current one when not given)."""
    update_versioned(Convention, pk=convention.pk, version=convention.version if version is None else version, **fields)
    convention.refresh_from_db()


def _locked_version(version: ConventionVersion) -> ConventionVersion:
    return ConventionVersion.objects.select_for_update().select_related("convention").get(pk=version.pk)


# --- staff: drafting --------------------------------------------------------------------------------


def create_convention(
    actor: Any,
    *,
    title: str,
    text: str,
    area: Area,
    estate: Estate | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
    change_summary: str = "",
) -> Convention:
    """A new convention for a place, with its first version as a draft."""
    title = required_text(title, "title", _("Give the convention a title."), limit=100)
    text = required_text(text, "text", _("Write the text of the convention."), limit=20000)
    convention = Convention(title=title, area=area, estate=estate, building=building, unit=unit, created_by=actor)
    convention.clean_place()
    convention.scope = convention.placed_scope()
    _require_manage(actor, convention)
    with transaction.atomic():
        convention.save()
        ConventionVersion.objects.create(
            convention=convention,
            number=1,
            text=text,
            change_summary=(change_summary or "").strip()[:300] or _("First version"),
            drafted_by=actor,
        )
        record_event("conventions.create", actor=actor, obj=convention, detail={"title": title})
    return convention


def start_version(actor: Any, convention: Convention, *, change_summary: str) -> ConventionVersion:
    """A new draft version, starting from the text in force (or the latest version's text when none
    is in force yet). Only one version may be undecided at a time."""
    _require_manage(actor, convention)
    if convention.status == ConventionStatus.REPEALED:
        raise InvalidTransition(_("The convention is repealed."))
    change_summary = required_text(change_summary, "change_summary", _("Say what the new version changes."), limit=300)
    with transaction.atomic():
        locked = Convention.objects.select_for_update().get(pk=convention.pk)
        if locked.versions.filter(status__in=UNDECIDED).exists():
            raise InvalidTransition(_("Decide on the open draft before starting another version."))
        base = locked.current_version or locked.versions.order_by("-number").first()
        number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = ConventionVersion.objects.create(
            convention=locked,
            number=number,
            text=base.text if base else "",
            change_summary=change_summary,
            drafted_by=actor,
        )
        Convention.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        record_event("conventions.version_start", actor=actor, obj=locked, detail={"number": number})
    return version


def edit_draft(actor: Any, version: ConventionVersion, *, text: str, change_summary: str) -> ConventionVersion:
    """Change a draft's text; a version in discussion is frozen so everyone comments on the same text."""
    _require_manage(actor, version.convention)
    text = required_text(text, "text", _("Write the text of the convention."), limit=20000)
    with transaction.atomic():
        locked = _locked_version(version)
        if locked.status != V.DRAFT:
            raise InvalidTransition(_("Only a draft can be edited; start a new version instead."))
        locked.text = text
        locked.change_summary = (change_summary or "").strip()[:300]
        locked.save(update_fields=["text", "change_summary", "updated_at"])
        record_event("conventions.draft_edit", actor=actor, obj=locked.convention, detail={"number": locked.number})
    return locked


def open_discussion(actor: Any, version: ConventionVersion) -> ConventionVersion:
    """Put a draft before the residents of the place for comment."""
    _require_manage(actor, version.convention)
    with transaction.atomic():
        locked = _locked_version(version)
        if locked.status != V.DRAFT:
            raise InvalidTransition(_("Only a draft can be opened for discussion."))
        locked.status = V.IN_DISCUSSION
        locked.discussion_opened_at = _now()
        locked.save(update_fields=["status", "discussion_opened_at", "updated_at"])
        record_event(
            "conventions.open_discussion", actor=actor, obj=locked.convention, detail={"number": locked.number}
        )
    return locked


def reject_version(actor: Any, version: ConventionVersion, *, reason: str) -> ConventionVersion:
    """The version is not adopted (the meeting voted it down, or the draft is abandoned)."""
    _require_manage(actor, version.convention)
    reason = required_text(reason, "reason", _("Say why the version is not adopted."), limit=300)
    with transaction.atomic():
        locked = _locked_version(version)
        if locked.status not in UNDECIDED:
            raise InvalidTransition(_("This version has been decided already."))
        locked.status = V.REJECTED
        locked.rejection_reason = reason
        locked.decided_at = _now()
        locked.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
        record_event(
            "conventions.reject", actor=actor, obj=locked.convention, reason=reason, detail={"number": locked.number}
        )
    return locked


# --- adoption (called by meetings and ballots) ------------------------------------------------------


def adopt_version(
    actor: Any,
    version: ConventionVersion,
    *,
    via: str,
    reference: str,
    adopted_on: dt.date,
    source: Any = None,
) -> ConventionVersion:
    """Adopt ``version``: it comes into force and is published; the version in force until now is
    superseded; the convention is in force.

    Called by the meetings app when a resolution linked to the version carries, and by the ballots
    app when a matter linked to it passes. Those apps have authorised the act, so the caller's
    conventions.manage is not checked. Refused: a version already decided, or one whose convention
    lies outside the deciding body's place — ``source`` (the meeting or the ballot) when given,
    otherwise the places where ``actor`` may manage meetings (or ballots)."""
    if via not in AdoptedVia.values:
        raise ValidationError({"via": [_("A convention is adopted by a meeting or an owners' ballot.")]})
    reference = required_text(reference, "reference", _("Name the resolution or ballot that adopted it."), limit=200)
    if not isinstance(adopted_on, dt.date):
        raise ValidationError({"adopted_on": [_("Give the date of adoption.")]})
    convention = version.convention
    if source is not None:
        if not place_covers(source, convention):
            raise ValidationError(_("This convention belongs to another place than the meeting or ballot."))
    elif not can(actor, "meetings.manage" if via == AdoptedVia.MEETING else "ballots.manage", convention):
        raise ValidationError(_("This convention belongs to another place than the meeting or ballot."))
    now = _now()
    with transaction.atomic():
        locked_convention = Convention.objects.select_for_update().get(pk=convention.pk)
        locked = _locked_version(version)
        if locked.status not in UNDECIDED:
            raise InvalidTransition(
                _("Version %(number)d has been decided already (%(status)s).")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        if locked_convention.status == ConventionStatus.REPEALED:
            raise InvalidTransition(_("The convention is repealed."))
        previous = locked_convention.versions.filter(status=V.ADOPTED).exclude(pk=locked.pk)
        superseded = list(previous.values_list("number", flat=True))
        # First the old one steps down: the database allows one adopted version at a time.
        previous.update(status=V.SUPERSEDED, updated_at=now)
        locked.status = V.ADOPTED
        locked.adopted_via = via
        locked.adopted_reference = reference
        locked.adopted_on = adopted_on
        locked.published_at = now
        locked.decided_at = now
        locked.save(
            update_fields=[
                "status",
                "adopted_via",
                "adopted_reference",
                "adopted_on",
                "published_at",
                "decided_at",
                "updated_at",
            ]
        )
        Convention.objects.filter(pk=locked_convention.pk).update(
            status=ConventionStatus.IN_FORCE, version=F("version") + 1, updated_at=now
        )
        record_event(
            "conventions.adopt",
            actor=actor,
            obj=locked_convention,
            detail={"number": locked.number, "via": via, "reference": reference, "superseded": superseded},
        )
    locked.convention.refresh_from_db()
    return locked


def repeal_convention(
    actor: Any, convention: Convention, *, reason: str, repealed_on: dt.date | None = None, version: int | None = None
) -> Convention:
    """The convention no longer applies; its history stays readable."""
    _require_manage(actor, convention)
    reason = required_text(
        reason, "reason", _("Say why (and by which decision) the convention is repealed."), limit=300
    )
    if convention.status != ConventionStatus.IN_FORCE:
        raise InvalidTransition(_("Only a convention in force can be repealed."))
    with transaction.atomic():
        now = _now()
        convention.versions.filter(status=V.ADOPTED).update(status=V.SUPERSEDED, updated_at=now)
        convention.versions.filter(status__in=UNDECIDED).update(
            status=V.REJECTED, rejection_reason=_("The convention was repealed."), decided_at=now, updated_at=now
        )
        _bump(
            convention,
            version,
            status=ConventionStatus.REPEALED,
            repealed_on=repealed_on or timezone.localdate(),
            repeal_reason=reason,
            updated_at=now,
        )
        record_event("conventions.repeal", actor=actor, obj=convention, reason=reason)
    return convention


# --- discussion ---------------------------------------------------------------------------------


def may_comment(user: Any, version: ConventionVersion) -> bool:
    """Residents of the convention's place (conventions.comment), and staff managing it."""
    if version.status != V.IN_DISCUSSION:
        return False
    convention = version.convention
    if can(user, "conventions.manage", convention):
        return True
    return has_action(user, "conventions.comment") and lives_in(person_of(user), convention)


def add_comment(actor: Any, version: ConventionVersion, *, text: str) -> ConventionComment:
    convention = version.convention
    if version.status != V.IN_DISCUSSION:
        raise InvalidTransition(_("Comments are taken while a version is in discussion."))
    if not may_comment(actor, version):
        if can(actor, "conventions.view", convention):
            raise NotPermitted(_("Only residents of %(place)s can comment.") % {"place": convention.place_label})
        raise OutOfScope()
    text = required_text(text, "text", _("Write your comment."), limit=2000)
    with transaction.atomic():
        comment = ConventionComment.objects.create(version=version, author=actor, text=text)
        record_event("conventions.comment", actor=actor, obj=convention, detail={"comment": comment.pk})
    return comment


def hide_comment(actor: Any, comment: ConventionComment, *, reason: str) -> ConventionComment:
    """Staff hide an abusive or off-topic comment; residents then see that it was hidden and why."""
    _require_manage(actor, comment.version.convention)
    reason = required_text(reason, "hidden_reason", _("Say why the comment is hidden."), limit=200)
    with transaction.atomic():
        comment.hidden_reason = reason
        comment.hidden_by = actor
        comment.hidden_at = _now()
        comment.save(update_fields=["hidden_reason", "hidden_by", "hidden_at"])
        record_event(
            "conventions.hide_comment",
            actor=actor,
            obj=comment.version.convention,
            reason=reason,
            detail={"comment": comment.pk},
        )
    return comment
