"""The one way an uploaded image is opened: its kind and its dimensions are checked from the header
before a single pixel is decoded, so that a picture beyond the stated limit (or a decompression bomb:
a few kilobytes of PNG that would decode to gigabytes) is refused without costing memory or time.

Pillow's own guard (``Image.MAX_IMAGE_PIXELS``) only warns up to twice its limit; here the limit is
exact, and it is also Pillow's, so that no other code path decodes more.
"""

from __future__ import annotations

import warnings
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # a phone's MPO opens as JPEG
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _too_large(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s has more than %(mp)d megapixels: send a smaller picture.")
        % {"name": name, "mp": MAX_PIXELS // 1_000_000},
        code="too-many-pixels",
    )


def _unreadable(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a photo we can read (JPEG, PNG or WebP).") % {"name": name}, code="not-an-image"
    )


def _open(upload: IO[bytes], name: str) -> Image.Image:
    """The image with only its header read; refused when its kind or its size is not allowed."""
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_large(name) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        image.close()
        raise _too_large(name)
    return image


def decode_image(upload: IO[bytes], *, name: str = "", max_side: int | None = None) -> Image.Image:
    """The upload as an upright RGB image, no larger than ``max_side`` pixels a side when given;
    ValidationError (too many pixels, or not an image we read) for anything else."""
    name = name or str(getattr(upload, "name", "") or _("The picture"))
    try:
        with _open(upload, name) as probe:
            probe.verify()  # the structure (PNG checksums, chunks), without decoding pixels
        with _open(upload, name) as image:
            if max_side:
                image.draft("RGB", (max_side, max_side))  # a JPEG decodes straight at a fraction of its size
            upright = ImageOps.exif_transpose(image)
            result: Any = upright.convert("RGB")
            if max_side:
                result.thumbnail((max_side, max_side))
            return result
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, EOFError):
        raise _unreadable(name) from None
