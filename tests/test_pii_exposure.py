"""Personal numbers never reach a role without the reveal permission (SECURITY.md PII).

The scoping matrix (tests/test_scoping_matrix.py) requests every page and API route as every role
with the objects of tests/scoped_objects.py; its ``numbered`` fixture gives their people, accounts
and appeals known mobile and ID numbers (made here), and ``leaks`` finds them in a response body in any
written form (with spaces or dashes, full-width, with the country code): no response to a role
without the reveal permission may hold one. The edit form of a person shows the number masked: left
as shown it is kept, typed anew it replaces it, and it is removed only on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from django.urls import reverse
from stdnum.cn import ric

from shuren.people.models import Person

pytestmark = pytest.mark.django_db

# Descriptions of the API, with no data in them.
SCHEMA_ROUTES = {"api:schema", "api:docs", "api:redoc"}

# The people the matrix's factories create (get_or_create by community and name), registered first
# with numbers; the factories then find them.
PEOPLE = ("居民", "住户", "巷长", "党员")


def id_number(serial: int) -> str:
    body = f"44060219800101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def mobile_number(serial: int) -> str:
    return f"1390762{serial:04d}"


def _separators_removed(text: str) -> str:
    """The body as a reader would read the numbers in it: NFKC (full-width digits become ASCII),
    without the spaces and dashes people put between digit groups."""
    return re.sub(r"[\s\-\u2010-\u2015\u2212]+", "", unicodedata.normalize("NFKC", text)).upper()


def leaks(text: str, secrets: list[str]) -> list[str]:
    readable = _separators_removed(text)
    return [secret for secret in secrets if secret.upper() in readable]


def test_the_leak_check_reads_numbers_in_any_written_form() -> None:
    """The check itself: spaced, dashed, full-width, with the country code, lower-case x."""
    phone, number = mobile_number(1), id_number(7)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in phone)
    for text in (phone, "139 0762 0001", "139-0762-0001", "+86 139 0762 0001", wide, f"<td>{number.lower()}</td>"):
        assert leaks(text, [phone, number]), text
    assert not leaks("139****0001 4406**********" + number[-4:], [phone, number])


# --- the edit form ---------------------------------------------------------------------------------


@pytest.fixture
def resident(tree: dict[str, Any]) -> Person:
    return Person.objects.create(community=tree["com_a"], name="林小梅", phone="+8613907620001", id_number=id_number(1))


@pytest.fixture
def grid_worker_client(user_for_role: Any, verified_client: Any, resident: Person) -> Any:
    from shuren.accounts.roles import Role

    Person.objects.filter(pk=resident.pk).update(scope=resident.community.children.order_by("code").first().path)
    return verified_client(user_for_role(Role.GRID_WORKER))


def _edit(client: Any, person: Person, **data: str) -> Any:
    return client.post(
        reverse("people:person_edit", kwargs={"pk": person.pk}), {"name": person.name, "ethnicity": "汉族", **data}
    )


def test_the_edit_form_shows_the_mobile_number_masked(grid_worker_client: Any, resident: Person) -> None:
    page = grid_worker_client.get(reverse("people:person_edit", kwargs={"pk": resident.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert not leaks(text, ["13907620001"])
    assert 'value="139****0001"' in text


def test_leaving_the_masked_number_keeps_it(grid_worker_client: Any, resident: Person) -> None:
    response = _edit(grid_worker_client, resident, phone="139****0001", name="林小美")
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "+8613907620001" and resident.name == "林小美"


def test_an_empty_number_field_keeps_the_number(grid_worker_client: Any, resident: Person) -> None:
    assert _edit(grid_worker_client, resident, phone="").status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "+8613907620001"


def test_a_new_number_replaces_it_without_showing_the_old_one(grid_worker_client: Any, resident: Person) -> None:
    assert _edit(grid_worker_client, resident, phone="１３８ ００１３-８００５").status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "+8613800138005"


def test_the_number_is_removed_only_on_purpose(grid_worker_client: Any, resident: Person) -> None:
    assert _edit(grid_worker_client, resident, phone="139****0001", remove_phone="on").status_code == 302
    resident.refresh_from_db()
    assert resident.phone == ""


def test_a_half_edited_mask_is_refused_and_the_page_does_not_show_the_number(
    grid_worker_client: Any, resident: Person
) -> None:
    response = _edit(grid_worker_client, resident, phone="139****0002")
    assert response.status_code == 200 and "139****0002" in response.content.decode()
    assert not leaks(response.content.decode(), ["13907620001"])
    resident.refresh_from_db()
    assert resident.phone == "+8613907620001"


def test_a_new_number_and_remove_together_are_refused(grid_worker_client: Any, resident: Person) -> None:
    response = _edit(grid_worker_client, resident, phone="13800138005", remove_phone="on")
    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.phone == "+8613907620001"
