"""The appeals workflow through the REST API: the whole journey, who sees what, versions,
idempotency and field errors."""

from __future__ import annotations

import json

import pytest
from conftest import sign_in_verified
from django.test import Client

from shuren.appeals.models import Appeal, AppealEvent, IntakePolicy, Status
from shuren.audit.models import AuditEvent

from .api_support import BASE, PROBLEM, Api, photo_file

pytestmark = pytest.mark.django_db

DESCRIPTION = "1座楼道里有人给电动车充电，飞线从三楼拉下来，很危险"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api(appeal_world):
    """Api(name) for a user of the appeal world."""
    return lambda name: Api(appeal_world.users[name])


def test_a_report_goes_from_resident_to_dispatch_return_redispatch_resolution_and_rating(appeal_world, api):
    w = appeal_world
    resident, desk, clerk, officer = api("resident"), api("staff"), api("handler"), api("officer")

    submitted = resident.submit(category="ebike-charging", description=DESCRIPTION, building=w.buildings[0].pk)
    assert submitted.status_code == 201, submitted.content
    appeal_id = submitted.json()["id"]
    assert submitted["Location"] == f"{BASE}{appeal_id}/"
    assert submitted["ETag"] == f'"appeal-{appeal_id}-v1"'
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["channel"] == "api"
    assert Appeal.objects.get(pk=appeal_id).reporter == w.users["resident"]

    photos = resident.client.post(f"{BASE}{appeal_id}/photos/", {"photos": [photo_file()], "stage": "report"})
    assert photos.status_code == 201, photos.content
    photo_url = photos.json()[0]["url"]

    seen = desk.detail(appeal_id)
    body = seen.json()
    assert body["suggested_organization"]["id"] == w.property_manager.pk  # the rule for fire safety
    assert "dispatch" in body["actions"]
    assert body["reporter"]["name"] == "林**"  # the desk sees the reporter masked
    assert [p["url"] for p in body["photos"]] == [photo_url]
    image = desk.get(photo_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"

    dispatched = desk.act(appeal_id, "dispatch", {"organization": w.property_manager.pk}, HTTP_IF_MATCH=seen["ETag"])
    assert dispatched.status_code == 200, dispatched.content
    assert dispatched.json()["status"] == "dispatched"
    assert dispatched["ETag"] == f'"appeal-{appeal_id}-v2"'

    # The property manager says it is not theirs.
    at_clerk = clerk.detail(appeal_id).json()
    assert at_clerk["reporter"] is None
    assert {"take_up", "return", "resolve"} <= set(at_clerk["actions"])
    returned = clerk.act(appeal_id, "return", {"reason": "飞线充电属城管执法范围", "version": at_clerk["version"]})
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "accepted"
    assert returned.json()["reporter"] is None
    assert clerk.detail(appeal_id).status_code == 404  # no longer theirs

    # Re-dispatched to the department, against the rules' suggestion: a reason is needed.
    without_reason = desk.act(appeal_id, "dispatch", {"organization": w.department.pk})
    assert without_reason.status_code == 400
    assert "reason" in without_reason.json()["errors"]
    redispatched = desk.act(appeal_id, "dispatch", {"organization": w.department.pk, "reason": "物业无执法权"})
    assert redispatched.status_code == 200, redispatched.content
    assert redispatched.json()["organization"]["id"] == w.department.pk

    assert officer.act(appeal_id, "take-up", {"note": "已安排执法队员"}).json()["status"] == "in_progress"
    resolved = officer.act(appeal_id, "resolve", {"resolution": "已拆除飞线，对充电住户进行了教育"})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"

    mine = resident.detail(appeal_id).json()
    assert mine["actions"] == ["feedback", "reopen"]
    rated = resident.act(appeal_id, "feedback", {"is_solved": True, "satisfaction": 5, "comment": "谢谢"})
    assert rated.status_code == 200, rated.content
    final = rated.json()
    assert final["status"] == "closed" and final["satisfaction"] == 5 and final["is_solved"] is True

    public = [e["kind"] for e in resident.get(f"{BASE}{appeal_id}/events/").json()]
    assert public == ["submit", "dispatch", "dispatch", "take_up", "resolve", "feedback"]  # not the return
    everything = [e["kind"] for e in desk.get(f"{BASE}{appeal_id}/events/").json()]
    assert everything == ["submit", "dispatch", "return", "dispatch", "take_up", "resolve", "feedback"]
    notices = resident.get(f"{BASE}notifications/").json()["results"]
    # Newest first: the request to rate it, the handler taking it up, each dispatch (the return is
    # the desk's business; the feedback is the resident's own doing).
    assert [n["kind"] for n in notices] == ["resolved", "progress", "progress", "progress"]
    assert all(n["appeal"]["id"] == appeal_id for n in notices)


def test_session_authentication_with_mfa_works_for_staff(appeal_world):
    appeal = appeal_world.submit()
    desk = Api(appeal_world.users["staff"], client=sign_in_verified(Client(), appeal_world.users["staff"]))
    response = desk.act(appeal.pk, "accept", {"note": "受理"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"


# --- who sees what --------------------------------------------------------------------------------


def test_a_handler_sees_only_what_is_dispatched_to_their_organisation(appeal_world, api):
    w = appeal_world
    ours = w.submit()
    committees = w.submit(category="noise", description="楼上每天凌晨两点还在装修，电钻声音很大")
    waiting = w.submit(category="lift", description="2座电梯卡在五楼，门打不开")
    desk = api("staff")
    desk.act(ours.pk, "dispatch", {"organization": w.property_manager.pk})
    desk.act(committees.pk, "dispatch", {"organization": w.residents_committee.pk, "reason": "邻里问题由居委会调解"})

    clerk = api("handler")
    listed = clerk.get(BASE).json()
    assert [row["id"] for row in listed["results"]] == [ours.pk]
    assert clerk.detail(ours.pk).status_code == 200
    for other in (committees, waiting):
        response = clerk.detail(other.pk)
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM
        assert clerk.get(f"{BASE}{other.pk}/events/").status_code == 404
        assert clerk.post(f"{BASE}{other.pk}/take-up/", {"version": 2}).status_code == 404

    stranger = api("other_handler")  # the property manager of another community
    assert stranger.get(BASE).json()["results"] == []
    assert stranger.detail(ours.pk).status_code == 404


def test_the_reporters_contact_reaches_a_handler_only_when_shared(appeal_world, api):
    w = appeal_world
    desk = api("staff")
    recorded = desk.submit(
        key="call-1",
        category="lift",
        description="2座电梯卡在五楼，门打不开，里面有老人",
        building=w.buildings[1].pk,
        channel="phone",
        reporter_name="王建国",
        reporter_phone="13800138000",
    )
    assert recorded.status_code == 201, recorded.content
    appeal_id = recorded.json()["id"]
    # The answer to the submission repeats no personal data; on the appeal's page staff see the name
    # and the phone masked.
    assert "reporter" not in recorded.json() and "8000" not in recorded.content.decode()
    recorded = desk.detail(appeal_id)
    assert recorded.json()["reporter"] == {"name": "王**", "phone": "138****8000"}
    assert "13800138000" not in recorded.content.decode()

    desk.act(appeal_id, "dispatch", {"organization": w.property_manager.pk})
    hidden = api("handler").detail(appeal_id)
    assert hidden.json()["reporter"] is None
    assert "王建国" not in hidden.content.decode() and "8000" not in hidden.content.decode()

    second = w.submit(actor=w.users["staff"], channel="phone", reporter_name="李芳", reporter_phone="13900139000")
    desk.act(second.pk, "dispatch", {"organization": w.property_manager.pk, "share_contact": True})
    shared = api("handler").detail(second.pk)
    assert shared.json()["reporter"] == {"name": "李芳", "phone": "+8613900139000"}
    assert AuditEvent.objects.filter(action="appeals.contact_view", object_id=str(second.pk)).exists()


def test_nobody_sees_who_reported_an_anonymous_appeal(appeal_world, api):
    w = appeal_world
    IntakePolicy.objects.create(community=w.tree["com_a"], allow_anonymous=True)
    resident = api("resident")
    response = resident.submit(
        category="high-rise-littering",
        description="3座有人从高处扔垃圾，差点砸到人",
        estate=w.estate.pk,
        is_anonymous=True,
    )
    assert response.status_code == 201, response.content
    appeal_id = response.json()["id"]
    for viewer in (resident, api("staff"), api("secretary")):
        seen = viewer.detail(appeal_id)
        assert seen.json()["reporter"] is None
        assert "林小梅" not in seen.content.decode()
    timeline = api("staff").get(f"{BASE}{appeal_id}/events/").json()
    assert timeline[0]["kind"] == "submit"
    assert timeline[0]["actor"] not in (w.users["resident"].full_name, w.users["resident"].username)


def test_a_grid_worker_records_a_patrol_finding_at_a_point(appeal_world, api):
    response = api("grid_worker").submit(
        category="road",
        description="东门人行道地砖松动，老人容易绊倒",
        area=appeal_world.tree["grid_a1"].pk,
        latitude=23.0287654321,
        longitude=113.1456789012,
        address="富丰新城东门",
        channel="patrol",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["latitude"], body["longitude"]) == (23.028765, 113.145679)
    assert body["channel"] == "patrol"
    assert api("grid_worker").detail(body["id"]).json()["reporter"] is None  # nobody reported it but the patrol
    appeal = Appeal.objects.get(pk=body["id"])
    assert appeal.reporter is None and appeal.recorded_by == appeal_world.users["grid_worker"]


def test_anonymous_reports_are_refused_where_the_community_does_not_allow_them(appeal_world, api):
    response = api("resident").submit(
        category="noise",
        description="楼上每天凌晨装修，噪音很大",
        building=appeal_world.buildings[0].pk,
        is_anonymous=True,
    )
    assert response.status_code == 400
    assert "is_anonymous" in response.json()["errors"]


def test_the_reporter_sees_no_internal_notes_or_flags(appeal_world, api):
    appeal = appeal_world.submit()
    desk = api("secretary")
    assert desk.act(appeal.pk, "note", {"note": "该住户多次反映，注意沟通方式"}).status_code == 200
    assert desk.act(appeal.pk, "supervise", {"on": True, "note": "书记督办"}).status_code == 200

    own = api("resident").detail(appeal.pk)
    body = own.json()
    assert "注意沟通方式" not in own.content.decode() and "书记督办" not in own.content.decode()
    assert [e["kind"] for e in body["timeline"]] == ["submit"]
    assert body["is_supervised"] is None and body["level"] is None
    assert body["suggested_organization"] is None and body["similar"] == []
    staff_view = desk.detail(appeal.pk).json()
    assert staff_view["is_supervised"] is True
    assert [e["kind"] for e in staff_view["timeline"]] == ["submit", "note", "supervise"]


def test_dispatchers_see_similar_open_appeals_and_can_merge(appeal_world, api):
    w = appeal_world
    first = w.submit()
    second = w.submit(actor=w.users["neighbour"], description="1座楼道有电动车飞线充电，三楼拉下来的线很危险")
    desk = api("staff")
    similar = desk.detail(second.pk).json()["similar"]
    assert [s["id"] for s in similar] == [first.pk]
    merged = desk.act(second.pk, "merge", {"into": first.pk})
    assert merged.status_code == 200, merged.content
    assert merged.json()["status"] == "merged" and merged.json()["duplicate_of"]["id"] == first.pk
    assert api("neighbour").get(f"{BASE}notifications/").json()["results"][0]["kind"] == "merged"


# --- versions, idempotency, errors ----------------------------------------------------------------


def test_a_step_without_a_version_is_428(appeal_world, api):
    appeal = appeal_world.submit()
    response = api("staff").post(f"{BASE}{appeal.pk}/accept/", {})
    assert response.status_code == 428
    assert response["Content-Type"] == PROBLEM
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


def test_a_stale_if_match_is_412_and_a_stale_version_409(appeal_world, api):
    appeal = appeal_world.submit()
    desk = api("staff")
    etag = desk.detail(appeal.pk)["ETag"]
    assert desk.act(appeal.pk, "accept", {}, HTTP_IF_MATCH=etag).status_code == 200

    stale_etag = desk.act(appeal.pk, "reject", {"reason": "不属于社区职责"}, HTTP_IF_MATCH=etag)
    assert stale_etag.status_code == 412 and stale_etag["Content-Type"] == PROBLEM
    stale_version = desk.act(appeal.pk, "reject", {"reason": "不属于社区职责", "version": 1})
    assert stale_version.status_code == 409
    assert stale_version.json()["type"].endswith("/stale-version")
    assert Appeal.objects.get(pk=appeal.pk).status == Status.ACCEPTED


def test_a_step_the_state_does_not_allow_is_409_and_a_step_of_another_party_403(appeal_world, api):
    appeal = appeal_world.submit()
    resolve = api("staff").act(appeal.pk, "resolve", {"resolution": "已处理"})
    assert resolve.status_code == 409
    assert resolve.json()["type"].endswith("/invalid-transition")
    dispatch = api("resident").act(appeal.pk, "dispatch", {"organization": appeal_world.property_manager.pk})
    assert dispatch.status_code == 403 and dispatch["Content-Type"] == PROBLEM
    assert AppealEvent.objects.filter(appeal=appeal).count() == 1


def test_a_retried_submission_files_one_appeal_and_gets_the_first_answer(appeal_world, api):
    resident = api("resident")
    body = {"category": "lift", "description": "2座电梯卡在五楼，门打不开", "building": appeal_world.buildings[1].pk}
    first = resident.submit(key="retry-me", **body)
    again = resident.submit(key="retry-me", **body)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1
    other = resident.submit(key="retry-me", **{**body, "description": "另一个问题：路灯坏了"})
    assert other.status_code == 422


def test_a_submission_needs_an_idempotency_key(appeal_world, api):
    response = api("resident").post(
        BASE, {"category": "lift", "description": "2座电梯卡在五楼", "building": appeal_world.buildings[1].pk}
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("/idempotency-key-missing")
    assert not Appeal.objects.exists()


def test_a_retried_step_answers_the_same_instead_of_a_conflict(appeal_world, api):
    appeal = appeal_world.submit()
    desk = api("staff")
    body = {"organization": appeal_world.property_manager.pk, "version": 1}
    first = desk.post(f"{BASE}{appeal.pk}/dispatch/", body, HTTP_IDEMPOTENCY_KEY="d-1")
    again = desk.post(f"{BASE}{appeal.pk}/dispatch/", body, HTTP_IDEMPOTENCY_KEY="d-1")
    assert first.status_code == again.status_code == 200
    assert again["ETag"] == first["ETag"] and again["Idempotent-Replayed"] == "true"
    assert AppealEvent.objects.filter(appeal=appeal, kind="dispatch").count() == 1


def test_invalid_submissions_name_their_fields(appeal_world, api):
    resident = api("resident")
    missing = resident.submit(key="a", description="坏")
    assert missing.status_code == 400 and missing["Content-Type"] == PROBLEM
    assert set(missing.json()["errors"]) == {"category"}
    nowhere = resident.submit(key="a2", category="lift", description="电梯坏了好几天")
    assert set(nowhere.json()["errors"]) == {"area"}

    unknown = resident.submit(
        key="b", category="no-such", description="路灯坏了很久了", area=appeal_world.tree["com_a"].pk
    )
    assert set(unknown.json()["errors"]) == {"category"}
    parent = resident.submit(key="c", category="safety", description="短", building=appeal_world.buildings[0].pk)
    assert {"category", "description"} == set(parent.json()["errors"])
    two_places = resident.submit(
        key="d", category="lift", description="电梯坏了", building=appeal_world.buildings[0].pk, estate=1
    )
    assert "estate" in two_places.json()["errors"]
    extra = resident.submit(
        key="e", category="lift", description="电梯坏了", building=appeal_world.buildings[0].pk, status="closed"
    )
    assert "status" in extra.json()["errors"]
    not_staff = resident.submit(
        key="f",
        category="lift",
        description="电梯坏了好几天",
        building=appeal_world.buildings[0].pk,
        reporter_name="张三",
    )
    assert "reporter_name" in not_staff.json()["errors"]
    assert not Appeal.objects.exists()


def test_a_place_in_another_community_reads_as_unknown(appeal_world, api):
    response = api("resident").submit(
        category="lift", description="电梯坏了好几天", area=appeal_world.tree["grid_b1"].pk
    )
    assert response.status_code == 400
    assert "area" in response.json()["errors"]


def test_invalid_steps_name_their_fields(appeal_world, api):
    w = appeal_world
    appeal = w.submit()
    desk = api("staff")
    no_org = desk.act(appeal.pk, "dispatch", {})
    assert "organization" in no_org.json()["errors"]
    far_away = desk.act(appeal.pk, "dispatch", {"organization": w.other_manager.pk, "reason": "试试"})
    assert far_away.status_code == 400 and "organization" in far_away.json()["errors"]
    assert "reason" in desk.act(appeal.pk, "reject", {"reason": "  "}).json()["errors"]

    desk.act(appeal.pk, "dispatch", {"organization": w.property_manager.pk})
    api("handler").act(appeal.pk, "resolve", {"resolution": "已处理"})
    rating = api("resident").act(appeal.pk, "feedback", {"is_solved": True, "satisfaction": 7})
    assert "satisfaction" in rating.json()["errors"]
    publish = desk.act(appeal.pk, "publish", {"published": True, "summary": ""})
    assert publish.status_code == 400 and "summary" in publish.json()["errors"]
    published = desk.act(appeal.pk, "publish", {"published": True, "summary": "楼道飞线充电已清理"})
    assert published.status_code == 200 and published.json()["is_published"] is True


def test_a_dissatisfied_reporter_reopens_once(appeal_world, api):
    w = appeal_world
    appeal = w.submit()
    api("staff").act(appeal.pk, "dispatch", {"organization": w.property_manager.pk})
    api("handler").act(appeal.pk, "resolve", {"resolution": "已提醒住户"})
    resident = api("resident")
    reopened = resident.act(appeal.pk, "feedback", {"is_solved": False, "satisfaction": 1, "reopen": True})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == "accepted" and reopened.json()["reopen_count"] == 1


def test_escalation_moves_the_appeal_up_a_level(appeal_world, api):
    appeal = appeal_world.submit()
    grid = api("grid_worker")
    escalated = grid.act(appeal.pk, "escalate", {"reason": "涉及多个楼栋，需社区协调"})
    assert escalated.status_code == 200, escalated.content
    assert escalated.json()["level"] == "community"
    assert "dispatch" not in grid.detail(appeal.pk).json()["actions"]  # it left the grid's hands
    assert "dispatch" in api("staff").detail(appeal.pk).json()["actions"]


def test_photos_are_for_those_who_may_open_the_appeal(appeal_world, api):
    appeal = appeal_world.submit()
    resident = api("resident")
    uploaded = resident.client.post(
        f"{BASE}{appeal.pk}/photos/", {"photos": [photo_file("a.png"), photo_file("b.png", "blue")]}
    )
    assert uploaded.status_code == 201, uploaded.content
    assert [p["stage"] for p in uploaded.json()] == ["report", "report"]
    url = uploaded.json()[0]["url"]
    assert resident.get(url).status_code == 200
    assert api("neighbour").get(url).status_code == 404
    assert api("staff_b").get(url).status_code == 404
    not_a_photo = resident.client.post(
        f"{BASE}{appeal.pk}/photos/", {"photos": [photo_file("x.png")], "stage": "sideways"}
    )
    assert "stage" in not_a_photo.json()["errors"]


def test_bodies_must_be_json_objects_of_known_fields(appeal_world, api):
    appeal = appeal_world.submit()
    response = api("staff").client.post(
        f"{BASE}{appeal.pk}/accept/",
        data=json.dumps({"note": "x", "status": "closed", "version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "status" in response.json()["errors"]
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


def test_a_retried_photo_upload_adds_the_photos_once(appeal_world, api):
    appeal = appeal_world.submit()
    resident = api("resident")
    responses = [
        resident.client.post(f"{BASE}{appeal.pk}/photos/", {"photos": [photo_file()]}, HTTP_IDEMPOTENCY_KEY="photo-1")
        for _ in range(2)
    ]
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[1]["Idempotent-Replayed"] == "true"
    assert appeal.photos.count() == 1


def test_anonymous_callers_get_401_problems(appeal_world, client):
    appeal = appeal_world.submit()
    for response in (client.get(BASE), client.get(f"{BASE}{appeal.pk}/"), client.post(f"{BASE}{appeal.pk}/accept/")):
        assert response.status_code == 401 and response["Content-Type"] == PROBLEM


def test_the_answer_to_a_submission_is_the_new_appeal_and_where_to_read_the_rest(appeal_world, api):
    resident = api("resident")
    submitted = resident.submit(
        category="ebike-charging", description=DESCRIPTION, building=appeal_world.buildings[0].pk
    )
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    appeal = Appeal.objects.get(pk=body["id"])
    assert body["reference"] == appeal.reference and body["description"] == DESCRIPTION
    assert body["building"] == {"id": appeal_world.buildings[0].pk, "number": appeal_world.buildings[0].number}
    assert body["category"]["code"] == "ebike-charging"
    assert body["resolution_due_at"] is not None and body["version"] == 1
    assert not {"timeline", "photos", "actions", "reporter"} & set(body)
    assert body["links"] == {
        "self": f"{BASE}{appeal.pk}/",
        "events": f"{BASE}{appeal.pk}/events/",
        "photos": f"{BASE}{appeal.pk}/photos/",
    }
    timeline = resident.get(body["links"]["events"])
    assert [event["kind"] for event in timeline.json()] == ["submit"]
    assert resident.get(body["links"]["photos"]).json() == []
    assert resident.get(body["links"]["self"]).json()["reference"] == appeal.reference


@pytest.mark.django_db(transaction=True)
def test_a_submission_commits_once_with_its_event_audit_record_reminders_and_stored_answer(appeal_world, api):
    """The appeal, its first event, its audit record, its deadline reminders and the answer stored for
    its Idempotency-Key are written in one transaction: one commit, and nothing written outside it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from shuren.core.models import IdempotencyRecord

    resident = api("resident")
    with CaptureQueriesContext(connection) as captured:
        submitted = resident.submit(
            key="once", category="ebike-charging", description=DESCRIPTION, building=appeal_world.buildings[0].pk
        )
    assert submitted.status_code == 201, submitted.content
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert statements.count("BEGIN") == statements.count("COMMIT") == 1, statements
    writes = [i for i, verb in enumerate(statements) if verb in ("INSERT", "UPDATE", "DELETE")]
    assert writes and all(statements.index("BEGIN") < i < statements.index("COMMIT") for i in writes), statements
    appeal_id = submitted.json()["id"]
    assert AppealEvent.objects.filter(appeal_id=appeal_id).count() == 1
    assert AuditEvent.objects.filter(action="appeals.submit", object_id=str(appeal_id)).count() == 1
    assert IdempotencyRecord.objects.filter(key="once", status="completed").count() == 1
    reminders = DBTaskResult.objects.filter(task_path__endswith="send_deadline_reminder")
    assert reminders.count() == 2  # due soon, and overdue
    appeal = Appeal.objects.get(pk=appeal_id)
    assert appeal.reference.endswith(f"-{appeal_id:06d}") and submitted.json()["reference"] == appeal.reference
    if connection.vendor == "postgresql":
        # The number is drawn from the sequence first: the appeal row is inserted once, never updated.
        assert not [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "appeals_appeal"')]
