"""Publishing notices: the audience fixed, the households and readers recorded, the messages queued
in the outbox (the residents' inboxes and the stairwell groups' robots) in the same transaction;
scheduled notices released by the task worker; ending and withdrawing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.errors import StaleVersion
from shuren.core.redaction import redact_text
from shuren.notifications.services import GroupAddress, cancel, notify
from shuren.people.models import Person
from shuren.places.models import AreaKind, Building

from .. import audience, selectors, workflow
from ..models import Notice, NoticeHousehold, NoticeReader, NoticeStatus
from .base import audit, required_text

PUBLISHED_KIND = "notices.published"
URGENT_KIND = "notices.urgent"
CHUNK = 2000


def event_key(notice: Notice) -> str:
    return f"notice:{notice.pk}:published"


def publish_notice(*, actor: User, notice: Notice, version: int) -> Notice:
    """Publish a draft now, or schedule it when its publish time is still ahead."""
    now = timezone.now()
    later = notice.publish_at is not None and notice.publish_at > now
    action = "schedule" if later else "publish"
    workflow.require(notice, action, actor=actor)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        _check_version(locked, version)
        workflow.require(locked, action, actor=actor)
        if later:
            locked.status = NoticeStatus.SCHEDULED
            locked.published_by = actor
            locked.version += 1
            locked.save(update_fields=["status", "published_by", "version", "updated_at"])
            audit("schedule", actor=actor, notice=locked, at=locked.publish_at)
            when = locked.publish_at
            assert when is not None
            transaction.on_commit(lambda: _schedule_release(when))
        else:
            _go_out(locked, by=actor, at=now)
            audit("publish", actor=actor, notice=locked, households=locked.households)
    return locked


def unschedule_notice(*, actor: User, notice: Notice, version: int) -> Notice:
    workflow.require(notice, "unschedule", actor=actor)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        _check_version(locked, version)
        locked.status = workflow.require(locked, "unschedule", actor=actor)
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        audit("unschedule", actor=actor, notice=locked)
    return locked


def release_due(at: dt.datetime | None = None) -> int:
    """Publish every scheduled notice whose time has come (the task worker's step); returns how many."""
    at = at or timezone.now()
    released = 0
    for pk in Notice.objects.filter(status=NoticeStatus.SCHEDULED, publish_at__lte=at).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Notice.objects.select_for_update().filter(pk=pk, status=NoticeStatus.SCHEDULED).first()
            if locked is None:  # another worker released it
                continue
            workflow.require(locked, "release", actor=None)
            _go_out(locked, by=locked.published_by or locked.author, at=at)
            audit("release", actor=None, notice=locked, households=locked.households)
            released += 1
    return released


def end_due(at: dt.datetime | None = None) -> int:
    """End the published notices whose end date has passed."""
    at = at or timezone.now()
    ended = 0
    for pk in Notice.objects.filter(status=NoticeStatus.PUBLISHED, ends_at__lte=at).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Notice.objects.select_for_update().filter(pk=pk, status=NoticeStatus.PUBLISHED).first()
            if locked is None:
                continue
            locked.status, locked.ended_at = NoticeStatus.ENDED, at
            locked.version += 1
            locked.save(update_fields=["status", "ended_at", "version", "updated_at"])
            audit("end", actor=None, notice=locked)
            ended += 1
    return ended


def end_notice(*, actor: User, notice: Notice, version: int) -> Notice:
    workflow.require(notice, "end", actor=actor)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        _check_version(locked, version)
        locked.status = workflow.require(locked, "end", actor=actor)
        locked.ended_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "ended_at", "version", "updated_at"])
        audit("end", actor=actor, notice=locked)
    return locked


def withdraw_notice(*, actor: User, notice: Notice, version: int, reason: str) -> Notice:
    """Take a notice back with a reason: it leaves the residents' pages and the public page, and
    the messages not yet delivered are cancelled."""
    reason = required_text(reason, "reason", _("Say why the notice is withdrawn."), limit=200)
    workflow.require(notice, "withdraw", actor=actor)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        _check_version(locked, version)
        locked.status = workflow.require(locked, "withdraw", actor=actor)
        locked.withdrawn_at, locked.withdrawn_reason = timezone.now(), reason
        locked.version += 1
        locked.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "version", "updated_at"])
        cancelled = cancel(event_key=event_key(locked))
        audit("withdraw", actor=actor, notice=locked, reason=reason, cancelled=cancelled)
    return locked


