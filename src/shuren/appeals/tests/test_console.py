"""The staff console for appeals: the working lists, one appeal with its actions, staff entry."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from shuren.appeals.models import Appeal, AppealEvent, IntakePolicy, Status
from shuren.appeals.services import accept_appeal, dispatch_appeal, reject_appeal
from shuren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = reverse("appeals:appeal_list")


def detail(appeal: Appeal) -> str:
    return reverse("appeals:appeal_detail", args=[appeal.pk])


def act(appeal: Appeal, action: str) -> str:
    return reverse("appeals:appeal_action", args=[appeal.pk, action])


def refs(response) -> list[str]:
    """The references listed in the appeal table, in order."""
    import re

    return re.findall(r'data-appeal="([^"]+)"', response.content.decode())


def dispatched(world, appeal: Appeal, org=None, **kwargs) -> Appeal:
    return dispatch_appeal(
        actor=world.users["staff"],
        appeal=appeal,
        version=appeal.version,
        organization=org or world.property_manager,
        **kwargs,
    )


# --- the list ------------------------------------------------------------------------------------


def test_desk_lists_its_appeals_by_tab_and_another_community_sees_none(appeal_world, verified_client):
    new = appeal_world.submit()
    waiting = appeal_world.submit(category="lift", description="2座电梯停在五楼不动了")
    waiting = accept_appeal(actor=appeal_world.users["staff"], appeal=waiting, version=waiting.version)
    client = verified_client(appeal_world.users["staff"])

    assert set(refs(client.get(LIST))) == {new.reference, waiting.reference}
    assert refs(client.get(LIST + "?tab=submitted")) == [new.reference]
    assert refs(client.get(LIST + "?tab=accepted")) == [waiting.reference]
    assert refs(client.get(LIST + "?tab=finished")) == []

    client = verified_client(appeal_world.users["staff_b"])
    assert refs(client.get(LIST)) == []


def test_overdue_and_due_soon_tabs_show_how_late_or_how_close(appeal_world, verified_client):
    now = timezone.now()
    late = appeal_world.submit()
    close = appeal_world.submit(category="lift", description="2座电梯停在五楼不动了")
    relaxed = appeal_world.submit(category="noise", description="楼上深夜装修噪音很大")
    Appeal.objects.filter(pk=late.pk).update(resolution_due_at=now - dt.timedelta(hours=5))
    Appeal.objects.filter(pk=close.pk).update(resolution_due_at=now + dt.timedelta(minutes=30))
    Appeal.objects.filter(pk=relaxed.pk).update(resolution_due_at=now + dt.timedelta(days=20))
    client = verified_client(appeal_world.users["grid_worker"])

    overdue = client.get(LIST + "?tab=overdue")
    assert refs(overdue) == [late.reference]
    page = overdue.content.decode()
    assert 'data-deadline="overdue"' in page
    assert 'data-testid="overdue-count">1<' in page

    due_soon = client.get(LIST + "?tab=due_soon")
    assert refs(due_soon) == [close.reference]
    assert 'data-deadline="due_soon"' in due_soon.content.decode()

    # All open: each row marked by its own state.
    page = client.get(LIST).content.decode()
    assert page.count('class="table-danger"') == 1 and page.count('class="table-warning"') == 1


def test_filters_by_category_place_organisation_words_status_and_dates(appeal_world, verified_client):
    charging = appeal_world.submit()
    lift = appeal_world.submit(category="lift", building=1, description="2座电梯停在五楼不动了")
    lift = dispatched(appeal_world, lift)
    old = appeal_world.submit(category="noise", description="楼上深夜装修噪音很大")
    Appeal.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=40))
    client = verified_client(appeal_world.users["staff"])
    safety = appeal_world.category("safety")  # a parent: covers e-bike charging
    b2 = appeal_world.buildings[1]

    assert refs(client.get(LIST, {"category": safety.pk})) == [charging.reference]
    assert refs(client.get(LIST, {"estate": appeal_world.estate.pk, "building": b2.pk})) == [lift.reference]
    assert refs(client.get(LIST, {"organization": appeal_world.property_manager.pk})) == [lift.reference]
    assert refs(client.get(LIST, {"q": "电梯"})) == [lift.reference]
    assert refs(client.get(LIST, {"q": charging.reference})) == [charging.reference]
    assert refs(client.get(LIST, {"status": "dispatched"})) == [lift.reference]
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert set(refs(client.get(LIST, {"start": since}))) == {charging.reference, lift.reference}
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert refs(client.get(LIST, {"end": until})) == [old.reference]


def test_escalated_appeals_reach_the_list_of_the_level_above(appeal_world, verified_client):
    grid_worker = appeal_world.users["grid_worker"]
    appeal = appeal_world.submit()
    client = verified_client(grid_worker)
    assert 'data-tab="escalated"' not in client.get(LIST).content.decode()  # nothing above comes to a grid
    response = client.post(act(appeal, "escalate"), {"version": appeal.version, "reason": "涉及多栋楼，需社区协调"})
    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).level == "community"
    client = verified_client(appeal_world.users["staff"])
    assert refs(client.get(LIST + "?tab=escalated")) == [appeal.reference]
    client = verified_client(appeal_world.users["subdistrict"])
    assert refs(client.get(LIST + "?tab=escalated")) == []


def test_building_options_follow_the_estate_and_stay_in_scope(appeal_world, verified_client):
    client = verified_client(appeal_world.users["staff"])
    url = reverse("appeals:building_options")
    page = client.get(url, {"estate": appeal_world.estate.pk}).content.decode()
    assert "1座" in page and "2座" in page
    client = verified_client(appeal_world.users["staff_b"])
    page = client.get(url, {"estate": appeal_world.estate.pk}).content.decode()
    assert "1座" not in page


def test_handler_lists_only_what_is_dispatched_to_its_organisation(appeal_world, verified_client):
    ours = dispatched(appeal_world, appeal_world.submit())
    theirs = dispatched(
        appeal_world,
        appeal_world.submit(category="dispute", description="邻居把杂物堆在公共走廊"),
        org=appeal_world.residents_committee,
    )
    waiting = appeal_world.submit(category="lift", description="2座电梯停在五楼不动了")
    client = verified_client(appeal_world.users["handler"])

    assert refs(client.get(reverse("appeals:handler_list"))) == [ours.reference]
    assert refs(client.get(LIST + "?tab=all")) == [ours.reference]
    assert client.get(detail(ours)).status_code == 200
    assert client.get(detail(theirs)).status_code == 404
    assert client.get(detail(waiting)).status_code == 404
    # The handler of another estate's manager sees none of it.
    client = verified_client(appeal_world.users["other_handler"])
    assert refs(client.get(reverse("appeals:handler_list"))) == []
    assert client.get(detail(ours)).status_code == 404


def test_a_handler_reads_list_summaries_without_numbers_unless_the_contact_was_shared(appeal_world, verified_client):
    """The list's summary of a description: in full for the desk; for the handling organisation
    without phone and door numbers, unless the desk shared the reporter's contact."""
    hidden = dispatched(appeal_world, appeal_world.submit(description="来电13912345678，1座楼道灯坏了"))
    shared = dispatched(
        appeal_world, appeal_world.submit(description="来电13712345678，2座楼道灯坏了"), share_contact=True
    )

    def row(client, appeal):
        page = client.get(LIST, {"tab": "all"}).content.decode()
        return page.split(f'data-appeal="{appeal.reference}"')[1].split("</tr>")[0]

    handler = verified_client(appeal_world.users["handler"])
    assert "13912345678" not in row(handler, hidden) and "楼道灯坏了" in row(handler, hidden)
    assert "13712345678" in row(handler, shared)
    desk = verified_client(appeal_world.users["staff"])
    assert "13912345678" in row(desk, hidden)


