"""Personal numbers never reach a role without the reveal permission (SECURITY.md PII).

Every page and API route is requested, as every role that may not reveal personal data, with the
scoping matrix's objects (tests/scoped_objects.py) whose people, accounts and appeals carry known
mobile and ID numbers. No response body may hold one of those numbers in any written form (with
spaces or dashes, full-width, with the country code). The edit form of a person shows the number
masked: left as shown it is kept, typed anew it replaces it, and it is removed only on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from django.urls import reverse
from stdnum.cn import ric

from shuren.accounts.roles import Role, actions_for
from shuren.appeals.models import Appeal
from shuren.core.pii import REVEAL_ACTION
from shuren.people.models import Person
from tests.routes import all_routes
from tests.scoped_objects import OBJECT_ROUTES
from tests.test_scoping_matrix import _body_text, world  # noqa: F401  (the matrix's fixture)

pytestmark = pytest.mark.django_db

NO_REVEAL = [role.value for role in Role if REVEAL_ACTION not in actions_for(role)]

# Descriptions of the API, with no data in them.
SCHEMA_ROUTES = {"api:schema", "api:docs", "api:redoc"}

# The people the matrix's factories create (get_or_create by community and name), registered first
# with numbers; the factories then find them.
PEOPLE = ("居民", "住户", "巷长", "党员")


def _id_number(serial: int) -> str:
    body = f"44060219800101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def _phone(serial: int) -> str:
    return f"1390762{serial:04d}"


def _separators_removed(text: str) -> str:
    """The body as a reader would read the numbers in it: NFKC (full-width digits become ASCII),
    without the spaces and dashes people put between digit groups."""
    return re.sub(r"[\s\-\u2010-\u2015\u2212]+", "", unicodedata.normalize("NFKC", text)).upper()


@pytest.fixture
def numbered(world: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Numbers on everyone the matrix shows: residents, the members' accounts, appeals' reporters."""
    secrets: list[str] = []
    serial = 0
    for side in "abz":
        community = world[f"com_{side}"]
        for suffix in PEOPLE:
            serial += 1
            Person.objects.create(
                community=community,
                name=f"{community.name}{suffix}",
                phone=_phone(serial),
                id_number=_id_number(serial),
            )
            secrets += [_phone(serial), _id_number(serial)]
        serial += 1
        member = world[f"member_{side}"]
        member.phone = "+86" + _phone(serial)
        member.save()
        secrets.append(_phone(serial))
    # Community A's people live in its first grid, where the grid-level roles are granted.
    Person.objects.filter(community=world["com_a"]).update(scope=world["grid_a1"].path)
    # Create every matrix object now, then give the appeals a reporter with a number.
    for factory in set(OBJECT_ROUTES.values()):
        for side in "abz":
            factory(world, side)
    for appeal in Appeal.objects.all():
        serial += 1
        appeal.reporter_name = "报告人"
        appeal.reporter_phone = "+86" + _phone(serial)
        appeal.save(update_fields=["reporter_name", "reporter_phone"])
        secrets.append(_phone(serial))
    return {"world": world, "secrets": secrets}


def _leaks(text: str, secrets: list[str]) -> list[str]:
    readable = _separators_removed(text)
    return [secret for secret in secrets if secret.upper() in readable]


@pytest.mark.single_pass
@pytest.mark.slow
@pytest.mark.parametrize("role", NO_REVEAL)
def test_no_page_or_api_response_shows_a_personal_number_to_a_role_without_reveal(
    role: str, numbered: dict[str, Any], user_for_role: Any, verified_client: Any
) -> None:
    matrix, secrets = numbered["world"], numbered["secrets"]
    client = verified_client(user_for_role(role))
    checked = 0
    for route in all_routes():
        if route.name.startswith(("healthz", "readyz", "^")) or route.name in SCHEMA_ROUTES:
            continue
        # Community A's objects: the roles are granted there (the matrix proves B and Z answer 404).
        kwargs = OBJECT_ROUTES[route.name](matrix, "a")[0] if route.converters else {}
        response = client.get(reverse(route.name, kwargs=kwargs or None))
        assert response.status_code < 500, (route.name, role, response.status_code)
        assert not _leaks(_body_text(response), secrets), (route.name, role)
        checked += 1
    assert checked > 100


def test_the_leak_check_reads_numbers_in_any_written_form() -> None:
    """The check itself: spaced, dashed, full-width, with the country code, lower-case x."""
    phone, number = _phone(1), _id_number(7)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in phone)
    for text in (phone, "139 0762 0001", "139-0762-0001", "+86 139 0762 0001", wide, f"<td>{number.lower()}</td>"):
        assert _leaks(text, [phone, number]), text
    assert not _leaks("139****0001 4406**********" + number[-4:], [phone, number])


# --- the edit form ---------------------------------------------------------------------------------


@pytest.fixture
def resident(tree: dict[str, Any]) -> Person:
    return Person.objects.create(
        community=tree["com_a"], name="林小梅", phone="+8613907620001", id_number=_id_number(1)
    )


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
    assert not _leaks(text, ["13907620001"])
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
    assert not _leaks(response.content.decode(), ["13907620001"])
    resident.refresh_from_db()
    assert resident.phone == "+8613907620001"


def test_a_new_number_and_remove_together_are_refused(grid_worker_client: Any, resident: Person) -> None:
    response = _edit(grid_worker_client, resident, phone="13800138005", remove_phone="on")
    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.phone == "+8613907620001"
