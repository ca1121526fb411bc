"""Following one's appeals (/my/appeals/): the list, the public timeline, rating, reopening once,
and notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shuren.appeals import services
from shuren.appeals.models import Appeal, IntakePolicy, Status
from shuren.appeals.testing import appeal_notices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages asserted below are the English source


@pytest.fixture
def named_staff(appeal_world):
    """Give the desk and the handler names, to prove the reporter never sees them."""
    for key, name in (("staff", "王主任"), ("handler", "张师傅")):
        user = appeal_world.users[key]
        user.full_name = name
        user.save()
    return appeal_world


def dispatch(world, appeal: Appeal) -> Appeal:
    return services.dispatch_appeal(
        actor=world.users["staff"], appeal=appeal, version=appeal.version, organization=world.property_manager
    )


def resolve(world, appeal: Appeal, reply: str = "已联系业主拆除飞线，并在楼道张贴安全提示。") -> Appeal:
    appeal = dispatch(world, appeal)
    handler = world.users["handler"]
    appeal = services.take_up_appeal(actor=handler, appeal=appeal, version=appeal.version)
    return services.resolve_appeal(actor=handler, appeal=appeal, version=appeal.version, resolution=reply)


def detail_url(appeal: Appeal) -> str:
    return reverse("appeals_portal:detail", kwargs={"pk": appeal.pk})


def test_my_appeals_shows_only_mine(client, appeal_world):
    mine = appeal_world.submit()
    theirs = appeal_world.submit(actor=appeal_world.users["neighbour"], description="2座楼下有人乱停车堵住消防通道")
    recorded = appeal_world.submit(actor=appeal_world.users["grid_worker"], channel="patrol")
    client.force_login(appeal_world.users["resident"])

    html = client.get("/my/appeals/").content.decode()

    assert mine.reference in html and theirs.reference not in html and recorded.reference not in html
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(reverse("appeals_portal:submitted", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(detail_url(theirs), {"is_solved": "yes", "satisfaction": 5, "version": 1}).status_code == 404


def test_the_timeline_is_public_only_and_names_organisations_not_people(client, named_staff):
    world = named_staff
    appeal = world.submit()
    staff, handler = world.users["staff"], world.users["handler"]
    appeal = services.add_note(actor=staff, appeal=appeal, version=appeal.version, note="内部：此户曾多次投诉")
    appeal = dispatch(world, appeal)
    appeal = services.take_up_appeal(actor=handler, appeal=appeal, version=appeal.version)
    appeal = services.record_progress(
        actor=handler, appeal=appeal, version=appeal.version, note="明天上门查看飞线", public=True
    )
    appeal = services.record_progress(
        actor=handler, appeal=appeal, version=appeal.version, note="内部：业主态度不好", public=False
    )
    client.force_login(world.users["resident"])

    html = client.get(detail_url(appeal)).content.decode()

    assert "明天上门查看飞线" in html and "富丰物业" in html
    assert "内部" not in html  # neither the desk's note nor the handler's private progress
    assert "张师傅" not in html and "王主任" not in html and "pm_clerk" not in html
    assert 'data-testid="timeline"' in html and "Passed to 富丰物业" in html


def test_feedback_closes_the_appeal_and_the_rating_is_shown(client, appeal_world):
    appeal = resolve(appeal_world, appeal_world.submit())
    client.force_login(appeal_world.users["resident"])
    html = client.get(detail_url(appeal)).content.decode()
    assert 'data-testid="feedback-form"' in html and "已联系业主拆除飞线" in html
    assert html.count('class="star-input"') == 5 and 'for="id_satisfaction_4"' in html  # real radios, labelled

    response = client.post(
        detail_url(appeal),
        {
            "is_solved": "yes",
            "satisfaction": "4",
            "comment": "处理及时",
            "version": appeal.version,
            "decision": "close",
        },
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.satisfaction == 4 and appeal.is_solved
    html = client.get(detail_url(appeal)).content.decode()
    assert 'data-testid="rating-given"' in html and "4 stars: satisfied" in html and "处理及时" in html
    assert 'data-testid="feedback-form"' not in html


def test_feedback_needs_a_rating_and_keeps_the_comment(client, appeal_world):
    appeal = resolve(appeal_world, appeal_world.submit())
    client.force_login(appeal_world.users["resident"])
    response = client.post(detail_url(appeal), {"is_solved": "yes", "comment": "还行", "version": appeal.version})
    assert response.status_code == 400 and "还行" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED


def test_a_stale_rating_is_refused(client, appeal_world):
    appeal = resolve(appeal_world, appeal_world.submit())
    client.force_login(appeal_world.users["resident"])
    response = client.post(detail_url(appeal), {"is_solved": "yes", "satisfaction": "5", "version": appeal.version - 1})
    assert response.status_code == 400 and "changed meanwhile" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED


def test_reopen_within_the_window_once_and_refused_the_second_time(client, appeal_world):
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], reopen_days=5)
    appeal = resolve(appeal_world, appeal_world.submit())
    client.force_login(appeal_world.users["resident"])
    html = client.get(detail_url(appeal)).content.decode()
    deadline = timezone.localtime(appeal.resolved_at + dt.timedelta(days=5))
    assert 'data-testid="reopen-rule"' in html and f"{deadline:%Y-%m-%d %H:%M}" in html and "only once" in html

    unsolved = {"is_solved": "no", "satisfaction": "1", "comment": "飞线还在", "decision": "reopen"}
    response = client.post(detail_url(appeal), {**unsolved, "version": appeal.version})

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED and appeal.reopen_count == 1 and appeal.organization is None
    appeal = resolve(appeal_world, appeal, reply="已再次上门，飞线已拆除")
    html = client.get(detail_url(appeal)).content.decode()
    assert 'data-testid="reopen"' not in html and 'data-testid="reopen-used"' in html

    response = client.post(detail_url(appeal), {**unsolved, "version": appeal.version})

    assert response.status_code == 400 and "can no longer be reopened" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED and appeal.reopen_count == 1


def test_reopening_is_refused_after_the_window(client, appeal_world):
    appeal = resolve(appeal_world, appeal_world.submit())
    Appeal.objects.filter(pk=appeal.pk).update(resolved_at=timezone.now() - dt.timedelta(days=8))
    appeal.refresh_from_db()
    client.force_login(appeal_world.users["resident"])
    assert 'data-testid="reopen"' not in client.get(detail_url(appeal)).content.decode()
    response = client.post(
        detail_url(appeal),
        {"is_solved": "no", "satisfaction": "1", "decision": "reopen", "version": appeal.version},
    )
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED


def test_a_closed_appeal_rated_low_may_still_be_reopened_within_the_window(client, appeal_world):
    appeal = resolve(appeal_world, appeal_world.submit())
    client.force_login(appeal_world.users["resident"])
    client.post(detail_url(appeal), {"is_solved": "no", "satisfaction": "2", "version": appeal.version})
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    html = client.get(detail_url(appeal)).content.decode()
    assert 'data-testid="rating-given"' in html and 'data-testid="reopen"' in html
    assert 'data-testid="send-feedback"' not in html
    response = client.post(
        detail_url(appeal), {"is_solved": "no", "satisfaction": "2", "decision": "reopen", "version": appeal.version}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED


def test_the_collector_follows_but_does_not_rate(verified_client, appeal_world):
    grid_worker = appeal_world.users["grid_worker"]
    appeal = resolve(appeal_world, appeal_world.submit(actor=grid_worker, channel="patrol"))
    client = verified_client(grid_worker)
    html = client.get(detail_url(appeal)).content.decode()
    assert "已联系业主拆除飞线" in html and 'data-testid="feedback-form"' not in html
    response = client.post(detail_url(appeal), {"is_solved": "yes", "satisfaction": "5", "version": appeal.version})
    assert response.status_code == 400 and "cannot be rated or reopened now" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED


def test_notices_reach_the_inbox_and_opening_the_appeal_reads_them(client, appeal_world):
    resident = appeal_world.users["resident"]
    appeal = appeal_world.submit()
    appeal = services.reject_appeal(
        actor=appeal_world.users["staff"], appeal=appeal, version=appeal.version, reason="不属于本社区管辖"
    )
    other = appeal_world.submit()
    resolve(appeal_world, other)
    client.force_login(resident)
    [rejected] = appeal_notices(appeal=appeal, recipient=resident)
    assert rejected.kind == "appeals.rejected" and rejected.link == detail_url(appeal)
    assert "不属于本社区管辖" in rejected.text and appeal.reference in rejected.text
    unread = appeal_notices(recipient=resident, read_at=None).count()
    assert unread >= 2  # the rejection, the resolution and the steps before it

    home = client.get("/me/").content.decode()
    assert 'data-testid="tile-my-appeals"' in home and 'data-testid="waiting-messages"' in home
    assert f"{unread} unread messages" in home
    old = client.get("/my/appeals/notifications/")
    assert (old.status_code, old["Location"]) == (301, "/notifications/")
    assert "不属于本社区管辖" in client.get("/notifications/").content.decode()

    # Opening the appeal reads its messages, and only its own.
    client.get(detail_url(other))
    assert list(appeal_notices(recipient=resident, read_at=None)) == [rejected]
    assert "1 unread message<" in client.get("/me/").content.decode()


def test_the_old_mark_read_forms_lead_to_the_inbox_and_touch_nobody_elses(client, appeal_world):
    resolve(appeal_world, appeal_world.submit())
    resolve(appeal_world, appeal_world.submit(actor=appeal_world.users["neighbour"]))
    theirs = appeal_notices(recipient=appeal_world.users["neighbour"], kind="resolved").get()
    client.force_login(appeal_world.users["resident"])
    assert client.post(reverse("appeals_portal:notification_read", kwargs={"pk": theirs.pk})).status_code == 404
    mine = appeal_notices(recipient=appeal_world.users["resident"], kind="resolved").get()
    response = client.post(reverse("appeals_portal:notification_read", kwargs={"pk": mine.pk}))
    assert response["Location"] == "/notifications/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("appeals_portal:notifications_read_all"))["Location"] == "/notifications/"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_portal_home_and_navigation_link_the_appeal_pages(client, appeal_world):
    client.force_login(appeal_world.users["resident"])
    html = client.get("/me/").content.decode()
    for url in ("/my/appeals/new/", "/my/appeals/", "/notifications/", "/board/"):
        assert f'href="{url}"' in html


def test_my_appeals_reads_in_a_fixed_number_of_queries(client, appeal_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    appeal_world.submit()
    client.force_login(appeal_world.users["resident"])
    with CaptureQueriesContext(connection) as one:
        client.get("/my/appeals/")
    for _n in range(3):
        resolve(appeal_world, appeal_world.submit(category="lift", description="电梯按钮失灵，经常停错楼层"))
    with CaptureQueriesContext(connection) as four:
        html = client.get("/my/appeals/").content.decode()
    assert html.count('data-testid="appeal-') == 4
    assert len(four) == len(one)