def test_export_is_audited_and_carries_no_reporter_data(appeal_world, verified_client):
    from openpyxl import load_workbook

    appeal_world.submit(
        actor=appeal_world.users["staff"],
        channel="phone",
        reporter_name="王大明",
        reporter_phone="13800138123",
        description="王大明来电：13912345678，1座301室门口堆满纸箱",
    )
    client = verified_client(appeal_world.users["staff"])
    response = client.get(reverse("appeals:appeal_export"), {"tab": "open"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    text = "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    assert "纸箱" in text
    assert "王大明来电" in text  # the description is kept...
    assert "13912345678" not in text and "13800138123" not in text  # ...without numbers
    assert "301室" not in text
    event = AuditEvent.objects.get(action="appeals.export")
    assert event.detail["rows"] == 1 and event.detail["tab"] == "open"


# --- one appeal: privacy -------------------------------------------------------------------------


def _phoned(world, **kwargs) -> Appeal:
    return world.submit(
        actor=world.users["staff"], channel="phone", reporter_name="王大明", reporter_phone="13800138123", **kwargs
    )


def test_desk_sees_the_reporter_masked(appeal_world, verified_client):
    appeal = _phoned(appeal_world)
    page = verified_client(appeal_world.users["staff"]).get(detail(appeal)).content.decode()
    assert "王**" in page and "138****8123" in page
    assert "王大明" not in page and "13800138123" not in page


def test_handler_sees_no_reporter_unless_the_contact_is_shared(appeal_world, verified_client):
    hidden = dispatched(
        appeal_world, _phoned(appeal_world, description="王大明说1座301室门口堆满纸箱，电话13800138123")
    )
    shared = dispatched(appeal_world, _phoned(appeal_world), share_contact=True)
    client = verified_client(appeal_world.users["handler"])

    page = client.get(detail(hidden)).content.decode()
    assert "王*" not in page and "8123" not in page
    assert "301室" not in page  # door numbers in the description are hidden too
    assert "纸箱" in page

    page = client.get(detail(shared)).content.decode()
    assert "王大明" in page  # shared: the handler must know whom to call
    assert AuditEvent.objects.filter(action="appeals.contact_view", object_id=str(shared.pk)).exists()
    assert 'href="tel:+8613800138123"' in page or "13800138123" in page  # in full: they must call


def test_nobody_sees_who_reported_an_anonymous_appeal(appeal_world, verified_client):
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], allow_anonymous=True)
    appeal = appeal_world.submit(is_anonymous=True)
    appeal = dispatched(appeal_world, appeal, share_contact=True)
    for user in ("staff", "handler"):
        page = verified_client(appeal_world.users[user]).get(detail(appeal)).content.decode()
        assert "林小梅" not in page and "林*" not in page
        reporter = page.split('data-testid="reporter"')[1].split("</dd>")[0]
        assert "Anonymous" in reporter or "匿名" in reporter
        assert "lin" not in reporter