# --- going out --------------------------------------------------------------------------------------


def _check_version(notice: Notice, version: int) -> None:
    if notice.version != version:
        raise StaleVersion()


def _schedule_release(when: dt.datetime) -> None:
    from ..tasks import release_task

    release_task.using(run_after=when).enqueue()


def _go_out(notice: Notice, *, by: User, at: dt.datetime) -> None:
    """Inside the caller's transaction: fix the audience, record its households and readers, and
    queue the messages."""
    members = audience.members(notice)
    households: dict[int, NoticeHousehold] = {}
    for member in members:
        if member.dwelling_id not in households:
            households[member.dwelling_id] = NoticeHousehold(
                notice=notice, dwelling_id=member.dwelling_id, building_id=member.building_id, scope=member.scope
            )
    NoticeHousehold.objects.bulk_create(households.values(), batch_size=CHUNK)
    ids = dict(NoticeHousehold.objects.filter(notice=notice).values_list("dwelling_id", "pk"))
    readers = [
        NoticeReader(notice=notice, household_id=ids[m.dwelling_id], person_id=m.person_id, user_id=m.user_id)
        for m in members
        if m.user_id is not None
    ]
    NoticeReader.objects.bulk_create(readers, batch_size=CHUNK, ignore_conflicts=True)
    names = _names(notice, members)
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at, notice.published_by = at, by
    notice.households = len(households)
    if notice.is_public:
        notice.public_title = redact_text(notice.title, names=names)[:200]
        notice.public_body = redact_text(notice.body, names=names)
    notice.version += 1
    notice.save(
        update_fields=[
            "status",
            "published_at",
            "published_by",
            "households",
            "public_title",
            "public_body",
            "version",
            "updated_at",
        ]
    )
    _send(notice, members, names)


def _names(notice: Notice, members: list[audience.Member]) -> list[str]:
    """Names that must not leave in a group message or on the public page: everyone in the
    audience, and the author and publisher as the registry knows them."""
    ids = [pk for pk in (notice.author_id, notice.published_by_id) if pk is not None]
    authors = Person.objects.filter(user_id__in=ids)
    return sorted({m.name for m in members} | set(authors.values_list("name", flat=True)))


def _send(notice: Notice, members: list[audience.Member], names: list[str]) -> None:
    kind = URGENT_KIND if notice.urgent else PUBLISHED_KIND
    link = reverse("notices_portal:detail", args=[notice.pk])
    users = User.objects.filter(pk__in={m.user_id for m in members if m.user_id is not None}, is_active=True)
    subject = _urgent_title(notice)
    notify(
        kind=kind,
        event_key=event_key(notice),
        recipients=users.iterator(chunk_size=CHUNK),
        subject=subject,
        text=notice.body,
        link=link,
        urgent=notice.urgent,
    )
    buildings = list(Building.objects.filter(pk__in={m.building_id for m in members}))
    groups = [GroupAddress("wecom", hook.address) for hook in selectors.webhooks_for(buildings)]
    if groups:
        # A group is seen by all its neighbours: nothing personal (the audience's names, phones,
        # door numbers… become placeholders), and the wording stays inert (the channel escapes it).
        if notice.is_public:  # neighbours without an account can open the public page
            community = notice.area if notice.area.kind == AreaKind.COMMUNITY else notice.area.parent
            assert community is not None
            link = reverse("notices_public:detail", args=[community.pk, notice.pk])
        notify(
            kind=kind,
            event_key=event_key(notice),
            recipients=groups,
            subject=_group_text(subject, names),
            text=_group_text(notice.body, names),
            link=link,
            urgent=notice.urgent,
            channels=(),
        )


def _group_text(text: str, names: list[str]) -> str:
    return redact_text(text, names=names)


def _urgent_title(notice: Notice) -> str:
    return _("[Urgent] %(title)s") % {"title": notice.title} if notice.urgent else notice.title
