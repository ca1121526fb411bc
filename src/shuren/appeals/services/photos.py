"""Photos of appeals, stored after core.photos has checked and re-encoded every one."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from shuren.accounts.models import User
from shuren.core.photos import clean_photo

from ..models import Appeal, AppealPhoto


def save_photos(*, actor: User, appeal: Appeal, uploads: Sequence[UploadedFile], stage: str) -> list[AppealPhoto]:
    """Store ``uploads`` on ``appeal`` (all checked before any is stored); the caller holds the
    transaction and writes the event."""
    cleaned = [clean_photo(upload) for upload in uploads]
    saved = []
    for data, width, height in cleaned:
        photo = AppealPhoto(appeal=appeal, stage=stage, width=width, height=height)
        photo.uploaded_by = actor if actor.is_authenticated else None
        photo.image.save("photo.jpg", ContentFile(data), save=False)
        photo.save()
        saved.append(photo)
    return saved
