"""Photos of appeals, stored after core.photos has checked and re-encoded every one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from shuren.core.photos import clean_photo


def save_photos(appeal: Any, uploads: Sequence[UploadedFile], *, stage: str, actor: Any) -> list[Any]:
    from .models import AppealPhoto

    cleaned = [clean_photo(upload) for upload in uploads]  # all checked before any is stored
    saved = []
    for data, width, height in cleaned:
        photo = AppealPhoto(appeal=appeal, stage=stage, width=width, height=height)
        photo.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
        photo.image.save("photo.jpg", ContentFile(data), save=False)
        photo.save()
        saved.append(photo)
    return saved
