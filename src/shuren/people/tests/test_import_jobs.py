"""Large imports run by a worker (Django's Tasks API, database backend) with a progress page."""

from __future__ import annotations

import pytest
from conftest import make_xlsx
from django.core.management import call_command
from django.urls import reverse

from shuren.accounts.roles import Role
from shuren.people.models import ImportJob, ImportStatus, Person
from shuren.people.services.imports import COLUMNS
from shuren.people.tasks import queue_import
from shuren.places.services import create_building, create_estate

# The worker takes its own (exclusive) transactions, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

GOOD = [
    ["林小梅", "440602199001011237", "13800138001", "富丰新城", "1座", "1单元", "101", "业主", "常住", "汉族"],
    ["陈志强", "", "13900139002", "富丰新城", "1座", "1单元", "102", "租户", "流动", ""],
]


@pytest.fixture
def staff(user_for_role, tree):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2)
    return staff


def work_off_the_queue() -> None:
    """What `shuren db_worker` does in production, once over everything queued."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_queued_import_is_run_by_the_worker_and_the_file_is_wiped(staff, tree):
    job = queue_import(
        actor=staff, community=tree["com_a"], file_name="居民.xlsx", data=make_xlsx(GOOD, COLUMNS), dry_run=False
    )
    assert job.status == ImportStatus.QUEUED and bytes(job.data) and b"440602" not in bytes(job.data)  # encrypted
    assert not Person.objects.exists()
    work_off_the_queue()
    job.refresh_from_db()
    assert (job.status, job.created, job.rows_checked, bytes(job.data)) == (ImportStatus.DONE, 2, 2, b"")
    assert set(Person.objects.values_list("name", flat=True)) == {"林小梅", "陈志强"}
    work_off_the_queue()  # nothing left to do: nobody is imported twice
    assert Person.objects.count() == 2


def test_a_file_with_bad_rows_is_rejected_with_every_error_and_nothing_written(staff, tree):
    bad = [*GOOD, ["王五", "123", "12345", "富丰新城", "9座", "1单元", "101", "房东", "常住", ""]]
    job = queue_import(
        actor=staff, community=tree["com_a"], file_name="居民.xlsx", data=make_xlsx(bad, COLUMNS), dry_run=False
    )
    work_off_the_queue()
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert {(row, column) for row, column, _reason in job.errors} >= {(4, "身份证号"), (4, "手机号"), (4, "与房屋关系")}
    assert not Person.objects.exists()


def test_large_uploads_go_to_the_worker_and_the_page_shows_progress_then_the_outcome(
    staff, tree, verified_client, settings
):
    settings.SHUREN_IMPORT_INLINE_BYTES = 0  # every file counts as large here
    client = verified_client(staff)
    upload = make_xlsx(GOOD, COLUMNS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("people:import"),
        {"community": tree["com_a"].pk, "file": SimpleUploadedFile("居民.xlsx", upload)},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("people:import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page and "hx-trigger" in page
    work_off_the_queue()
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="done"' in partial and "hx-trigger" not in partial and "<html" not in partial
    assert Person.objects.count() == 2


def test_import_jobs_are_scoped(staff, tree, make_user, verified_client):
    job = queue_import(
        actor=staff, community=tree["com_a"], file_name="a.xlsx", data=make_xlsx(GOOD, COLUMNS), dry_run=True
    )
    other = make_user(Role.COMMUNITY_STAFF, tree["com_b"])
    assert verified_client(other).get(reverse("people:import_job", args=[job.pk])).status_code == 404


def test_a_queued_reimport_lists_the_residents_already_registered_on_the_job_page(
    staff, tree, verified_client, settings
):
    settings.SHUREN_IMPORT_INLINE_BYTES = 0  # every file goes to the worker
    client = verified_client(staff)
    without_ids = [[name, "", *rest] for name, _id, *rest in GOOD]
    from django.core.files.uploadedfile import SimpleUploadedFile

    for _ in range(2):
        upload = SimpleUploadedFile("居民.xlsx", make_xlsx(without_ids, COLUMNS))
        response = client.post(reverse("people:import"), {"community": tree["com_a"].pk, "file": upload})
        work_off_the_queue()
    second = ImportJob.objects.latest("pk")
    assert (second.status, second.created) == (ImportStatus.DONE, 0)
    assert [row for row, _column, _reason in second.duplicates] == [2, 3]
    assert Person.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-duplicates"' in page
    assert "第2行" in page and "第3行" in page
