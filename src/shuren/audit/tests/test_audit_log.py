"""The audit log is append-only, sealed into a keyed chain, verifiable, retained and read only by
auditors. (Tampering cases and the sealer's concurrency: test_sealing.py.)"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from conftest import confirmed_seconds_ago
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from freezegun import freeze_time

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent, ChainHead
from shuren.audit.services import purge_expired_events, record_event, seal_events, verify_chain
from shuren.places.models import Area, AreaKind

from .tampering import make_events, sealed, tamper

pytestmark = pytest.mark.django_db


def test_events_form_an_unbroken_chain():
    events = sealed(make_events(5))
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 5))
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
    report = verify_chain()
    assert report.ok and report.checked == 5


def test_an_edited_event_is_detected_with_its_sequence_number():
    events = sealed(make_events(4))
    tamper("UPDATE audit_auditevent SET outcome = %s WHERE seq = %s", ["failure", events[2].seq])
    report = verify_chain()
    assert not report.ok
    assert report.bad_seq == events[2].seq
    assert "edited" in report.reason


def test_a_deleted_event_is_detected():
    events = sealed(make_events(4))
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    report = verify_chain()
    assert not report.ok and report.bad_seq == events[1].seq


def test_removing_the_newest_events_is_detected():
    events = sealed(make_events(3))
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    assert not verify_chain().ok


@pytest.mark.parametrize("statement", ["UPDATE audit_auditevent SET reason = 'x'", "DELETE FROM audit_auditevent"])
def test_the_database_refuses_updates_and_deletes(statement):
    make_events(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 2


def test_the_orm_cannot_change_events_either():
    event = make_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(outcome="failure")
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()


def test_verify_command_exits_1_on_tampering(capsys):
    events = sealed(make_events(3))
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    tamper("UPDATE audit_auditevent SET actor_username = %s WHERE seq = %s", ["someone-else", events[0].seq])
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1


def test_purge_removes_only_events_older_than_the_retention():
    with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=400)):
        old = make_events(3)
    with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=100)):
        recent = make_events(2)
    old = sealed(old)
    assert purge_expired_events(retention_days=365) == 3
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert not remaining & {e.pk for e in old}
    assert {e.pk for e in recent} <= remaining
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.detail["last_purged_hash"] == old[-1].hash
    assert verify_chain().ok


def test_retention_below_184_days_is_refused():
    with pytest.raises(ValueError):
        purge_expired_events(retention_days=90)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("audit", "purge", "--days", "100")


def test_the_database_keeps_young_events_even_if_asked_directly():
    with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=150)):
        make_events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


def test_a_failed_audit_write_rolls_back_the_audited_change(tree, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise DatabaseError("audit store full")

    monkeypatch.setattr(AuditEvent, "save", broken_save)
    with pytest.raises(DatabaseError), transaction.atomic():
        Area.objects.create(kind=AreaKind.GRID, code="09", name="新网格", parent=tree["com_a"])
        record_event("places.area_create", detail={})
    assert not Area.objects.filter(code="09").exists()


def test_events_record_actor_role_address_and_request(client, make_user, tree):
    from conftest import PASSWORD

    make_user(Role.RESIDENT, tree["grid_a1"], username="lin")
    client.post("/accounts/login/", {"identity": "lin", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_username == "lin" and event.actor_role == "resident"
    assert event.ip == "10.1.2.3" and len(event.request_id) == 32
    assert event.occurred_at.utcoffset() is not None


def test_auditor_searches_the_log(user_for_role, verified_client):
    record_event("places.area_change", detail={"n": 1})
    record_event("auth.login_failed", outcome="failure")
    client = verified_client(user_for_role(Role.AUDITOR))
    page = client.get("/audit/?outcome=failure").content.decode()
    assert "auth.login_failed" in page and "places.area_change" not in page
    page = client.get("/audit/?action=places.").content.decode()
    assert "places.area_change" in page and "auth.login_failed" not in page
    event = AuditEvent.objects.get(action="places.area_change")
    assert event.hash is None and client.get(f"/audit/{event.pk}/").status_code == 200
    seal_events()
    event.refresh_from_db()
    detail = client.get(f"/audit/{event.pk}/").content.decode()
    assert event.hash in detail


def test_export_needs_reauthentication_and_neutralises_formulas(user_for_role, verified_client):
    record_event("test.export", reason='=HYPERLINK("http://evil")')
    client = verified_client(user_for_role(Role.AUDITOR))
    confirmed_seconds_ago(client, 3600)
    assert client.get("/audit/export/")["Location"].startswith("/accounts/reauth/")
    confirmed_seconds_ago(client, 0)
    response = client.get("/audit/export/")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert AuditEvent.objects.filter(action="audit.export").exists()


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_intact():
    start = AuditEvent.objects.count()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        barrier.wait()
        try:
            for i in range(10):
                record_event("test.concurrent", detail={"writer": n, "i": i})
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == start + 80
    report = verify_chain()
    assert report.ok and report.checked == start + 80


def test_the_auditor_sees_which_events_are_sealed(user_for_role, verified_client):
    client = verified_client(user_for_role(Role.AUDITOR))
    record_event("places.area_change", detail={"n": 1})
    page = client.get("/audit/").content.decode()
    assert "待封存" in page and "尚无已封存的事件" in page
    seal_events()
    page = client.get("/audit/").content.decode()
    head = ChainHead.objects.get(pk=1)
    assert f"已封存至第 {head.last_seq} 号" in page and "待封存" not in page
