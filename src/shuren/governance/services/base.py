"""What every governance action shares: the transition check and versioned write, the timeline row,
the audit record, the community's policy, and the photos of progress notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.photos import clean_photo
from shuren.core.scoping import can
from shuren.places.models import Area, AreaKind

from .. import workflow
from ..models import Claim, GovernanceItem, GovernancePolicy, ItemPhoto, ItemStatus, ItemUpdate

MAX_PHOTOS = 6


class AlreadyClaimed(InvalidTransition):
    """Someone else holds the item: at most one active claim, whatever the race."""

    code = "already-claimed"

    def __init__(self, holder: str = "") -> None:
        detail = (
            _("Already claimed by %(holder)s.") % {"holder": holder}
            if holder
            else _("Someone has already claimed this.")
        )
        super().__init__(detail, holder=holder)


def now() -> dt.datetime:
    return timezone.now()


def community_of(item: GovernanceItem) -> Area:
    area = item.area
    return area.parent if area.kind == AreaKind.GRID else area  # type: ignore[return-value]


def policy_for(community: Area) -> GovernancePolicy:
    """The community's policy, or the defaults (a week without progress; wishes reviewed) unsaved."""
    return GovernancePolicy.objects.filter(community=community).first() or GovernancePolicy(community=community)


def lapse_time(item: GovernanceItem, since: dt.datetime) -> dt.datetime:
    return since + dt.timedelta(days=policy_for(community_of(item)).claim_lapse_days)


def check_action(actor: Any, item: GovernanceItem, action: str) -> str:
    """The state ``action`` leads to; raises OutOfScope, InvalidTransition or NotPermitted."""
    if not (
        can(actor, "governance.view", item)
        or can(actor, "governance.manage", item)
        or workflow.may_reach_for_claim(actor, item)
        or item.created_by_id == getattr(actor, "pk", None)
    ):
        raise OutOfScope()
    target = workflow.next_state(item.status, action)
    if target is None:
        if action == "claim" and item.status in (ItemStatus.CLAIMED, ItemStatus.SUBMITTED):
            claim = workflow.active_claim(item)
            raise AlreadyClaimed(claim.public_holder_label if claim else "")
        raise InvalidTransition(
            _("“%(action)s” is not possible while the item is “%(status)s”.")
            % {"action": workflow.ACTION_LABELS.get(action, action), "status": item.get_status_display()}
        )
    if action not in workflow.allowed_actions(actor, item):
        raise NotPermitted()
    return target


def check_claimable(actor: Any, item: GovernanceItem) -> None:
    """Raise AlreadyClaimed (naming the holder) before anything else when someone holds the item:
    a claimant whose page is out of date learns who was quicker, not merely that the page is old."""
    if item.status in (ItemStatus.CLAIMED, ItemStatus.SUBMITTED):
        check_action(actor, item, "claim")


def write(item: GovernanceItem, *, version: int, **changes: Any) -> GovernanceItem:
    """Change the item only from the version the actor read (StaleVersion otherwise)."""
    item.version = update_versioned(GovernanceItem, pk=item.pk, version=version, **changes)
    for name, value in changes.items():
        setattr(item, name, value)
    if hasattr(item, "_active_claim"):
        del item._active_claim
    return item


def timeline(
    item: GovernanceItem,
    kind: str,
    *,
    actor: Any,
    text: str = "",
    claim: Claim | None = None,
    points: int | None = None,
    at: dt.datetime | None = None,
) -> ItemUpdate:
    return ItemUpdate.objects.create(
        item=item,
        claim=claim,
        kind=kind,
        text=text,
        points=points,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or now(),
    )


def audit(action: str, *, actor: Any, item: GovernanceItem, **detail: Any) -> None:
    record_event(f"governance.{action}", actor=actor, obj=item, detail={k: str(v) for k, v in detail.items()})


def clean_photos(uploads: Sequence[UploadedFile]) -> list[tuple[bytes, int, int]]:
    """Every photo checked and re-encoded (EXIF-free JPEG) before any is stored."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("At most %(count)d photos.") % {"count": MAX_PHOTOS}]})
    return [clean_photo(upload) for upload in uploads]


def save_photos(update: ItemUpdate, cleaned: list[tuple[bytes, int, int]]) -> list[ItemPhoto]:
    saved = []
    for data, width, height in cleaned:
        photo = ItemPhoto(update=update, width=width, height=height)
        photo.image.save("photo.jpg", ContentFile(data), save=False)
        photo.save()
        saved.append(photo)
    return saved
