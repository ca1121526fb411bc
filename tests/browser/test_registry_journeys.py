"""Registry journeys: importing residents with mistakes, fixing them, and seeing only one's grid."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_xlsx

from shuren.accounts.roles import Role
from shuren.people.models import Person
from shuren.people.services.imports import COLUMNS
from shuren.places.services import create_building, create_estate
from tests.browser.a11y import assert_accessible
from tests.browser.test_sign_in_journeys import _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)
LEADER_HOME = "**/orgs/posts/mine/"

ROWS = [
    ["林小梅", "440602199001011237", "13800138001", "富丰新城", "1座", "1单元", "101", "业主", "常住", "汉族"],
    ["陈志强", "", "13900139002", "富丰新城", "1座", "1单元", "102", "租户", "流动", ""],
]


def workbook(rows: list[list[str]]) -> bytes:
    return make_xlsx(rows, COLUMNS)


@pytest.fixture
def fufeng(user_for_role: Any, tree: dict[str, Any]) -> Any:
    staff = user_for_role(Role.COMMUNITY_STAFF)
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2)
    create_building(actor=staff, estate=estate, grid=tree["grid_a2"], number="2座", floors=2, rooms_per_floor=2)
    return staff


def upload(page: Any, base_url: str, data: bytes) -> None:
    page.goto(f"{base_url}/people/import/")
    page.select_option("select[name=community]", label="大新社区")
    page.set_input_files(
        "input[name=file]", files=[{"name": "居民.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
    )
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")  # not the header's sign-out button


def test_staffer_sees_every_bad_row_then_imports_the_fixed_file(page: Any, live_server: Any, fufeng: Any) -> None:
    _sign_in_with_code(page, live_server.url, fufeng)
    bad = ROWS + [["王五", "440602199001011238", "12345", "富丰新城", "1座", "1单元", "999", "业主", "常住", ""]]
    upload(page, live_server.url, workbook(bad))
    errors = page.locator("[data-testid=import-error-table] tbody tr")
    assert errors.count() == 3  # ID check character, phone, unknown room — all on row 4
    assert all(text.startswith("4") for text in errors.all_inner_texts())
    assert "校验位" in page.content()
    assert_accessible(page)  # the import page listing the bad rows
    assert Person.objects.count() == 0
    upload(page, live_server.url, workbook(ROWS))
    page.wait_for_url("**/people/")
    assert "已导入 2 位居民" in page.content()
    assert "林小梅" in page.content() and "陈志强" in page.content()


def test_grid_worker_sees_only_their_grid_on_a_phone(
    phone_page: Any, live_server: Any, fufeng: Any, user_for_role: Any, tree: dict[str, Any]
) -> None:
    from shuren.people.services.imports import import_residents

    rows = ROWS + [["何嘉豪", "", "", "富丰新城", "2座", "1单元", "101", "家庭成员", "常住", ""]]
    assert import_residents(actor=fufeng, community=tree["com_a"], data=workbook(rows)).ok
    worker = user_for_role(Role.GRID_WORKER)
    _sign_in_with_code(phone_page, live_server.url, worker)
    phone_page.goto(f"{live_server.url}/people/")
    text = phone_page.content()
    assert "林小梅" in text and "陈志强" in text and "何嘉豪" not in text
    phone_page.goto(f"{live_server.url}/places/estates/")
    with phone_page.expect_navigation():  # count() does not wait: read the estate's page, not the list's
        phone_page.click("text=富丰新城")
    assert phone_page.locator("text=1座").count() >= 1 and phone_page.locator("text=2座").count() == 0


def test_building_leader_records_a_visit_on_a_phone(
    phone_page: Any, live_server: Any, user_for_role: Any, tree: dict[str, Any]
) -> None:
    from shuren.people.models import PersonTag, PersonTagging, Visit, VisitRule

    tag = PersonTag.objects.create(code="elderly-alone", name="独居老人", is_sensitive=True)
    VisitRule.objects.create(tag=tag, interval_days=7)
    elder = Person.objects.create(community=tree["com_a"], name="黄伯荣", scope=tree["grid_a1"].path)
    PersonTagging.objects.create(person=elder, tag=tag)
    leader = user_for_role(Role.BUILDING_LEADER)
    _sign_in_with_code(phone_page, live_server.url, leader, landing=LEADER_HOME)
    phone_page.goto(f"{live_server.url}/people/visits/")
    overdue = phone_page.locator("[data-testid=overdue-visits] li")
    assert overdue.count() == 1 and "黄**" in overdue.inner_text()
    with phone_page.expect_navigation():
        overdue.locator("a.btn").click()
    phone_page.select_option("select[name=purpose]", "care")
    phone_page.fill("textarea[name=findings]", "血压平稳，独自在家，已提醒按时服药")
    assert_accessible(phone_page)  # the visit form on the phone
    with phone_page.expect_navigation():
        phone_page.click("[data-testid=save-visit]")
    assert "已提醒按时服药" in phone_page.locator("[data-testid=recent-visits]").inner_text()
    assert "黄**" not in phone_page.locator("[data-testid=overdue-visits]").inner_text()  # no longer due
    assert Visit.objects.get().visitor == leader
    assert phone_page.console_errors == []


def test_building_leader_starts_from_their_buildings_on_a_phone(
    phone_page: Any, live_server: Any, fufeng: Any, user_for_role: Any, tree: dict[str, Any]
) -> None:
    """楼长制: the leader signs in on a phone, lands on their buildings, sees who is due a visit (names
    masked), records it from there, and the item leaves the due list."""
    from shuren.orgs.models import PostKind
    from shuren.orgs.services import assign_post
    from shuren.people.models import PersonTag, PersonTagging, Visit, VisitRule
    from shuren.people.services import add_residence
    from shuren.places.models import Building, Dwelling

    tag = PersonTag.objects.create(code="elderly-alone", name="独居老人", is_sensitive=True)
    VisitRule.objects.create(tag=tag, interval_days=7)
    building = Building.objects.get(number="1座")
    people = {}
    for name, room in (("梁叔明", "101"), ("欧阳淑芬", "201")):
        people[name] = Person.objects.create(community=tree["com_a"], name=name)
        dwelling = Dwelling.objects.get(unit__building=building, room=room)
        add_residence(actor=fufeng, person=people[name], dwelling=dwelling, relation="owner", status="permanent")
    PersonTagging.objects.create(person=people["欧阳淑芬"], tag=tag)
    leader = user_for_role(Role.BUILDING_LEADER)
    people["梁叔明"].user = leader
    people["梁叔明"].save()
    assign_post(
        actor=fufeng,
        kind=PostKind.objects.get(code=PostKind.BUILDING_LEADER),
        person=people["梁叔明"],
        area=tree["grid_a1"],
        buildings=[building],
    )

    _sign_in_with_code(phone_page, live_server.url, leader, landing=LEADER_HOME)
    assert phone_page.locator("h1").inner_text().strip() == "我的楼栋"
    assert "富丰新城 1座" in phone_page.locator("main").inner_text()
    due = phone_page.locator("[data-testid=due] li")
    assert due.count() == 1 and "欧阳**" in due.inner_text() and "淑芬" not in due.inner_text()
    assert phone_page.locator("[data-testid=residents] li").count() == 2
    with phone_page.expect_navigation():
        due.locator("a.btn").click()
    phone_page.select_option("select[name=purpose]", "care")
    phone_page.fill("textarea[name=findings]", "老人精神好，家中燃气已检查")
    with phone_page.expect_navigation():
        phone_page.click("[data-testid=save-visit]")
    phone_page.goto(f"{live_server.url}/orgs/posts/mine/")
    assert "没有逾期的走访" in phone_page.locator("[data-testid=due]").inner_text()
    assert Visit.objects.get().person == people["欧阳淑芬"]
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert phone_page.console_errors == []
