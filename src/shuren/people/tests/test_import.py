"""Importing residents: validate everything, report every bad row, write all or nothing."""

from __future__ import annotations

import io

import pytest
from conftest import make_xlsx
from django.core.management import call_command
from openpyxl import load_workbook

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.people.models import Person, Residence
from shuren.people.services.imports import COLUMNS, blank_template, import_residents
from shuren.places.services import create_building, create_estate

pytestmark = pytest.mark.django_db

GOOD = [
    ["林小梅", "440602199001011237", "13800138001", "富丰新城", "1座", "1单元", "101", "业主", "常住", "汉族"],
    ["陈志强", "", "139 0013 9002", "富丰新城", "1座", "1单元", "102", "租户", "流动", ""],
]


def xlsx(rows: list[list[object]], headings: list[str] = COLUMNS) -> bytes:
    return make_xlsx(rows, headings)


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def estate(staff, tree):
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2)
    return estate


def test_a_clean_file_imports_people_with_their_homes(staff, tree, estate):
    result = import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD))
    assert result.ok and result.created == 2
    lin = Person.objects.get(name="林小梅")
    assert lin.phone == "+8613800138001" and lin.scope == tree["grid_a1"].path
    assert Residence.objects.get(person__name="陈志强").relation == "tenant"
    assert AuditEvent.objects.get(action="people.import").detail["created"] == 2


def test_every_bad_row_is_reported_and_nothing_is_written(staff, tree, estate):
    rows = GOOD + [
        ["", "440602199001011238", "12345", "富丰新城", "1座", "1单元", "101", "房东", "常住", ""],
        ["吴芳", "440602199001011237", "", "富丰新城", "9座", "1单元", "101", "业主", "暂住", ""],
    ]
    result = import_residents(actor=staff, community=tree["com_a"], data=xlsx(rows))
    assert not result.ok and result.created == 0
    found = {(e.row, e.column) for e in result.errors}
    assert {(4, "姓名"), (4, "身份证号"), (4, "手机号"), (4, "与房屋关系")} <= found
    assert {(5, "身份证号"), (5, "房号"), (5, "居住类型")} <= found
    duplicate = next(e for e in result.errors if e.row == 5 and e.column == "身份证号")
    assert "2" in duplicate.reason  # points at the first row holding that number
    assert Person.objects.count() == 0 and Residence.objects.count() == 0


def test_people_already_registered_are_refused(staff, tree, estate):
    import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD[:1]))
    result = import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD))
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    assert Person.objects.count() == 1


def test_a_dry_run_checks_without_writing(staff, tree, estate):
    result = import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD), dry_run=True)
    assert result.ok and result.rows == 2 and not Person.objects.exists()


def test_a_file_with_wrong_columns_or_not_excel_is_refused(staff, tree, estate):
    assert import_residents(actor=staff, community=tree["com_a"], data=b"name,phone\n").errors[0].row == 1
    wrong = import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD, headings=["name"] * 10))
    assert "姓名" in wrong.errors[0].column


def test_the_template_round_trips(staff, tree, estate):
    sheet = load_workbook(io.BytesIO(blank_template())).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert import_residents(actor=staff, community=tree["com_a"], data=blank_template()).ok


def test_command_line_import_exits_1_on_any_bad_row(tree, estate, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(GOOD + [["王五", "", "", "富丰新城", "1座", "1单元", "999", "业主", "常住", ""]]))
    with pytest.raises(SystemExit) as exited:
        call_command("import", "residents", str(bad), "--community", tree["com_a"].path)
    assert exited.value.code == 1
    assert "row 4" in capsys.readouterr().err and not Person.objects.exists()
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(GOOD))
    call_command("import", "residents", str(good), "--community", tree["com_a"].path, "--dry-run")
    assert not Person.objects.exists()
    call_command("import", "residents", str(good), "--community", tree["com_a"].path)
    assert Person.objects.count() == 2


def test_the_import_page_lists_errors_then_imports_the_fixed_file(staff, verified_client, tree, estate):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(staff)
    bad = SimpleUploadedFile(
        "r.xlsx", xlsx(GOOD + [["王五", "", "", "富丰新城", "1座", "1单元", "999", "业主", "常住", ""]])
    )
    page = client.post("/people/import/", {"community": tree["com_a"].pk, "file": bad}).content.decode()
    assert 'data-testid="import-error-table"' in page and "999" in page
    assert not Person.objects.exists()
    good = SimpleUploadedFile("r.xlsx", xlsx(GOOD))
    response = client.post("/people/import/", {"community": tree["com_a"].pk, "file": good})
    assert response.status_code == 302 and Person.objects.count() == 2


def test_staff_cannot_import_into_another_community(user_for_role, tree, estate):
    from shuren.core.errors import OutOfScope

    with pytest.raises(OutOfScope):
        import_residents(actor=user_for_role(Role.COMMUNITY_STAFF), community=tree["com_b"], data=xlsx(GOOD))


def test_imported_people_are_stored_as_saving_them_would_store_them(staff, tree, estate):
    """The import writes table rows, not model instances: each must hold what Person.save and
    Residence.save would have stored."""
    rows = GOOD + [["曾小明", "11010519491231002X", "", "富丰新城", "1座", "1单元", "201", "家庭成员", "户籍", "回族"]]
    assert import_residents(actor=staff, community=tree["com_a"], data=xlsx(rows)).created == 3
    for person in Person.objects.all():
        stored = (person.scope, person.id_index, person.phone_index, person.phone_tail, person.name_pinyin)
        person.derive_fields()
        assert stored == (person.scope, person.id_index, person.phone_index, person.phone_tail, person.name_pinyin)
        assert person.created_at is not None and person.updated_at == person.created_at and person.version == 1
        person.full_clean(exclude=["user"])
        residence = person.residences.get()
        assert residence.scope == residence.dwelling.scope and residence.is_current
    zeng = Person.objects.get(name="曾小明")
    assert (zeng.id_number, zeng.birth_date.isoformat(), zeng.gender) == ("11010519491231002X", "1949-12-31", "F")
    assert (zeng.ethnicity, zeng.name_pinyin, zeng.name_initials) == ("回族", "zengxiaoming", "zxm")
    assert Person.objects.get(name="陈志强").phone == "+8613900139002"


def test_the_import_gives_no_one_the_id_of_a_person_deleted_before(staff, tree, estate):
    import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD[:1]))
    deleted = Person.objects.get().pk
    Residence.objects.all().delete()
    Person.objects.all().delete()
    import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD[1:]))
    assert Person.objects.get().pk > deleted


def test_a_file_with_too_many_rows_is_refused_and_nothing_is_written(staff, tree, estate, monkeypatch):
    from shuren.core import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 1)
    result = import_residents(actor=staff, community=tree["com_a"], data=xlsx(GOOD))
    assert result.errors == [spreadsheets.too_many_rows(3)] and not Person.objects.exists()
