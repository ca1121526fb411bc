"""Pictures beyond 40 megapixels, decompression bombs and files that are not pictures are refused
from their header, before any pixel is decoded, on every path that takes photos."""

from __future__ import annotations

import io
import struct
import zlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from shuren.core.images import MAX_PIXELS, decode_image
from shuren.core.photos import clean_photo


def png_header_only(width: int, height: int, *, idat: bytes = b"") -> bytes:
    """A PNG whose header claims ``width`` x ``height``: a few hundred bytes, whatever the size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_png(width: int, height: int) -> bytes:
    """A real greyscale PNG of ``width`` x ``height`` zeros: compresses ~1000:1."""
    row = b"\x00" + bytes(width)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return png_header_only(width, height, idat=data)


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format="JPEG")
    return out.getvalue()


def upload(data: bytes, name: str = "pic.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.mark.parametrize(
    ("width", "height"),
    [(6325, 6325), (8000, 5001), (40_000_001, 1), (1, 40_000_001), (50_000, 50_000), (2**31 - 1, 2**31 - 1)],
)
def test_more_than_40_megapixels_is_refused_without_decoding(width, height):
    assert width * height > MAX_PIXELS
    with mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")):
        with pytest.raises(ValidationError) as refused:
            clean_photo(upload(png_header_only(width, height)))
    assert "40" in refused.value.message_dict["photos"][0]


def test_a_decompression_bomb_png_is_refused_quickly_and_in_chinese():
    bomb = bomb_png(10_000, 4_100)  # 41 megapixels in ~40 kB
    assert len(bomb) < 100_000
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        clean_photo(upload(bomb, "炸弹.png"))
    message = refused.value.message_dict["photos"][0]
    assert "炸弹.png" in message and "40" in message and "百万像素" in message


def test_a_picture_of_exactly_40_megapixels_is_accepted_and_shrunk():
    data, width, height = clean_photo(upload(bomb_png(8000, 5000)))
    assert max(width, height) == 2048 and data.startswith(b"\xff\xd8")


@settings(max_examples=30, deadline=None)
@given(width=st.integers(1, 300), height=st.integers(1, 300))
def test_pictures_within_the_limit_are_decoded_upright_in_rgb(width, height):
    image = decode_image(io.BytesIO(jpeg(width, height)), name="x.jpg", max_side=256)
    assert image.mode == "RGB" and max(image.size) <= 256


def test_a_file_that_claims_to_be_a_picture_but_is_broken_is_refused():
    with pytest.raises(ValidationError):
        clean_photo(upload(jpeg(100, 100)[:200], "broken.jpg"))
    with pytest.raises(ValidationError):
        clean_photo(upload(png_header_only(100, 100, idat=b"garbage"), "broken.png"))


def test_other_formats_pillow_knows_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ValidationError):
        clean_photo(upload(out.getvalue(), "x.bmp"))


def test_pillow_itself_refuses_beyond_the_same_limit():
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS
