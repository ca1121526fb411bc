"""Reporting from the phone (/my/appeals/new/) and collecting on a round (/my/appeals/collect/)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from shuren.accounts.roles import Role
from shuren.appeals.models import Appeal, AppealPhoto, Channel, IntakePolicy
from shuren.orgs.models import PostKind
from shuren.orgs.services import assign_post
from shuren.people.models import Person
from shuren.places.models import Building, Dwelling, Estate

pytestmark = pytest.mark.django_db

REPORT = "/my/appeals/new/"
COLLECT = "/my/appeals/collect/"
TEXT = "2座门口的路灯坏了一个星期，晚上很黑，老人走路容易摔倒"


@pytest.fixture(autouse=True)
def media_and_language(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages asserted below are the English source


def jpeg_with_gps() -> bytes:
    """A small real JPEG whose EXIF carries the phone's make and a GPS position (Foshan)."""
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 48.0, 30.0), 3: "E", 4: (113.0, 9.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def resident_client(client, appeal_world):
    client.force_login(appeal_world.users["resident"])
    return client


def form_data(appeal_world, **extra):
    data = {
        "category": appeal_world.category("lighting").pk,
        "description": TEXT,
        "where": "building",
        "building": appeal_world.buildings[1].pk,
        "address": "东门旁边",
    }
    data.update(extra)
    return data


def foreign_building(tree) -> Building:
    estate = Estate.objects.create(community=tree["com_b"], name="金旗峰花园")
    return Building.objects.create(estate=estate, grid=tree["grid_b1"], number="9座")


def test_a_resident_reports_with_a_photo_and_the_stored_photo_has_no_exif(client, appeal_world):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825), "the test photo must carry GPS data"
    client = resident_client(client, appeal_world)

    response = client.post(REPORT, form_data(appeal_world, photos=[upload("IMG_0001.jpg", photo)]))

    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/my/appeals/{appeal.pk}/submitted/"
    assert appeal.channel == Channel.PORTAL and appeal.reporter == appeal_world.users["resident"]
    assert appeal.building == appeal_world.buildings[1] and appeal.address == "东门旁边"
    stored = AppealPhoto.objects.get(appeal=appeal)
    data = stored.image.read()
    assert data.startswith(b"\xff\xd8") and b"Exif" not in data and b"PhoneMaker" not in data
    reopened = Image.open(io.BytesIO(data))
    assert reopened.format == "JPEG" and dict(reopened.getexif()) == {}

    confirmation = client.get(response["Location"]).content.decode()
    assert appeal.reference in confirmation and 'data-testid="appeal-reference"' in confirmation
    # The reporter sees their photo through the access-checked view, nobody else does.
    photo_url = reverse("appeals_portal:photo", kwargs={"pk": appeal.pk, "photo_pk": stored.pk})
    assert photo_url in client.get(f"/my/appeals/{appeal.pk}/").content.decode()
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
    client.force_login(appeal_world.users["neighbour"])
    assert client.get(photo_url).status_code == 404


def test_the_form_is_phone_first(client, appeal_world):
    html = resident_client(client, appeal_world).get(REPORT).content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html and " multiple" in html
    assert "<details" in html and 'class="btn-check"' in html  # tappable category groups
    assert 'data-testid="category-ebike-charging"' in html
    assert "appeals/portal.js" in html and "<script>" not in html
    # "My home" is the resident's own dwelling, pre-selected.
    assert "富丰新城1座" in html and "301" in html
    assert 'value="home"' in html


def test_reporting_from_home_files_the_appeal_under_the_dwelling(client, appeal_world):
    client = resident_client(client, appeal_world)
    response = client.post(REPORT, form_data(appeal_world, where="home", building=""))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.dwelling == Dwelling.objects.get(unit__building=appeal_world.buildings[0], room="301")
    assert appeal.scope == appeal_world.tree["grid_a1"].path


