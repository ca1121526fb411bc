"""Typed and imported input is cleaned at the root (core.validators): full-width digits and letters
from Chinese input methods, spaces and dashes in numbers, invisible characters in names."""

from __future__ import annotations

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from shuren.api.serializers import StrictSerializer
from shuren.core.validators import clean_text, normalize_phone, parse_id_number

ID_NUMBER = "440602199001011237"
ID_WITH_X = "11010519491231002X"
PHONE = "13800138001"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202a", "\u2066", "\x07"]


def _wide(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch


@st.composite
def typed_as(draw: st.DrawFn, value: str) -> str:
    """``value`` as people type it: each character half- or full-width (x or X too), with spaces,
    full-width spaces or dashes between some of them."""
    out = []
    for ch in value:
        ch = draw(st.sampled_from([ch, ch.lower()])) if ch.isalpha() else ch
        out.append(draw(st.sampled_from([ch, _wide(ch)])))
        out.append(draw(st.sampled_from(["", "", "", " ", "\u3000", "-", "－", "\u2014"])))
    return draw(st.sampled_from(["", " "])) + "".join(out)


@settings(deadline=None)
@given(st.one_of(typed_as(ID_NUMBER), typed_as(ID_WITH_X)))
def test_an_id_number_typed_full_width_spaced_or_dashed_is_the_same_number(typed: str) -> None:
    assert parse_id_number(typed).number in (ID_NUMBER, ID_WITH_X)


@settings(deadline=None)
@given(typed_as(PHONE), st.sampled_from(["", "+86", "＋８６", "0086", "(+86)", "（＋８６）"]))
def test_a_mobile_number_typed_full_width_spaced_or_dashed_is_the_same_number(typed: str, prefix: str) -> None:
    assert normalize_phone(prefix + typed) == "+86" + PHONE


@pytest.mark.parametrize("digit", ["١", "۱", "१"])
def test_digits_of_other_scripts_are_not_read_as_an_id_number(digit: str) -> None:
    """Full-width digits are folded; digits of other scripts (Arabic-Indic, Devanagari), which
    Python's isdigit() accepts, are not silently taken as an ID number's digits."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_id_number(ID_NUMBER[:5] + digit + ID_NUMBER[6:])


@settings(deadline=None)
@given(st.text(alphabet="张王林小梅欧阳娜 ·", min_size=1, max_size=8), st.lists(st.sampled_from(INVISIBLE), max_size=4))
def test_names_lose_invisible_characters_wherever_they_were(name: str, invisible: list[str]) -> None:
    mixed = "".join(ch + (invisible.pop() if invisible else "") for ch in name)
    assert clean_text(mixed) == " ".join(name.split())


def test_clean_text_folds_letters_and_digits_but_keeps_chinese_punctuation() -> None:
    assert clean_text("ＬＩＮ　小梅\u200b") == "LIN 小梅"
    assert clean_text("楼道灯坏了，请尽快修理（３栋）！") == "楼道灯坏了，请尽快修理（3栋）！"
    assert clean_text("第一行\r\n\u200b第二行 ", multiline=True) == "第一行\n第二行"
    assert clean_text("a \t\n b") == "a b"


class _Form(forms.Form):
    name = forms.CharField(max_length=10)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    password = forms.CharField(strip=False, required=False)
    count = forms.IntegerField(required=False)
    area = forms.DecimalField(required=False, decimal_places=2)


def test_decimal_fields_read_a_full_width_point() -> None:
    form = _Form({"name": "林", "area": "８９．５"})
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["area"]) == "89.5"


def test_every_form_text_field_is_cleaned_but_passwords_are_kept_exactly() -> None:
    form = _Form({"name": "\ufeff林小梅\u200b", "notes": "一\n二\u2060", "password": " p\u200bw ", "count": "１２"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "name": "林小梅",
        "notes": "一\n二",
        "password": " p\u200bw ",
        "count": 12,
        "area": None,
    }


@pytest.mark.parametrize(("typed", "number"), [("-5", -5), ("－５", -5), ("\u22125", -5), ("１ ２", 12), ("+3", 3)])
def test_number_fields_read_full_width_digits_and_keep_the_sign(typed: str, number: int) -> None:
    form = _Form({"name": "林", "count": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == number
    body = _Input(data={"name": "林", "count": typed})
    assert body.is_valid(), body.errors
    assert body.validated_data["count"] == number


def test_max_length_counts_the_cleaned_text() -> None:
    assert _Form({"name": "林" + "\u200b" * 20}).is_valid()


class _Input(StrictSerializer):
    name = serializers.CharField(max_length=10)
    password = serializers.CharField(trim_whitespace=False, required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    count = serializers.IntegerField(required=False)


def test_the_api_cleans_text_like_the_forms() -> None:
    body = _Input(data={"name": "\u202e林小梅\u00ad", "password": " x\u200b", "tags": ["Ａ\u200b"], "count": "１２"})
    assert body.is_valid(), body.errors
    assert body.validated_data == {"name": "林小梅", "password": " x\u200b", "tags": ["A"], "count": 12}


def test_the_api_cleans_form_encoded_bodies_too() -> None:
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.setlist("tags", ["a\u200b", "b"])
    data["name"] = "林\ufeff"
    body = _Input(data=data)
    assert body.is_valid(), body.errors
    assert body.validated_data == {"name": "林", "tags": ["a", "b"]}


# --- through a page, the API and an import ---------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(id_typed=typed_as(ID_NUMBER), phone_typed=typed_as(PHONE))
def test_registering_a_person_on_the_page_accepts_full_width_numbers(
    id_typed: str, phone_typed: str, user_for_role, verified_client, tree
) -> None:
    from shuren.accounts.roles import Role
    from shuren.people.models import Person

    Person.objects.all().delete()
    client = verified_client(user_for_role(Role.COMMUNITY_STAFF))
    response = client.post(
        "/people/new/",
        {"community": tree["com_a"].pk, "name": "林\u200b小梅", "id_number": id_typed, "phone": phone_typed},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert (person.id_number, person.phone, person.name) == (ID_NUMBER, "+86" + PHONE, "林小梅")


@pytestmark_db
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phone_typed=typed_as(PHONE))
def test_the_api_accepts_a_full_width_reporter_phone(phone_typed: str, user_for_role, tree) -> None:
    import uuid

    from rest_framework.test import APIClient

    from shuren.accounts.roles import Role
    from shuren.appeals.models import Appeal

    client = APIClient()
    client.force_authenticate(user_for_role(Role.COMMUNITY_STAFF))
    response = client.post(
        "/api/v1/appeals/",
        {
            "category": "other",
            "description": "楼道灯坏了",
            "area": tree["grid_a1"].pk,
            "channel": "phone",
            "reporter_name": "王\u200b大明",
            "reporter_phone": phone_typed,
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(pk=response.json()["id"])
    assert (appeal.reporter_phone, appeal.reporter_name) == ("+86" + PHONE, "王大明")


@pytestmark_db
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(id_typed=typed_as(ID_NUMBER), phone_typed=typed_as(PHONE))
def test_an_import_accepts_full_width_numbers(id_typed: str, phone_typed: str, user_for_role, tree) -> None:
    from conftest import make_xlsx

    from shuren.accounts.roles import Role
    from shuren.people.models import Person
    from shuren.people.services.imports import COLUMNS, import_residents
    from shuren.places.models import Estate
    from shuren.places.services import create_building, create_estate

    Person.objects.all().delete()
    staff = user_for_role(Role.COMMUNITY_STAFF)
    if not Estate.objects.filter(name="富丰新城").exists():
        estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
        create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=1, rooms_per_floor=1)
    row = ["\ufeff林小梅\u200b", id_typed, phone_typed, "富丰新城", "1座", "1单元", "101", "业主", "常住", "汉族"]
    result = import_residents(actor=staff, community=tree["com_a"], data=make_xlsx([row], COLUMNS))
    assert result.ok, result.errors
    person = Person.objects.get()
    assert (person.id_number, person.phone, person.name) == (ID_NUMBER, "+86" + PHONE, "林小梅")


def test_number_fields_let_the_browser_take_spaced_numbers() -> None:
    from shuren.core.forms import IdNumberField, PhoneField

    class _Numbers(forms.Form):
        id_number = IdNumberField(required=False)
        phone = PhoneField(required=False)

    html = str(_Numbers())
    assert 'maxlength="40"' in html and 'maxlength="18"' not in html
    form = _Numbers({"id_number": "4406 0219 9001 0112 37", "phone": "+86 138 - 0013 - 8001"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"id_number": ID_NUMBER, "phone": "+86" + PHONE}
