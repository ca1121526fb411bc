"""Intake: who may report where and on which channel, anonymous appeals, and photos (EXIF stripped,
non-images refused, at most SHUREN_APPEAL_MAX_PHOTOS)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from shuren.accounts.roles import Role
from shuren.appeals import services
from shuren.appeals.models import Appeal, AppealEvent, AppealPhoto, Channel, IntakePolicy, PhotoStage, Status
from shuren.appeals.services import AppealLocation
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.places.models import Dwelling

from .test_workflow import bring_to

pytestmark = pytest.mark.django_db

STAFF_CHANNELS = [Channel.PHONE, Channel.HOTLINE, Channel.PATROL, Channel.BUILDING_LEADER, Channel.VISIT]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def photo(name: str = "楼道.jpg", *, gps: bool = True, size=(1200, 900), kind: str = "JPEG") -> SimpleUploadedFile:
    """A photo as a phone sends it: with the maker, model and GPS position in its EXIF data."""
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"
    exif[0x0110] = "Redmi Note 12"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (23.0, 2.0, 10.5), 3: "E", 4: (113.0, 8.0, 30.0)})
    buffer = io.BytesIO()
    image.save(buffer, kind, exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- who reports where ---------------------------------------------------------------------------


def test_a_resident_reports_for_themselves_and_becomes_the_reporter(appeal_world):
    appeal = appeal_world.submit()
    assert appeal.reporter == appeal_world.users["resident"]
    assert appeal.reporter_person == appeal_world.resident_person
    assert appeal.recorded_by is None and appeal.channel == Channel.PORTAL
    assert (appeal.status, appeal.level) == (Status.SUBMITTED, "grid")
    assert appeal.scope == appeal_world.tree["grid_a1"].path
    assert appeal.estate == appeal_world.estate and appeal.building == appeal_world.buildings[0]
    assert appeal.reference.endswith(f"-{appeal.pk:06d}")
    [event] = AppealEvent.objects.filter(appeal=appeal)
    assert (event.kind, event.to_status, event.actor, event.detail) == (
        "submit",
        "submitted",
        appeal_world.users["resident"],
        {"channel": "portal"},
    )


def test_the_most_precise_place_decides_the_others(appeal_world):
    dwelling = Dwelling.objects.get(unit__building=appeal_world.buildings[1], room="201")
    appeal = appeal_world.submit(location=AppealLocation(dwelling=dwelling))
    assert (appeal.dwelling, appeal.building, appeal.estate) == (
        dwelling,
        appeal_world.buildings[1],
        appeal_world.estate,
    )
    assert appeal.area == appeal_world.tree["grid_a1"]
    garden = appeal_world.submit(
        location=AppealLocation(estate=appeal_world.estate), description="小区花园的路灯坏了三盏"
    )
    assert garden.area == appeal_world.tree["com_a"] and garden.scope == appeal_world.tree["com_a"].path


@pytest.mark.parametrize("where", ["grid_a2", "com_a", "estate"])
def test_residents_may_report_anywhere_in_their_own_community(appeal_world, where):
    location = (
        AppealLocation(estate=appeal_world.estate)
        if where == "estate"
        else AppealLocation(area=appeal_world.tree[where])
    )
    appeal = appeal_world.submit(location=location, category="lighting", description="二网格篮球场的路灯坏了")
    assert appeal.reporter == appeal_world.users["resident"]


@pytest.mark.parametrize("where", ["grid_b1", "com_b"])
def test_residents_may_not_report_in_another_community(appeal_world, where):
    with pytest.raises(OutOfScope):
        appeal_world.submit(location=AppealLocation(area=appeal_world.tree[where]))
    assert not Appeal.objects.exists()


def test_a_location_must_be_a_community_or_grid_and_the_estate_must_lie_in_it(appeal_world):
    with pytest.raises(ValidationError) as refused:
        AppealLocation(area=appeal_world.tree["sub_a"])
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        AppealLocation(area=appeal_world.tree["com_b"], estate=appeal_world.estate)
    assert "estate" in refused.value.message_dict
    with pytest.raises(ValidationError):
        AppealLocation()


@pytest.mark.parametrize("channel", STAFF_CHANNELS)
def test_staff_entry_channels_require_the_right_to_record(appeal_world, channel):
    with pytest.raises(NotPermitted):
        appeal_world.submit(channel=channel)
    appeal = appeal_world.submit(actor=appeal_world.users["staff"], channel=channel, reporter_name="王大爷")
    assert appeal.recorded_by == appeal_world.users["staff"] and appeal.reporter is None


def test_a_building_leader_records_what_neighbours_tell_them(appeal_world, make_user):
    leader = make_user(Role.BUILDING_LEADER, appeal_world.tree["grid_a1"])
    appeal = appeal_world.submit(
        actor=leader,
        channel=Channel.BUILDING_LEADER,
        reporter_name=" 陈阿姨 ",
        reporter_phone="138 0013 8000",
        reporter_person=appeal_world.resident_person,
    )
    # the resident named has an account: they follow the appeal and rate it
    assert appeal.recorded_by == leader and appeal.reporter == appeal_world.users["resident"]
    assert (appeal.reporter_name, appeal.reporter_phone) == ("陈阿姨", "+8613800138000")
    assert appeal.reporter_person == appeal_world.resident_person
    assert appeal.masked_reporter_phone != appeal.reporter_phone and appeal.masked_reporter_phone.endswith("8000")


def test_the_reporters_name_and_phone_are_encrypted_at_rest(appeal_world):
    appeal = appeal_world.submit(
        actor=appeal_world.users["staff"], channel=Channel.PHONE, reporter_name="王建国", reporter_phone="13800138000"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone FROM appeals_appeal WHERE id = %s", [appeal.pk])
        name, phone = cursor.fetchone()
    assert "王建国" not in str(name) and "13800138000" not in str(phone)


def test_a_grid_worker_on_patrol_records_in_their_grid_but_not_in_another_community(appeal_world):
    grid_worker = appeal_world.users["grid_worker"]
    appeal = appeal_world.submit(actor=grid_worker, channel=Channel.PATROL)
    assert appeal.recorded_by == grid_worker
    with pytest.raises(OutOfScope):
        appeal_world.submit(
            actor=grid_worker, channel=Channel.PATROL, location=AppealLocation(area=appeal_world.tree["grid_b1"])
        )


def test_staff_of_another_community_cannot_record_here(appeal_world):
    with pytest.raises(OutOfScope):
        appeal_world.submit(actor=appeal_world.users["staff_b"], channel=Channel.PHONE)


def test_a_handler_cannot_report(appeal_world):
    with pytest.raises(NotPermitted):
        appeal_world.submit(actor=appeal_world.users["handler"])


def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(appeal_world):
    with pytest.raises(ValidationError) as refused:
        appeal_world.submit(
            category="safety",  # a parent: appeals go under a leaf
            description=" 充电 ",
            channel=Channel.PHONE,
            actor=appeal_world.users["staff"],
            reporter_phone="12345",
            latitude=Decimal("23.03"),
        )
    assert set(refused.value.message_dict) == {"category", "description", "reporter_phone", "latitude"}
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()


def test_an_inactive_category_takes_no_new_appeals(appeal_world):
    category = appeal_world.category("lift")
    category.is_active = False
    category.save()
    with pytest.raises(ValidationError) as refused:
        appeal_world.submit(category="lift")
    assert "category" in refused.value.message_dict


# --- anonymous appeals ---------------------------------------------------------------------------


def test_anonymous_appeals_are_refused_unless_the_community_allows_them(appeal_world):
    with pytest.raises(ValidationError) as refused:
        appeal_world.submit(is_anonymous=True)
    assert "is_anonymous" in refused.value.message_dict
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], allow_anonymous=False)
    with pytest.raises(ValidationError):
        appeal_world.submit(is_anonymous=True)
    assert not Appeal.objects.exists()


def test_an_anonymous_appeal_stores_nobodys_name_phone_or_resident_record(appeal_world):
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], allow_anonymous=True)
    appeal = appeal_world.submit(is_anonymous=True, reporter_name="林小梅", reporter_phone="13800138000")
    assert appeal.is_anonymous
    assert (appeal.reporter_name, appeal.reporter_phone, appeal.reporter_person) == ("", "", None)
    # the resident can still follow and rate it
    assert appeal.reporter == appeal_world.users["resident"]
    recorded = appeal_world.submit(
        actor=appeal_world.users["staff"],
        channel=Channel.HOTLINE,
        is_anonymous=True,
        reporter_name="不愿留名",
        reporter_phone="13900139000",
        reporter_person=appeal_world.resident_person,
    )
    assert (recorded.reporter, recorded.reporter_name, recorded.reporter_phone, recorded.reporter_person) == (
        None,
        "",
        "",
        None,
    )


def test_the_policy_of_another_community_does_not_allow_anonymity_here(appeal_world):
    IntakePolicy.objects.create(community=appeal_world.tree["com_b"], allow_anonymous=True)
    with pytest.raises(ValidationError):
        appeal_world.submit(is_anonymous=True)


# --- photos --------------------------------------------------------------------------------------


def test_photos_are_reencoded_without_exif_or_gps(appeal_world, media):
    upload = photo()
    assert b"Xiaomi" in upload.read()
    appeal = appeal_world.submit(photos=[upload, photo("second.png", gps=False, kind="PNG", size=(3000, 1000))])
    first, second = appeal.photos.order_by("pk")
    for stored in (first, second):
        assert stored.stage == PhotoStage.REPORT and stored.uploaded_by == appeal_world.users["resident"]
        data = stored.image.read()
        stored.image.close()
        assert data.startswith(b"\xff\xd8")  # JPEG
        assert b"Xiaomi" not in data and b"Exif" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert (first.width, first.height) == (1200, 900)
    assert (second.width, second.height) == (2048, 683)  # shrunk to 2048 px on the long side


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(appeal_world, media):
    fake = SimpleUploadedFile("证明.jpg", b"%PDF-1.7 not really a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        appeal_world.submit(photos=[photo(), fake])
    [message] = refused.value.message_dict["photos"]
    assert "证明.jpg" in message and "JPEG" in message
    assert not Appeal.objects.exists() and not AppealPhoto.objects.exists()
    assert stored_files(media) == []


def test_a_photo_larger_than_the_limit_is_refused(appeal_world, media, settings):
    settings.SHUREN_APPEAL_MAX_PHOTO_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        appeal_world.submit(photos=[big])
    assert "big.jpg" in refused.value.message_dict["photos"][0]
    assert stored_files(media) == []


def test_too_many_photos_are_refused(appeal_world, media, settings):
    settings.SHUREN_APPEAL_MAX_PHOTOS = 2
    with pytest.raises(ValidationError) as refused:
        appeal_world.submit(photos=[photo(), photo(), photo()])
    assert "2" in refused.value.message_dict["photos"][0]
    assert not Appeal.objects.exists() and stored_files(media) == []
    appeal = appeal_world.submit(photos=[photo()])
    services.add_photos(actor=appeal_world.users["resident"], appeal=appeal, photos=[photo()], stage=PhotoStage.REPORT)
    with pytest.raises(ValidationError):
        services.add_photos(
            actor=appeal_world.users["resident"], appeal=appeal, photos=[photo()], stage=PhotoStage.REPORT
        )
    assert appeal.photos.count() == 2 and len(stored_files(media)) == 2


def test_the_handler_adds_proof_of_resolution_and_strangers_cannot_add_photos(appeal_world, media):
    appeal = bring_to(appeal_world, Status.IN_PROGRESS)
    appeal = services.resolve_appeal(
        actor=appeal_world.users["handler"],
        appeal=appeal,
        version=appeal.version,
        resolution="飞线已拆除",
        photos=[photo("after.jpg")],
    )
    assert list(appeal.photos.values_list("stage", flat=True)) == [PhotoStage.RESOLUTION]
    with pytest.raises(NotPermitted):
        services.add_photos(
            actor=appeal_world.users["neighbour"], appeal=appeal, photos=[photo()], stage=PhotoStage.REPORT
        )
    assert appeal.photos.count() == 1


# --- the API's place lookup ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dwelling", "building", "estate", "area"])
def test_the_place_lookup_reads_in_one_query_all_that_filing_an_appeal_needs(appeal_world, kind):
    """selectors.reporting_place loads a few columns of the place and its parents: filing the appeal
    (scope check, level, scope, audit record) and naming the place read nothing more."""
    from django.test.utils import CaptureQueriesContext

    from shuren.appeals.selectors import reporting_place

    building = appeal_world.buildings[0]
    pk = {
        "dwelling": Dwelling.objects.get(unit__building=building, room="201").pk,
        "building": building.pk,
        "estate": appeal_world.estate.pk,
        "area": appeal_world.tree["grid_a1"].pk,
    }[kind]
    with CaptureQueriesContext(connection) as lookup:
        place = reporting_place(kind, pk)
    assert len(lookup.captured_queries) == 1
    with CaptureQueriesContext(connection) as filing:
        appeal = appeal_world.submit(location=AppealLocation(**{kind: place}))
        label = str(place)
    assert not [q["sql"] for q in filing.captured_queries if 'FROM "places_' in q["sql"]]
    assert label and appeal.scope.startswith(appeal_world.tree["com_a"].path)
    expected_area = appeal_world.tree["com_a"] if kind == "estate" else appeal_world.tree["grid_a1"]
    assert appeal.area == expected_area
    assert (appeal.building_id is not None) == (kind in ("dwelling", "building"))
    assert reporting_place(kind, 10**9) is None