def test_the_timeline_names_staff_but_never_the_reporter(appeal_world, verified_client):
    appeal = dispatched(appeal_world, appeal_world.submit())
    appeal_world.users["staff"].full_name = "张工作"
    appeal_world.users["staff"].save()
    page = verified_client(appeal_world.users["handler"]).get(detail(appeal)).content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    assert "张工作" in timeline and "富丰物业" in timeline
    assert "林小梅" not in timeline and "测试用户" not in timeline


def test_a_handler_does_not_learn_who_recorded_the_appeal(appeal_world, verified_client):
    recorder = appeal_world.users["grid_worker"]
    recorder.full_name = "周网格"
    recorder.save()
    appeal = appeal_world.submit(actor=recorder, channel="patrol")
    appeal = dispatched(appeal_world, appeal)
    handler_page = verified_client(appeal_world.users["handler"]).get(detail(appeal)).content.decode()
    assert "周网格" not in handler_page
    staff_page = verified_client(appeal_world.users["staff"]).get(detail(appeal)).content.decode()
    assert "周网格" in staff_page.split('data-testid="timeline"')[1]


# --- one appeal: actions -------------------------------------------------------------------------


def test_the_panel_shows_exactly_the_allowed_actions(appeal_world, verified_client):
    appeal = appeal_world.submit()
    page = verified_client(appeal_world.users["staff"]).get(detail(appeal)).content.decode()
    shown = {
        a
        for a in ("accept", "dispatch", "reject", "take_up", "resolve", "merge", "note", "escalate")
        if f'data-action="{a}"' in page
    }
    assert shown == {"accept", "dispatch", "reject", "merge", "note", "escalate"}

    appeal = dispatched(appeal_world, appeal)
    page = verified_client(appeal_world.users["handler"]).get(detail(appeal)).content.decode()
    assert 'data-action="take_up"' in page and 'data-action="return"' in page
    assert 'data-action="dispatch"' not in page and 'data-action="merge"' not in page