def test_use_my_location_stores_the_point_in_the_residents_estate(client, appeal_world):
    client = resident_client(client, appeal_world)
    missing = client.post(REPORT, form_data(appeal_world, where="point", building=""))
    assert missing.status_code == 400 and "location was not received" in missing.content.decode()
    response = client.post(
        REPORT, form_data(appeal_world, where="point", building="", latitude="22.808333", longitude="113.150000")
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert str(appeal.latitude) == "22.808333" and appeal.estate == appeal_world.estate and appeal.building is None


def test_location_choices_are_limited_to_the_residents_own_places(client, appeal_world):
    other = foreign_building(appeal_world.tree)
    client = resident_client(client, appeal_world)
    html = client.get(REPORT).content.decode()
    for building in appeal_world.buildings:
        assert f'value="{building.pk}"' in html
    assert "金旗峰花园" not in html

    response = client.post(REPORT, form_data(appeal_world, building=other.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    foreign_home = Dwelling.objects.create(unit=other.units.create(number="1单元"), room="101", floor=1)
    response = client.post(REPORT, form_data(appeal_world, where="home", home=foreign_home.pk))
    assert response.status_code == 400
    response = client.post(REPORT, form_data(appeal_world, where="estate", estate=other.estate.pk))
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_anonymous_is_refused_where_the_community_forbids_it_and_the_form_keeps_the_text(client, appeal_world):
    client = resident_client(client, appeal_world)
    assert 'name="is_anonymous"' not in client.get(REPORT).content.decode()

    response = client.post(
        REPORT, form_data(appeal_world, is_anonymous="on", photos=[upload("a.jpg", jpeg_with_gps())])
    )

    html = response.content.decode()
    assert response.status_code == 400 and not Appeal.objects.exists()
    assert "does not accept anonymous" in html
    assert TEXT in html and "东门旁边" in html  # what was typed is still there
    # Attributes may sit on several lines of the template: compare with whitespace runs as one space.
    squashed = " ".join(html.split())
    assert f'value="{appeal_world.category("lighting").pk}" autocomplete="off" checked' in squashed
    assert 'data-testid="photos-dropped"' in html  # photos must be chosen again, and the page says so


def test_anonymous_reporting_where_the_community_allows_it(client, appeal_world):
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], allow_anonymous=True)
    client = resident_client(client, appeal_world)
    assert 'name="is_anonymous"' in client.get(REPORT).content.decode()
    assert client.post(REPORT, form_data(appeal_world, is_anonymous="on")).status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.is_anonymous and appeal.reporter_person is None and appeal.reporter_name == ""
    # The reporter still follows it.
    assert appeal.reference in client.get("/my/appeals/").content.decode()


def test_errors_keep_what_was_typed(client, appeal_world):
    client = resident_client(client, appeal_world)
    response = client.post(REPORT, form_data(appeal_world, category="", description="路灯坏了很久"))
    html = response.content.decode()
    assert response.status_code == 400 and "路灯坏了很久" in html and 'id="category-errors"' in html
    assert f'<option value="{appeal_world.buildings[1].pk}" selected' in html


def test_too_many_photos_and_non_photos_are_refused(client, appeal_world, settings):
    settings.SHUREN_APPEAL_MAX_PHOTOS = 2
    client = resident_client(client, appeal_world)
    photos = [upload(f"{n}.jpg", jpeg_with_gps()) for n in range(3)]
    assert client.post(REPORT, form_data(appeal_world, photos=photos)).status_code == 400
    fake = upload("notes.jpg", b"this is not an image")
    response = client.post(REPORT, form_data(appeal_world, photos=[fake]))
    assert response.status_code == 400 and "notes.jpg" in response.content.decode()
    assert not Appeal.objects.exists() and not AppealPhoto.objects.exists()


# --- collecting on a round ------------------------------------------------------------------------


@pytest.fixture
def leader(appeal_world, make_user):
    """A building leader of 1座 (a resident with an account and a post)."""
    user = make_user(Role.BUILDING_LEADER, appeal_world.tree["grid_a1"], username="louzhang")
    person = Person.objects.create(community=appeal_world.tree["com_a"], name="陈楼长", user=user)
    assign_post(
        actor=appeal_world.users["staff"],
        kind=PostKind.objects.get(code=PostKind.BUILDING_LEADER),
        person=person,
        area=appeal_world.tree["grid_a1"],
        buildings=[appeal_world.buildings[0]],
    )
    return user


def test_a_building_leader_collects_for_a_resident_of_their_building(verified_client, appeal_world, leader):
    client = verified_client(leader)
    html = client.get(COLLECT).content.decode()
    first, second = appeal_world.buildings
    assert f'<option value="{first.pk}"' in html and f'<option value="{second.pk}"' not in html
    assert "林*" in html  # the resident of 1座, masked as on the leader's own page
    assert "林小梅" not in html

    response = client.post(
        COLLECT,
        {
            "channel": "building_leader",
            "category": appeal_world.category("lift").pk,
            "description": "1座电梯停在三楼不动，住户反映两天了",
            "where": "building",
            "building": first.pk,
            "resident": appeal_world.resident_person.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.BUILDING_LEADER and appeal.recorded_by == leader
    # The resident has an account: she becomes the reporter, follows the appeal and rates it.
    assert appeal.reporter == appeal_world.users["resident"] and appeal.reporter_person == appeal_world.resident_person
    assert appeal.reporter_name == "林小梅"
    # The collector follows what they recorded.
    assert appeal.reference in client.get("/my/appeals/").content.decode()


def test_a_building_leader_cannot_collect_for_a_building_they_do_not_lead(verified_client, appeal_world, leader):
    client = verified_client(leader)
    response = client.post(
        COLLECT,
        {
            "channel": "building_leader",
            "category": appeal_world.category("lift").pk,
            "description": "2座电梯停在三楼不动，住户反映两天了",
            "where": "building",
            "building": appeal_world.buildings[1].pk,
        },
    )
    assert response.status_code == 400 and not Appeal.objects.exists()
    assert "2座电梯停在三楼不动" in response.content.decode()


def test_the_residents_home_and_a_named_caller(verified_client, appeal_world, leader):
    client = verified_client(leader)
    base = {
        "channel": "building_leader",
        "category": appeal_world.category("water-supply").pk,
        "description": "301厨房水管漏水，楼下天花板渗水",
        "where": "resident_home",
    }
    assert client.post(COLLECT, base).status_code == 400  # whose home?
    response = client.post(COLLECT, {**base, "resident": appeal_world.resident_person.pk})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.dwelling.room == "301"

    response = client.post(
        COLLECT,
        {
            **base,
            "where": "estate",
            "estate": appeal_world.estate.pk,
            "reporter_name": "张伯",
            "reporter_phone": "13800138000",
        },
    )
    assert response.status_code == 302
    named = Appeal.objects.exclude(pk=appeal.pk).get()
    assert named.reporter_name == "张伯" and named.reporter_phone == "+8613800138000" and named.building is None


def test_a_grid_worker_patrols_the_buildings_of_the_grid(verified_client, appeal_world):
    grid_worker = appeal_world.users["grid_worker"]
    client = verified_client(grid_worker)
    html = client.get(COLLECT).content.decode()
    for building in appeal_world.buildings:
        assert f'<option value="{building.pk}"' in html
    other = foreign_building(appeal_world.tree)
    data = {
        "channel": "patrol",
        "category": appeal_world.category("litter").pk,
        "description": "巡查发现2座垃圾桶满溢，无人清运",
        "where": "building",
        "building": other.pk,
    }
    assert client.post(COLLECT, data).status_code == 400
    response = client.post(COLLECT, {**data, "building": appeal_world.buildings[1].pk})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.PATROL and appeal.recorded_by == grid_worker and appeal.reporter is None


def test_the_resident_list_follows_the_chosen_building(verified_client, appeal_world):
    client = verified_client(appeal_world.users["grid_worker"])
    first, second = appeal_world.buildings
    html = client.get(reverse("appeals_portal:collect_residents"), {"building": first.pk}).content.decode()
    assert f'value="{appeal_world.resident_person.pk}"' in html and "林小梅" in html  # grid staff see names
    html = client.get(reverse("appeals_portal:collect_residents"), {"building": second.pk}).content.decode()
    assert f'value="{appeal_world.resident_person.pk}"' not in html
    other = foreign_building(appeal_world.tree)
    assert client.get(reverse("appeals_portal:collect_residents"), {"building": other.pk}).status_code == 404


def test_residents_may_not_collect(client, appeal_world):
    client = resident_client(client, appeal_world)
    assert client.get(COLLECT).status_code == 403
