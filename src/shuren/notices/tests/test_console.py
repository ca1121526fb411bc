"""Writing a notice on the console page: the form's fields, photos re-encoded, a PDF checked by its
content and size, publishing from the notice's page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from shuren.notices.models import Notice, NoticeStatus
from shuren.notifications.models import Message

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def form(world, **extra):
    data = {
        "title": "楼道杂物清理",
        "body": "请于周五前清理楼道杂物。",
        "urgency": "normal",
        "building": world.buildings[0].pk,
    }
    data.update(extra)
    return data


def test_staff_write_a_notice_with_a_photo_and_a_pdf_then_publish_it(
    notice_world, verified_client, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    staff = verified_client(notice_world.users["staff"])
    page = staff.get("/notices/new/")
    assert page.status_code == 200
    for name in (
        "title",
        "body",
        "urgency",
        "area",
        "estate",
        "building",
        "unit",
        "tags",
        "roles",
        "organizations",
        "publish_at",
        "ends_at",
        "is_public",
        "photos",
        "attachment",
    ):
        assert f'name="{name}"' in page.content.decode(), name
    answer = staff.post(
        "/notices/new/",
        form(
            notice_world,
            tags=[notice_world.tags["elderly_alone"].pk],
            photos=[SimpleUploadedFile("a.jpg", jpeg_with_exif(), content_type="image/jpeg")],
            attachment=SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf"),
        ),
    )
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.DRAFT and notice.attachment_name == "通知.pdf"
    photo = notice.photos.get()
    with photo.image.open("rb") as handle:
        assert b"PhoneMaker" not in handle.read()
    download = staff.get(f"/notices/{notice.pk}/attachment/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    detail = staff.get(f"/notices/{notice.pk}/").content.decode()
    assert 'data-testid="act-publish"' in detail
    published = staff.post(f"/notices/{notice.pk}/act/publish/", {"version": notice.version})
    assert published.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.households == 1
    assert not Message.objects.filter(event_key=f"notice:{notice.pk}:published").exists()  # granny: no account
    edit = staff.get(f"/notices/{notice.pk}/edit/")
    assert edit.status_code == 302  # a published notice is not edited


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(notice_world, verified_client) -> None:
    staff = verified_client(notice_world.users["staff"])
    fake = SimpleUploadedFile("通知.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    answer = staff.post("/notices/new/", form(notice_world, attachment=fake))
    assert answer.status_code == 200 and "attachment" in answer.context["form"].errors
    assert not Notice.objects.exists()


@override_settings(SHUREN_NOTICE_MAX_PDF_BYTES=1024)
def test_a_pdf_over_the_size_limit_is_refused(notice_world, verified_client) -> None:
    staff = verified_client(notice_world.users["staff"])
    big = SimpleUploadedFile("big.pdf", PDF[:-7] + b"0" * 2048 + b"\n%%EOF\n", content_type="application/pdf")
    answer = staff.post("/notices/new/", form(notice_world, attachment=big))
    assert answer.status_code == 200 and "attachment" in answer.context["form"].errors


def test_the_leader_is_offered_only_their_own_building(notice_world, verified_client) -> None:
    leader = verified_client(notice_world.users["leader"])
    page = leader.get("/notices/new/")
    buildings = list(page.context["form"].fields["building"].queryset)
    assert buildings == [notice_world.buildings[0]]
    answer = leader.post("/notices/new/", form(notice_world))
    assert answer.status_code == 302
    assert Notice.objects.get().author == notice_world.users["leader"]


def test_withdrawing_from_the_page_needs_a_reason(notice_world, verified_client) -> None:
    notice = notice_world.published()
    staff = verified_client(notice_world.users["staff"])
    assert staff.post(f"/notices/{notice.pk}/act/withdraw/", {"version": notice.version}).status_code == 400
    answer = staff.post(f"/notices/{notice.pk}/act/withdraw/", {"version": notice.version, "reason": "日期写错"})
    assert answer.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdrawn_reason == "日期写错"


def test_a_draft_shows_whom_it_would_reach_and_is_edited_with_its_version(notice_world, verified_client) -> None:
    notice = notice_world.notice()
    staff = verified_client(notice_world.users["staff"])
    detail = staff.get(f"/notices/{notice.pk}/")
    assert detail.context["preview"] == 6
    page = staff.get(f"/notices/{notice.pk}/edit/")
    assert page.status_code == 200
    data = form(
        notice_world, title="停水通知（更正）", version=notice.version, tags=[notice_world.tags["elderly_alone"].pk]
    )
    assert staff.post(f"/notices/{notice.pk}/edit/", data).status_code == 302
    notice.refresh_from_db()
    assert notice.title == "停水通知（更正）" and notice.version == 2
    assert staff.get(f"/notices/{notice.pk}/").context["preview"] == 1
    stale = staff.post(f"/notices/{notice.pk}/edit/", {**data, "title": "旧页面的修改"})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    notice.refresh_from_db()
    assert notice.title == "停水通知（更正）"
