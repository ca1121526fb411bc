"""Uploads far above DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB) work with an Idempotency-Key: the key's
fingerprint reads the parsed form file by file instead of the whole body at once."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shuren.appeals.models import Appeal
from shuren.appeals.tests.api_support import BASE, PROBLEM, Api

pytestmark = pytest.mark.django_db

SIDE = 1370  # 1.9 megapixels of noise: about 7.4 MB as a JPEG of quality 100


def noise_jpeg() -> bytes:
    """A valid photo of ~7.4 MB (noise does not compress), below the 8 MB and 40-megapixel limits."""
    image = Image.frombytes("RGB", (SIDE, SIDE), os.urandom(SIDE * SIDE * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=100, subsampling=0)
    return out.getvalue()


@pytest.fixture(scope="module")
def big_photos() -> list[bytes]:
    first = noise_jpeg()
    # Six different photos from one noise image: each a copy with a different comment segment.
    return [first[:2] + b"\xff\xfe\x00\x08photo" + bytes([n]) + first[2:] for n in range(6)]


def upload(api: Api, appeal_id: int, photos: list[bytes], key: str):
    files = [SimpleUploadedFile(f"p{n}.jpg", data, content_type="image/jpeg") for n, data in enumerate(photos)]
    return api.client.post(f"{BASE}{appeal_id}/photos/", {"photos": files, "stage": "report"}, HTTP_IDEMPOTENCY_KEY=key)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_six_photos_of_8_mb_with_an_idempotency_key_are_stored_once_and_replayed(appeal_world, big_photos):
    assert all(7 * 1024 * 1024 < len(p) < 8 * 1024 * 1024 for p in big_photos)
    resident = Api(appeal_world.users["resident"])
    created = resident.submit(
        key="big-appeal",
        category="ebike-charging",
        description="楼道里有人给电动车充电，很危险",
        building=appeal_world.buildings[0].pk,
    )
    assert created.status_code == 201, created.content
    appeal_id = created.json()["id"]

    first = upload(resident, appeal_id, big_photos, "big-photos")
    assert first.status_code == 201, first.content
    assert len(first.json()) == 6
    again = upload(resident, appeal_id, big_photos, "big-photos")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert Appeal.objects.get(pk=appeal_id).photos.count() == 6

    changed = [*big_photos[:5], big_photos[5][:-100] + bytes(98) + b"\xff\xd9"]
    refused = upload(resident, appeal_id, changed, "big-photos")
    assert refused.status_code == 422
    assert refused["Content-Type"] == PROBLEM
    assert Appeal.objects.get(pk=appeal_id).photos.count() == 6


def test_a_form_body_django_cannot_read_is_a_400_problem_with_a_key(appeal_world):
    resident = Api(appeal_world.users["resident"])
    appeal = appeal_world.submit()
    response = resident.client.generic(
        "POST",
        f"{BASE}{appeal.pk}/photos/",
        b'--x\r\nContent-Disposition: form-data; name="stage"\r\n\r\nreport',  # never closed
        content_type="multipart/form-data; boundary=",
        HTTP_IDEMPOTENCY_KEY="broken-form",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
