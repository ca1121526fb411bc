"""Residents: one record per person, derived birth data, masked display, scoped lists and search."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import confirmed_seconds_ago
from django.core.exceptions import ValidationError

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.people.models import Person, ResidenceRelation, ResidenceStatus
from shuren.people.services import add_residence, register_person
from shuren.places.services import create_building, create_estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def homes(staff, tree):
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    one = create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2)
    two = create_building(actor=staff, estate=estate, grid=tree["grid_a2"], number="2座", floors=2, rooms_per_floor=2)
    first = one.units.get().dwellings.get(room="101")
    second = two.units.get().dwellings.get(room="201")
    return first, second


@pytest.fixture
def residents(staff, tree, homes):
    lin = register_person(
        actor=staff, community=tree["com_a"], name="林小梅", id_number="440602199001011237", phone="13800138001"
    )
    chen = register_person(actor=staff, community=tree["com_a"], name="陈志强", phone="13800138002")
    add_residence(
        actor=staff,
        person=lin,
        dwelling=homes[0],
        relation=ResidenceRelation.OWNER,
        status=ResidenceStatus.PERMANENT,
        from_on=dt.date(2010, 5, 1),
    )
    add_residence(
        actor=staff, person=chen, dwelling=homes[1], relation=ResidenceRelation.TENANT, status=ResidenceStatus.FLOATING
    )
    lin.refresh_from_db()
    chen.refresh_from_db()
    return lin, chen


def test_birth_date_and_gender_come_from_the_id_number(staff, tree):
    person = register_person(actor=staff, community=tree["com_a"], name="黄伯荣", id_number="440602199001011237")
    assert person.birth_date == dt.date(1990, 1, 1) and person.gender == "M"
    assert AuditEvent.objects.filter(action="people.person_create", object_id=str(person.pk)).exists()


def test_the_same_id_number_cannot_be_registered_twice_anywhere(staff, tree, user_for_role):
    register_person(actor=staff, community=tree["com_a"], name="林小梅", id_number="440602199001011237")
    other = user_for_role(Role.DISTRICT_STAFF)
    with pytest.raises(ValidationError) as caught:
        register_person(actor=other, community=tree["com_b"], name="林小梅", id_number="440602199001011237")
    assert "id_number" in caught.value.message_dict
    assert Person.objects.count() == 1


def test_a_bad_id_number_writes_nothing_and_says_why(staff, tree):
    with pytest.raises(ValidationError) as caught:
        register_person(
            actor=staff, community=tree["com_a"], name="某人", id_number="440602199001011238", phone="12345"
        )
    assert set(caught.value.message_dict) == {"id_number", "phone"}
    assert not Person.objects.exists()


def test_a_residents_scope_follows_their_home(residents, tree):
    lin, chen = residents
    assert lin.scope == tree["grid_a1"].path and chen.scope == tree["grid_a2"].path


def test_grid_workers_see_only_the_residents_of_their_grid(residents, user_for_role, verified_client):
    page = verified_client(user_for_role(Role.GRID_WORKER)).get("/people/").content.decode()
    assert "林小梅" in page and "陈志强" not in page


def test_building_leaders_see_masked_names(residents, user_for_role, verified_client):
    page = verified_client(user_for_role(Role.BUILDING_LEADER)).get("/people/").content.decode()
    assert "林**" in page and "林小梅" not in page


def test_person_page_shows_masked_numbers(residents, staff, verified_client):
    lin, _chen = residents
    html = verified_client(staff).get(f"/people/{lin.pk}/").content.decode()
    assert "4406**********1237" in html and "138****8001" in html
    assert "440602199001011237" not in html and "13800138001" not in html
    assert "富丰新城1座1单元101" in html


def test_a_person_in_another_community_is_not_found(residents, user_for_role, verified_client, tree):
    stranger = Person.objects.create(community=tree["com_b"], name="金旗峰居民")
    client = verified_client(user_for_role(Role.COMMUNITY_STAFF))
    assert client.get(f"/people/{stranger.pk}/").status_code == 404


@pytest.mark.parametrize("query", ["林小梅", "linxiaomei", "lxm", "8001", "富丰新城"])
def test_search_by_name_pinyin_initials_phone_tail_or_address(query, residents, staff, verified_client):
    page = verified_client(staff).get("/people/", {"q": query}).content.decode()
    assert "林小梅" in page


def test_the_registration_form_keeps_input_on_errors(staff, verified_client, tree):
    response = verified_client(staff).post(
        "/people/new/", {"community": tree["com_a"].pk, "name": "吴芳", "id_number": "440602199001011238", "phone": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="440602199001011238"' in html and 'value="吴芳"' in html
    assert "校验位" in html
    assert not Person.objects.exists()


def test_full_numbers_only_through_the_audited_reveal(residents, staff, verified_client):
    lin, _chen = residents
    client = verified_client(staff)
    response = client.post(
        "/pii/reveal/", {"model": "people.person", "pk": lin.pk, "field": "id_number", "reason": "核对低保申请"}
    )
    assert response.json() == {"value": "440602199001011237"}
    assert AuditEvent.objects.filter(action="pii.reveal", object_id=str(lin.pk)).exists()


def _rows(response):
    import io

    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_is_masked_audited_and_needs_reauthentication(residents, staff, verified_client):

    client = verified_client(staff)
    confirmed_seconds_ago(client, 3600)
    assert client.get("/people/export/")["Location"].startswith("/accounts/reauth/")
    confirmed_seconds_ago(client, 0)
    rows = _rows(client.get("/people/export/"))
    assert "导出人" in rows[0][0]
    text = str(rows)
    assert "4406**********1237" in text and "138****8001" in text
    assert "440602199001011237" not in text and "13800138001" not in text
    assert AuditEvent.objects.get(action="people.export").detail == {"rows": 2, "full": False, "query": "", "tag": ""}


def test_full_export_needs_a_reason_and_the_reveal_permission_and_is_only_a_request(
    residents, staff, user_for_role, verified_client
):
    from shuren.core.models import ExportRequest

    client = verified_client(staff)
    assert client.post("/people/export/", {"reason": ""}).status_code == 302
    assert not ExportRequest.objects.exists()
    response = client.post("/people/export/", {"reason": "报送民政局低保复核"})
    export = ExportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{export.pk}/"
    assert "440602199001011237" not in response.content.decode()  # no file: it awaits approval
    assert (export.status, export.rows, export.reason) == ("pending", 2, "报送民政局低保复核")
    assert AuditEvent.objects.get(action="export.request").reason == "报送民政局低保复核"
    worker = verified_client(user_for_role(Role.GRID_WORKER))
    assert worker.post("/people/export/", {"reason": "想看看"}).status_code == 403


@pytest.mark.parametrize("role", [Role.COMMUNITY_STAFF, Role.BUILDING_LEADER])
def test_the_residents_list_costs_the_same_queries_for_one_resident_or_many(
    role, staff, tree, homes, user_for_role, verified_client
):
    """A page of residents reads no more for more rows: names (masked for those who may not see them
    in full), gender, age, masked mobile and community come with the page's one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(staff if role == Role.COMMUNITY_STAFF else user_for_role(role))

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/people/", {"q": "林"})
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode()

    def resident(name, phone):
        person = register_person(actor=staff, community=tree["com_a"], name=name, phone=phone)
        add_residence(
            actor=staff,
            person=person,
            dwelling=homes[0],
            relation=ResidenceRelation.TENANT,
            status=ResidenceStatus.PERMANENT,
        )

    resident("林小梅", "13800138001")
    few, _html = page()
    for n in range(2, 8):
        resident(f"林{'一二三四五六七八'[n]}", f"1380013800{n}")
    many, html = page()
    assert html.count("138****800") == 7
    assert ("林小梅" in html) == (role == Role.COMMUNITY_STAFF) != ("林**" in html)
    assert many == few


def test_the_residents_list_shows_ages_in_whole_years_and_babies_in_months():
    import datetime as dt

    from django.utils import translation

    from shuren.people.views.console import age_in_words

    today = dt.date(2026, 12, 7)
    with translation.override("zh-hans"):
        assert age_in_words(dt.date(1981, 12, 8), today) == "44 岁"  # the birthday is tomorrow
        assert age_in_words(dt.date(1981, 12, 7), today) == "45 岁"
        assert age_in_words(dt.date(2026, 3, 20), today) == "8 个月"
        assert age_in_words(dt.date(2024, 2, 29), today) == "2 岁"
        assert age_in_words(None, today) == age_in_words(dt.date(2027, 1, 1), today) == "—"
    with translation.override("en"):
        assert age_in_words(dt.date(2025, 12, 7), today) == "1 year"