def test_dispatch_prefills_the_suggestion_and_an_override_needs_a_reason(appeal_world, verified_client):
    appeal = appeal_world.submit()
    client = verified_client(appeal_world.users["staff"])
    page = client.get(detail(appeal)).content.decode()
    assert 'data-testid="dispatch-rule"' in page and "富丰物业" in page
    assert f'<option value="{appeal_world.property_manager.pk}" selected>' in page

    committee = appeal_world.residents_committee.pk
    response = client.post(act(appeal, "dispatch"), {"version": appeal.version, "organization": committee})
    assert response.status_code == 200
    assert "id_dispatch_reason_errors" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED

    response = client.post(
        act(appeal, "dispatch"),
        {
            "version": appeal.version,
            "organization": committee,
            "reason": "物业已撤场，由居委会协调",
            "share_contact": "on",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED and appeal.organization_id == committee and appeal.contact_shared
    page = client.get(detail(appeal)).content.decode()
    assert "物业已撤场，由居委会协调" in page.split('data-testid="timeline"')[1]


def test_a_stale_version_reloads_the_page_and_keeps_the_typed_text(appeal_world, verified_client):
    appeal = appeal_world.submit()
    old_version = appeal.version
    accept_appeal(actor=appeal_world.users["secretary"], appeal=appeal, version=appeal.version)
    client = verified_client(appeal_world.users["staff"])
    response = client.post(act(appeal, "note"), {"version": old_version, "note": "已电话联系物业经理，明早到场"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="stale"' in page
    assert "已电话联系物业经理，明早到场" in page  # kept in the note form, with the current version
    assert f'name="version" value="{old_version + 1}"' in page
    assert not AppealEvent.objects.filter(appeal=appeal, kind="note").exists()

    # Submitting the kept form again now works.
    response = client.post(act(appeal, "note"), {"version": old_version + 1, "note": "已电话联系物业经理，明早到场"})
    assert response.status_code == 302
    assert AppealEvent.objects.filter(appeal=appeal, kind="note").count() == 1


def test_a_stale_action_no_longer_possible_still_shows_what_was_typed(appeal_world, verified_client):
    appeal = appeal_world.submit()
    version = appeal.version
    dispatched(appeal_world, appeal)
    client = verified_client(appeal_world.users["secretary"])
    response = client.post(act(appeal, "reject"), {"version": version, "reason": "不属于本社区管辖范围"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="kept-text"' in page and "不属于本社区管辖范围" in page
    assert Appeal.objects.get(pk=appeal.pk).status == Status.DISPATCHED


def test_validation_errors_come_back_beside_the_field(appeal_world, verified_client):
    appeal = appeal_world.submit()
    client = verified_client(appeal_world.users["staff"])
    response = client.post(act(appeal, "supervise"), {"version": appeal.version, "on": "on", "note": "尽快"})
    assert response.status_code == 403  # community staff do not supervise
    client = verified_client(appeal_world.users["secretary"])
    response = client.post(act(appeal, "supervise"), {"version": appeal.version, "on": "on", "note": "  "})
    assert response.status_code == 200
    assert "id_supervise_note_errors" in response.content.decode()
    response = client.post(act(appeal, "supervise"), {"version": appeal.version, "on": "on", "note": "三日内办结"})
    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).is_supervised
    assert refs(client.get(LIST + "?tab=supervised")) == [appeal.reference]


def test_handler_takes_up_reports_progress_and_resolves_with_a_photo(appeal_world, verified_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    appeal = dispatched(appeal_world, appeal_world.submit())
    client = verified_client(appeal_world.users["handler"])
    assert client.post(act(appeal, "take_up"), {"version": appeal.version}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    client.post(act(appeal, "progress"), {"version": appeal.version, "note": "已约谈车主", "public": "on"})
    appeal.refresh_from_db()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    photo = SimpleUploadedFile("after.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        act(appeal, "resolve"), {"version": appeal.version, "resolution": "飞线已拆除，已安装充电桩", "photos": [photo]}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED and appeal.photos.filter(stage="resolution").count() == 1
    page = client.get(detail(appeal)).content.decode()
    assert "飞线已拆除" in page and "已约谈车主" in page
    stored = appeal.photos.get()
    response = client.get(reverse("appeals:appeal_photo", args=[appeal.pk, stored.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # Someone else's handler cannot fetch it.
    client = verified_client(appeal_world.users["other_handler"])
    assert client.get(reverse("appeals:appeal_photo", args=[appeal.pk, stored.pk])).status_code == 404


def test_handler_returns_an_appeal_and_loses_sight_of_it(appeal_world, verified_client):
    appeal = dispatched(appeal_world, appeal_world.submit())
    client = verified_client(appeal_world.users["handler"])
    response = client.post(act(appeal, "return"), {"version": appeal.version, "reason": "不在我司服务范围"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert Appeal.objects.get(pk=appeal.pk).status == Status.ACCEPTED
    assert client.get(detail(appeal)).status_code == 404


def test_another_organisations_handler_cannot_act(appeal_world, verified_client):
    appeal = dispatched(appeal_world, appeal_world.submit())
    client = verified_client(appeal_world.users["other_handler"])
    assert client.post(act(appeal, "take_up"), {"version": appeal.version}).status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).status == Status.DISPATCHED


def test_merge_from_the_similar_appeals_panel(appeal_world, verified_client):
    first = appeal_world.submit()
    second = appeal_world.submit(description="1座楼道又有人拉飞线给电动车充电")
    client = verified_client(appeal_world.users["staff"])
    page = client.get(detail(second)).content.decode()
    panel = page.split('data-testid="similar"')[1]
    assert f'data-similar="{first.reference}"' in panel
    response = client.post(act(second, "merge"), {"version": second.version, "into": first.pk})
    assert response.status_code == 302 and response["Location"] == detail(first)
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.duplicate_of_id == first.pk


def test_merge_by_reference_refuses_an_appeal_outside_the_users_areas(appeal_world, verified_client):
    from shuren.appeals.services import AppealLocation

    mine = appeal_world.submit()
    elsewhere = appeal_world.submit(
        actor=appeal_world.users["staff_b"],
        channel="phone",
        location=AppealLocation(area=appeal_world.tree["grid_b1"]),
        description="金旗峰小区门口有电动车充电",
    )
    client = verified_client(appeal_world.users["staff"])
    response = client.post(act(mine, "merge"), {"version": mine.version, "reference": elsewhere.reference})
    assert response.status_code == 200
    assert "id_merge_reference_errors" in response.content.decode()
    assert Appeal.objects.get(pk=mine.pk).status == Status.SUBMITTED


def test_publishing_a_resolved_appeal_defaults_to_a_scrubbed_summary(appeal_world, verified_client):
    from shuren.appeals.services import resolve_appeal

    appeal = dispatched(appeal_world, appeal_world.submit(description="1座301室门口有人充电，电话13912345678"))
    appeal = resolve_appeal(
        actor=appeal_world.users["handler"], appeal=appeal, version=appeal.version, resolution="已处理"
    )
    client = verified_client(appeal_world.users["staff"])
    page = client.get(detail(appeal)).content.decode()
    form = page.split('data-testid="form-publish"')[1].split("</form>")[0]
    assert "[电话]" in form and "13912345678" not in form
    response = client.post(act(appeal, "publish"), {"version": appeal.version, "public_summary": "楼道充电已处理"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert not appeal.is_published and appeal.public_summary == "楼道充电已处理"


# --- staff entry ---------------------------------------------------------------------------------


def test_staff_record_a_phone_call_and_see_similar_appeals_at_once(appeal_world, verified_client):
    earlier = appeal_world.submit()
    client = verified_client(appeal_world.users["staff"])
    form = client.get(reverse("appeals:appeal_new")).content.decode()
    assert 'name="channel"' in form and "<optgroup" in form
    building = appeal_world.buildings[0]
    response = client.post(
        reverse("appeals:appeal_new"),
        {
            "channel": "hotline",
            "reporter_name": "赵先生",
            "reporter_phone": "13900001111",
            "category": appeal_world.category("ebike-charging").pk,
            "estate": appeal_world.estate.pk,
            "building": building.pk,
            "description": "12345转来：1座楼道有电动车充电飞线",
        },
    )
    appeal = Appeal.objects.exclude(pk=earlier.pk).get()
    assert response.status_code == 302 and response["Location"] == detail(appeal) + "?recorded=1"
    assert appeal.channel == "hotline" and appeal.building_id == building.pk
    assert appeal.recorded_by_id == appeal_world.users["staff"].pk and appeal.reporter_name == "赵先生"
    page = client.get(response["Location"]).content.decode()
    assert f'data-similar="{earlier.reference}"' in page and 'href="#similar"' in page


def test_staff_entry_keeps_what_was_typed_when_the_service_refuses(appeal_world, verified_client):
    client = verified_client(appeal_world.users["staff"])
    response = client.post(
        reverse("appeals:appeal_new"),
        {
            "channel": "phone",
            "is_anonymous": "on",
            "category": appeal_world.category("noise").pk,
            "area": appeal_world.tree["grid_a1"].pk,
            "address": "北门广场",
            "description": "晚上十点后广场舞音响很吵",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "id_is_anonymous_errors" in page  # the community does not accept anonymous appeals
    assert "晚上十点后广场舞音响很吵" in page and "北门广场" in page
    assert not Appeal.objects.exists()


def test_staff_entry_offers_only_places_in_scope(appeal_world, verified_client):
    from shuren.places.models import Estate

    Estate.objects.create(community=appeal_world.tree["com_b"], name="金旗峰花园")
    page = verified_client(appeal_world.users["grid_worker"]).get(reverse("appeals:appeal_new")).content.decode()
    assert "富丰新城" in page and "金旗峰花园" not in page
    # A dwelling of another building than the one chosen is refused.
    from shuren.places.models import Dwelling

    other = Dwelling.objects.filter(unit__building=appeal_world.buildings[1]).first()
    response = verified_client(appeal_world.users["grid_worker"]).post(
        reverse("appeals:appeal_new"),
        {
            "channel": "patrol",
            "category": appeal_world.category("lift").pk,
            "estate": appeal_world.estate.pk,
            "building": appeal_world.buildings[0].pk,
            "dwelling": other.pk,
            "description": "电梯按钮失灵",
        },
    )
    assert response.status_code == 200 and "id_dwelling_errors" in response.content.decode()


def test_status_filter_offers_any_open_status_and_keeps_valid_filters_beside_a_bad_one(appeal_world, verified_client):
    world = appeal_world
    open_one = world.submit()
    finished = world.submit(description="2座门口路灯坏了，晚上看不见路", category="lighting", building=1)
    reject_appeal(actor=world.users["staff"], appeal=finished, version=finished.version, reason="已由供电部门处理")
    client = verified_client(world.users["staff"])

    page = client.get("/appeals/", {"status": "open"}).content.decode()
    assert open_one.reference in page and finished.reference not in page

    category = world.category("lighting").pk
    page = client.get("/appeals/", {"status": "no-such-status", "category": category, "tab": "all"}).content.decode()
    assert finished.reference in page and open_one.reference not in page  # the category still applies


def test_the_list_costs_the_same_queries_for_few_or_many_appeals_reported_from_homes(appeal_world, verified_client):
    """Appeals filed for a room show "****" in the list without loading the room, and the unread count
    the bell, the tab bar and the menu show is counted once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shuren.appeals.services import AppealLocation
    from shuren.places.models import Dwelling

    w = appeal_world
    rooms = list(Dwelling.objects.filter(unit__building__in=w.buildings).order_by("pk")[:12])
    assert len(rooms) == 12
    client = verified_client(w.users["staff"])

    def add(count):
        for n in range(count):
            w.submit(description=f"{n}号房楼上漏水，天花板在滴水", location=AppealLocation(dwelling=rooms[n]))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("appeals:appeal_list"))
        assert response.status_code == 200
        counts = [q["sql"] for q in captured.captured_queries if "notifications_message" in q["sql"]]
        return len(captured), response.content.decode().count("****"), len(counts)

    add(2)
    few = queries()
    add(10)
    many = queries()
    assert (few[1], many[1]) == (2, 12)
    assert many[0] == few[0], (few, many)
    assert many[2] == 1
