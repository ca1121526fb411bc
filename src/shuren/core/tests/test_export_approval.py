"""A bulk export with full ID and mobile numbers needs a second person's approval: the requester
files a reason, an approver over the same or a higher area decides, the requester downloads the
watermarked file once within the window. Masked exports stay immediate. Every step is audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import confirmed_seconds_ago
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.models import ExportRequest
from shuren.people.services import register_person

pytestmark = pytest.mark.django_db

ID = "440602199001011237"
PHONE = "13800138001"


@pytest.fixture
def requester(user_for_role, tree):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    register_person(actor=staff, community=tree["com_a"], name="林小梅", id_number=ID, phone=PHONE)
    register_person(actor=staff, community=tree["com_a"], name="陈志强", phone="13800138002")
    return staff


@pytest.fixture
def clients(db):
    """A fresh signed-in client per user (Django's test client holds one session)."""
    from conftest import sign_in_verified
    from django.test import Client

    return lambda user: sign_in_verified(Client(), user)


def cells(response) -> str:
    from openpyxl import load_workbook

    return str(list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)))


def file_request(clients, requester) -> ExportRequest:
    response = clients(requester).post("/people/export/?q=", {"reason": "报送民政局低保复核"})
    assert response.status_code == 302
    return ExportRequest.objects.get()


def is_file(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_approved_export_is_downloaded_once_watermarked_and_audited(requester, user_for_role, clients):
    export = file_request(clients, requester)
    approver = user_for_role(Role.COMMUNITY_SECRETARY)
    as_approver = clients(approver)
    listing = as_approver.get("/exports/pending/").content.decode()
    assert 'data-testid="pending-count">1<' in listing and "报送民政局低保复核" in listing
    assert as_approver.post(f"/exports/pending/{export.pk}/approve/", {"reason": ""}).status_code == 302
    export.refresh_from_db()
    assert (export.status, export.decided_by) == ("approved", approver)
    as_requester = clients(requester)
    assert "download-export" in as_requester.get(f"/exports/{export.pk}/").content.decode()
    response = as_requester.post(f"/exports/{export.pk}/download/")
    assert is_file(response)
    text = cells(response)
    assert ID in text and PHONE in text and "导出人" in text and requester.username in text
    assert approver.username in text  # the watermark names the approver too
    again = as_requester.post(f"/exports/{export.pk}/download/")
    assert again.status_code == 409 and not is_file(again)
    actions = list(
        AuditEvent.objects.filter(action__startswith="export.").order_by("seq", "id").values_list("action", "outcome")
    )
    assert actions == [
        ("export.request", "success"),
        ("export.approve", "success"),
        ("export.download", "success"),
        ("export.download", "denied"),
    ]


def test_the_requester_cannot_approve_their_own_request(requester, user_for_role, make_user, tree, clients):
    export = file_request(clients, requester)
    assert clients(requester).post(f"/exports/pending/{export.pk}/approve/").status_code == 403
    # Nor can a requester who holds the approval permission themselves.
    secretary = user_for_role(Role.COMMUNITY_SECRETARY)
    ExportRequest.objects.all().delete()
    own = file_request(clients, secretary)
    as_secretary = clients(secretary)
    assert as_secretary.post(f"/exports/pending/{own.pk}/approve/").status_code == 403
    assert 'data-testid="pending-count">0<' in as_secretary.get("/exports/pending/").content.decode()
    assert "download-export" not in as_secretary.get(f"/exports/{own.pk}/").content.decode()
    own.refresh_from_db()
    assert own.status == "pending"
    assert not AuditEvent.objects.filter(action="export.approve").exists()


def test_an_approver_of_another_area_gets_404_and_one_above_may_decide(requester, make_user, tree, clients):
    export = file_request(clients, requester)
    for role, area in ((Role.COMMUNITY_SECRETARY, "com_b"), (Role.SUBDISTRICT_STAFF, "sub_b")):
        outsider = clients(make_user(role, tree[area]))
        assert outsider.get(f"/exports/{export.pk}/").status_code == 404
        assert outsider.get(f"/exports/pending/{export.pk}/").status_code == 404
        assert outsider.post(f"/exports/pending/{export.pk}/approve/").status_code == 404
        assert 'data-testid="pending-count">0<' in outsider.get("/exports/pending/").content.decode()
        assert 'data-testid="pending-count">0<' in outsider.get("/exports/").content.decode()
    above = clients(make_user(Role.SUBDISTRICT_STAFF, tree["sub_a"]))
    assert 'data-testid="pending-count">1<' in above.get("/exports/pending/").content.decode()
    assert 'data-testid="pending-count">1<' in above.get("/exports/").content.decode()
    assert "approve-export" in above.get(f"/exports/pending/{export.pk}/").content.decode()
    assert (
        above.post(f"/exports/pending/{export.pk}/refuse/", {"reason": ""}).status_code == 400
    )  # a refusal needs a reason
    assert above.post(f"/exports/pending/{export.pk}/refuse/", {"reason": "无正式公函"}).status_code == 302
    export.refresh_from_db()
    assert (export.status, export.decision_reason) == ("refused", "无正式公函")
    assert not is_file(clients(requester).post(f"/exports/{export.pk}/download/"))
    refused = AuditEvent.objects.get(action="export.refuse")
    assert refused.reason == "无正式公函"


def test_download_before_approval_after_the_window_or_by_someone_else_is_refused(
    requester, user_for_role, make_user, tree, clients
):
    export = file_request(clients, requester)
    as_requester = clients(requester)
    early = as_requester.post(f"/exports/{export.pk}/download/")
    assert early.status_code == 409 and not is_file(early)
    approver = user_for_role(Role.COMMUNITY_SECRETARY)
    clients(approver).post(f"/exports/pending/{export.pk}/approve/")
    # The approver (or a colleague) cannot download it in the requester's place.
    assert clients(approver).post(f"/exports/{export.pk}/download/").status_code == 404
    colleague = clients(make_user(Role.COMMUNITY_STAFF, tree["com_a"]))
    assert colleague.post(f"/exports/{export.pk}/download/").status_code == 404
    ExportRequest.objects.filter(pk=export.pk).update(download_until=timezone.now() - dt.timedelta(seconds=1))
    late = as_requester.post(f"/exports/{export.pk}/download/")
    assert late.status_code == 409 and not is_file(late)
    assert not AuditEvent.objects.filter(action="export.download", outcome="success").exists()
    assert AuditEvent.objects.filter(action="export.download", outcome="denied").count() == 2


def test_downloading_needs_a_recent_password_confirmation(requester, user_for_role, clients):
    export = file_request(clients, requester)
    clients(user_for_role(Role.COMMUNITY_SECRETARY)).post(f"/exports/pending/{export.pk}/approve/")
    as_requester = clients(requester)
    confirmed_seconds_ago(as_requester, 3600)
    response = as_requester.post(f"/exports/{export.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauth/")
    export.refresh_from_db()
    assert export.status == "approved"  # still there to download after confirming


def test_masked_exports_stay_immediate(requester, clients):
    response = clients(requester).get("/people/export/")
    assert is_file(response) and ID not in cells(response)
    assert not ExportRequest.objects.exists()
