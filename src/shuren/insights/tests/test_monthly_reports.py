"""Monthly reports: requested from the dashboard, made by the task worker as xlsx and PDF with the
month's figures, downloaded by those who may read the area, and e-mailed when asked."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from shuren.accounts.models import User
from shuren.audit.models import AuditEvent
from shuren.insights.figures import kpis_for
from shuren.insights.models import MonthlyReport, ReportStatus
from shuren.notifications.models import Message
from shuren.places.models import Area

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs each task in its own transaction


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def community(db):
    call_command("demo", stdout=io.StringIO())
    return Area.objects.get(path="440605.01.017")


def test_a_report_is_prepared_downloaded_and_emailed(community, verified_client):
    client = verified_client(User.objects.get(username="community_staff"))
    month = timezone.localdate().replace(day=1)
    response = client.post(
        f"/insights/areas/{community.pk}/reports/",
        {"month": f"{month:%Y-%m}", "email_to": "shuji@example.cn, zhan@example.cn"},
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.QUEUED and report.language == "zh-hans"
    run_worker()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error

    html = client.get(f"/insights/areas/{community.pk}/reports/").content.decode()
    assert 'data-testid="download-pdf"' in html
    xlsx = client.get(f"/insights/reports/{report.pk}.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith(f'{month:%Y-%m}.xlsx"')
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "大新社区月度报告" in cells
    received = kpis_for(community, month, timezone.localdate())["received"]
    appeals = book.worksheets[2]
    rows = {row[0]: row[1] for row in appeals.iter_rows(values_only=True) if row and row[0]}
    assert rows["受理诉求数"] == received
    pdf = client.get(f"/insights/reports/{report.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="insights.report_downloaded").count() == 2

    [message] = mail.outbox
    assert message.to == ["shuji@example.cn", "zhan@example.cn"] and "大新社区" in message.subject
    assert sorted(name.rsplit(".", 1)[1] for name, _content, _type in message.attachments) == ["pdf", "xlsx"]

    # Whoever asked finds in their inbox that the report is ready (in-app only unless they chose e-mail).
    [ready] = Message.objects.filter(kind="insights.report")
    assert (ready.recipient.username, ready.channel, ready.event_key) == (
        "community_staff",
        "inapp",
        f"report:{report.pk}:ready",
    )
    assert ready.subject == f"大新社区{month:%Y-%m}月度报告已生成"
    assert ready.link == f"/insights/areas/{community.pk}/reports/"


def test_the_report_speaks_the_language_it_was_asked_in(community, verified_client):
    client = verified_client(User.objects.get(username="community_staff"))
    client.cookies["shuren_language"] = "en"
    client.post(f"/insights/areas/{community.pk}/reports/", {"month": f"{timezone.localdate():%Y-%m}"})
    run_worker()
    report = MonthlyReport.objects.get()
    book = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert book.worksheets[0].cell(1, 1).value.startswith("Monthly report of")


def test_bad_requests_keep_what_was_typed_and_others_cannot_download(community, verified_client):
    client = verified_client(User.objects.get(username="community_staff"))
    response = client.post(f"/insights/areas/{community.pk}/reports/", {"month": "2099-01", "email_to": "不是邮箱"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请选择已经开始的月份" in html and "“不是邮箱”不是有效的电子邮箱地址" in html and 'value="不是邮箱"' in html
    assert not MonthlyReport.objects.exists()

    client.post(f"/insights/areas/{community.pk}/reports/", {"month": f"{timezone.localdate():%Y-%m}"})
    run_worker()
    report = MonthlyReport.objects.get()
    other = verified_client(User.objects.get(username="grid_worker"))  # reads the grid, not the community
    assert other.get(f"/insights/reports/{report.pk}.pdf").status_code in (403, 404)
    assert other.get(f"/insights/areas/{community.pk}/reports/").status_code in (403, 404)
