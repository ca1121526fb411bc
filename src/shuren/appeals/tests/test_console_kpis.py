"""The KPI page, notifications and the navigation entries of the appeals console."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from shuren.appeals import services
from shuren.appeals.testing import appeal_notices
from shuren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

KPIS = reverse("appeals:kpis")


def _through(world, appeal, *, solved: bool, satisfaction: int):
    staff, handler, resident = world.users["staff"], world.users["handler"], world.users["resident"]
    appeal = services.dispatch_appeal(
        actor=staff, appeal=appeal, version=appeal.version, organization=world.property_manager
    )
    appeal = services.take_up_appeal(actor=handler, appeal=appeal, version=appeal.version)
    appeal = services.resolve_appeal(actor=handler, appeal=appeal, version=appeal.version, resolution="已处理")
    return services.give_feedback(
        actor=resident, appeal=appeal, version=appeal.version, is_solved=solved, satisfaction=satisfaction
    )


@pytest.fixture
def season(appeal_world):
    """Two appeals handled and rated (one solved and satisfied, one not), one rejected, one merged."""
    staff = appeal_world.users["staff"]
    good = appeal_world.submit()
    repeat = appeal_world.submit(description="1座楼道又有人拉飞线充电")
    services.merge_appeal(actor=staff, appeal=repeat, version=repeat.version, into=good)
    good.refresh_from_db()
    _through(appeal_world, good, solved=True, satisfaction=5)
    bad = appeal_world.submit(category="lift", description="2座电梯停在五楼不动了")
    _through(appeal_world, bad, solved=False, satisfaction=2)
    rejected = appeal_world.submit(category="noise", description="隔壁小区工地夜间施工")
    services.reject_appeal(actor=staff, appeal=rejected, version=rejected.version, reason="不属于本社区")
    return appeal_world


def kpi(page: str, name: str) -> str:
    return page.split(f'data-kpi="{name}">')[1].split("</div>")[0]


def test_the_kpi_page_shows_the_rates_with_what_they_count(season, verified_client):
    page = verified_client(season.users["staff"]).get(KPIS).content.decode()
    assert kpi(page, "counted") == "2"
    assert kpi(page, "response_rate").startswith("100.0%") and "(2/2)" in kpi(page, "response_rate")
    assert kpi(page, "resolution_rate").startswith("50.0%") and "(1/2)" in kpi(page, "resolution_rate")
    assert kpi(page, "satisfaction_rate").startswith("50.0%") and "(1/2)" in kpi(page, "satisfaction_rate")
    assert "(2/2)" in kpi(page, "on_time_resolution_rate")
    assert kpi(page, "overdue") == "0" and kpi(page, "repeats") == "1"
    by_org = page.split('data-testid="kpi-by-organization"')[1].split("</section>")[0]
    assert "富丰物业" in by_org
    for table in ("area", "estate", "category"):
        assert f'data-testid="kpi-by-{table}"' in page
    assert "电梯故障" in page.split('data-testid="kpi-by-category"')[1]


def test_rates_with_nothing_to_count_show_a_dash(appeal_world, verified_client):
    page = verified_client(appeal_world.users["staff"]).get(KPIS).content.decode()
    assert kpi(page, "counted") == "0"
    assert "—" in kpi(page, "satisfaction_rate") and "%" not in kpi(page, "satisfaction_rate")


def test_a_handler_reads_the_kpis_of_its_own_organisation_only(season, verified_client):
    page = verified_client(season.users["other_handler"]).get(KPIS).content.decode()
    assert kpi(page, "counted") == "0" and "富丰物业" not in page
    page = verified_client(season.users["handler"]).get(KPIS).content.decode()
    assert kpi(page, "counted") == "2"


def test_the_period_limits_what_is_counted(season, verified_client):
    page = verified_client(season.users["staff"]).get(KPIS, {"start": "2020-01-01", "end": "2020-12-31"})
    assert kpi(page.content.decode(), "counted") == "0"


def test_the_kpi_export_is_audited(season, verified_client):
    from openpyxl import load_workbook

    response = verified_client(season.users["staff"]).get(reverse("appeals:kpi_export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    whole = rows[2]
    assert whole[2] == 2 and whole[6] == 50.0  # counted; resolution rate in %
    assert any(row[1] == "富丰物业" for row in rows[3:])
    assert AuditEvent.objects.get(action="appeals.kpi_export").detail["rows"] == len(rows) - 2


def test_kpis_need_their_permission(appeal_world, make_user, verified_client):
    from shuren.accounts.roles import Role

    leader = make_user(Role.BUILDING_LEADER, appeal_world.tree["grid_a1"])
    assert verified_client(leader).get(KPIS).status_code == 403


# --- notifications -------------------------------------------------------------------------------


def test_a_handlers_notice_is_in_the_inbox_and_the_old_page_leads_there(appeal_world, verified_client):
    appeal = appeal_world.submit()
    services.dispatch_appeal(
        actor=appeal_world.users["staff"],
        appeal=appeal,
        version=appeal.version,
        organization=appeal_world.property_manager,
    )
    client = verified_client(appeal_world.users["handler"])
    old = client.get(reverse("appeals:notification_list"))
    assert (old.status_code, old["Location"]) == (301, reverse("notifications:inbox"))
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert appeal.reference in page
    note = appeal_notices(recipient=appeal_world.users["handler"]).get()
    assert note.kind == "appeals.assigned" and note.link == reverse("appeals:appeal_detail", args=[appeal.pk])
    assert "新诉求" in note.text and str(appeal.category) in note.text


def test_the_old_mark_read_form_leads_to_the_inbox_and_marks_nothing(appeal_world, verified_client):
    appeal = appeal_world.submit()
    services.dispatch_appeal(
        actor=appeal_world.users["staff"],
        appeal=appeal,
        version=appeal.version,
        organization=appeal_world.property_manager,
    )
    note = appeal_notices(recipient=appeal_world.users["handler"]).get()
    client = verified_client(appeal_world.users["other_handler"])
    assert appeal.reference not in client.get(reverse("notifications:inbox")).content.decode()
    response = client.post(reverse("appeals:notification_read"), {"all": "1"})
    assert response["Location"] == reverse("notifications:inbox")
    note.refresh_from_db()
    assert note.read_at is None


# --- navigation ----------------------------------------------------------------------------------


def test_navigation_offers_the_appeal_pages_by_role(appeal_world, make_user, verified_client):
    from shuren.accounts.roles import Role
    from shuren.web.navigation import navigation_for

    def names(user):
        return {item.url_name for item in navigation_for(user)}

    staff = names(appeal_world.users["staff"])
    assert {"appeals:appeal_list", "appeals:kpis", "appeals:rule_list"} <= staff
    assert "appeals:category_list" not in staff and "appeals:handler_list" not in staff
    handler = names(appeal_world.users["handler"])
    assert "appeals:handler_list" in handler and "appeals:appeal_list" not in handler
    admin = names(make_user(Role.SYSTEM_ADMIN, None))
    assert {"appeals:category_list", "appeals:workday_list"} <= admin
