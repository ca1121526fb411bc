"""What every governance action shares: the versioned write, the timeline row, the audit record, the
lapse time from the community's policy, and the photos of progress notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.photos import clean_photo

from .. import workflow
from ..models import Claim, GovernanceItem, ItemPhoto, ItemStatus, ItemUpdate
from ..selectors import community_of, policy_for
from ..workflow import AlreadyClaimed

__all__ = ["AlreadyClaimed", "community_of", "policy_for"]

MAX_PHOTOS = 6


def now() -> dt.datetime:
    return timezone.now()


def lapse_time(item: GovernanceItem, since: dt.datetime) -> dt.datetime:
    return since + dt.timedelta(days=policy_for(community_of(item)).claim_lapse_days)


def check_claimable(*, actor: User, item: GovernanceItem) -> None:
    """Raise AlreadyClaimed (naming the holder) before anything else when someone holds the item:
    a claimant whose page is out of date learns who was quicker, not merely that the page is old."""
    if item.status in (ItemStatus.CLAIMED, ItemStatus.SUBMITTED):
        workflow.require(item, "claim", actor=actor)


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
    actor: User | None,
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


def audit(action: str, *, actor: User, item: GovernanceItem, **detail: Any) -> None:
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
