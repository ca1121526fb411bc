"""Photos that users upload (appeals, progress notes, check-ins): checked to be images, re-encoded
as JPEG so that no EXIF data (the phone's location, the device) survives, and shrunk to a size a
phone can show. Served only through views that have checked the viewer may open their object."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .images import decode_image

MAX_SIDE = 2048


def clean_photo(upload: UploadedFile) -> tuple[bytes, int, int]:
    """The photo as EXIF-free JPEG bytes with its size; ValidationError for anything else: larger than
    the byte limit, more pixels than core.images allows (checked before decoding), not an image."""
    limit = int(settings.SHUREN_APPEAL_MAX_PHOTO_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"photos": [_("%(name)s is larger than %(mb)d MB.") % {"name": upload.name, "mb": limit // (1024 * 1024)}]}
        )
    try:
        image = decode_image(upload, name=upload.name or "", max_side=MAX_SIDE)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height


def photo_response(photos: Any, photo_pk: int) -> FileResponse:
    """One of ``photos`` (a queryset or related manager of photos of an object the caller has checked
    the user may open) as JPEG; 404 when the photo or its file is missing. Photos are never served as
    public files."""
    photo = photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, content_type="image/jpeg")
