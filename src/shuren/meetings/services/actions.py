"""Action items: what the meeting decided someone must do, followed with progress updates until done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can
from shuren.core.validators import required_text

from .. import workflow
from ..models import ActionItem, ActionStatus, ActionUpdate, Resolution
from ..selectors import may_update, owner_label, owner_organizations, owner_users
from .base import event, now, require_manage

FINAL = {ActionStatus.DONE, ActionStatus.CANCELLED}


def add_action_item(
    *,
    actor: User,
    meeting: Any,
    title: str,
    due_on: dt.date,
    owner_user: Any = None,
    owner_organization: Any = None,
    owner_name: str = "",
    resolution: Resolution | None = None,
) -> ActionItem:
    """Record who must do what by when. The owner is a user (who then updates it), an organisation,
    or a name as written in the minutes."""
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.PROCEEDINGS, _("Recording an action item"))
    title = required_text(title, "title", _("Say what must be done."))
    owner_name = (owner_name or "").strip()
    if owner_user is None and owner_organization is None and not owner_name:
        raise ValidationError({"owner_user": [_("Say who is responsible.")]})
    if resolution is not None and resolution.meeting_id != meeting.pk:
        raise ValidationError({"resolution": [_("Choose a resolution of this meeting.")]})
    if owner_user is not None and not owner_users(actor, meeting).filter(pk=owner_user.pk).exists():
        raise OutOfScope()
    if owner_organization is not None:
        if not owner_organizations(actor, meeting).filter(pk=owner_organization.pk).exists():
            raise OutOfScope()
    with transaction.atomic():
        item = ActionItem.objects.create(
            meeting=meeting,
            resolution=resolution,
            title=title[:150],
            owner_user=owner_user,
            owner_organization=owner_organization,
            owner_name=owner_name[:60],
            due_on=due_on,
        )
        event(meeting, "action", actor=actor, text=f"{item.title} · {owner_label(item)} · {due_on:%Y-%m-%d}")
    return item


def update_action_item(
    *, actor: User, item: ActionItem, version: int, text: str, progress: int, status: str | None = None
) -> ActionItem:
    """A progress update by the owner or the meeting's staff. Done means 100 %; a done or cancelled
    item takes no further updates. Only staff cancel."""
    if not may_update(actor, item):
        if can(actor, "meetings.view", item):
            raise NotPermitted()
        raise OutOfScope()
    if item.status in FINAL:
        raise InvalidTransition(_("This action item is closed: %(status)s.") % {"status": item.get_status_display()})
    text = required_text(text, "text", _("Write what has been done."))
    if not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": [_("Progress is between 0 and 100 %.")]})
    status = status or (ActionStatus.IN_PROGRESS if progress else item.status)
    if status not in ActionStatus.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    if status == ActionStatus.CANCELLED and not can(actor, "meetings.manage", item):
        raise NotPermitted()
    if status == ActionStatus.DONE:
        progress = 100
    elif status == ActionStatus.OPEN and progress:
        status = ActionStatus.IN_PROGRESS
    at = now()
    with transaction.atomic():
        update_versioned(
            ActionItem,
            pk=item.pk,
            version=version,
            progress=progress,
            status=status,
            done_at=at if status == ActionStatus.DONE else None,
        )
        ActionUpdate.objects.create(action_item=item, text=text, progress=progress, status=status, actor=actor, at=at)
        event(
            item.meeting,
            "action_update",
            actor=actor,
            text=f"{item.title} · {progress}% · {ActionStatus(status).label} · {text}",
            action_item=item.pk,
        )
    item.refresh_from_db()
    return item
