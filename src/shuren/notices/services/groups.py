"""The stairwell groups' robots: staff paste a group robot's webhook for a building or a grid. The
address is checked (``notifications.wecom.validate_webhook_url``), stored encrypted, and recorded,
shown and logged only masked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.auditing import record_event
from shuren.core.errors import OutOfScope
from shuren.core.scoping import path_covers
from shuren.notifications.wecom import masked_webhook, validate_webhook_url
from shuren.places.models import Area, AreaKind, Building

from .. import selectors
from ..models import GroupWebhook


def save_webhook(
    *,
    actor: User,
    url: str,
    building: Building | None = None,
    grid: Area | None = None,
    name: str = "",
    active: bool = True,
    webhook: GroupWebhook | None = None,
) -> GroupWebhook:
    """Add the robot of a building's or a grid's group, or change one (a blank ``url`` keeps the
    stored address)."""
    if (building is None) == (grid is None):
        raise ValidationError({"building": [_("Choose a building or a grid.")]})
    if grid is not None and grid.kind != AreaKind.GRID:
        raise ValidationError({"grid": [_("Choose a grid.")]})
    scope = building.scope if building is not None else grid.path  # type: ignore[union-attr]
    found = selectors.reach(actor, selectors.GROUPS)
    if not any(path_covers(p, scope) for p in found.paths):
        raise OutOfScope()
    if webhook is not None:
        webhook = selectors.group_webhook(actor, webhook.pk)
    url = (url or "").strip()
    if url or webhook is None:
        try:
            validate_webhook_url(url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from None
    taken = (
        GroupWebhook.objects.filter(building=building)
        if building is not None
        else GroupWebhook.objects.filter(grid=grid)
    )
    if webhook is not None:
        taken = taken.exclude(pk=webhook.pk)
    if taken.exists():
        raise ValidationError(
            {"building" if building is not None else "grid": [_("This place has a group robot already.")]}
        )
    with transaction.atomic():
        hook = webhook or GroupWebhook(changed_by=actor)
        hook.building, hook.grid = building, grid
        hook.name, hook.active, hook.changed_by = name.strip()[:60], active, actor
        if url:
            hook.url, hook.masked = url, masked_webhook(url)
        hook.save()
        record_event(
            "notices.webhook_save",
            actor=actor,
            obj=hook,
            detail={"webhook": hook.masked, "place": hook.address, "active": hook.active},
        )
    return hook


def delete_webhook(*, actor: User, webhook: GroupWebhook) -> None:
    webhook = selectors.group_webhook(actor, webhook.pk)
    with transaction.atomic():
        record_event("notices.webhook_delete", actor=actor, obj=webhook, detail={"webhook": webhook.masked})
        webhook.delete()
