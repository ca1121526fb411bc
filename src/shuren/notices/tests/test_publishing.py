"""Publication: the residents' inboxes and the stairwell groups' robots get the notice through the
outbox, in the transaction of the publication; nothing personal reaches a group; scheduled notices
go out at their time; a published notice is never edited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from shuren.core.errors import InvalidTransition
from shuren.notices import services
from shuren.notices.models import GroupWebhook, Notice, NoticeStatus, Urgency
from shuren.notifications.models import Message, Status
from shuren.notifications.services import deliver_due
from shuren.notifications.testing import ROBOT_KEY, WecomServer

pytestmark = pytest.mark.django_db

OTHER_KEY = "5aa1b2c3-0000-4bc4-97a0-0ec2f1a95bbb"


@pytest.fixture
def robot() -> Iterator[WecomServer]:
    """WeCom's group robot webhook, local and strict as the real one."""
    with WecomServer() as server:
        server.keys.add(OTHER_KEY)
        with override_settings(
            SHUREN_WECOM_WEBHOOK_BASE=server.url,
            SHUREN_WECOM_TIMEOUT=2,
            SHUREN_SITE_URL="https://shuren.example.org",
        ):
            yield server


def hook(world, server: WecomServer, *, building=None, grid=None, key: str = ROBOT_KEY) -> GroupWebhook:
    return services.save_webhook(
        actor=world.users["staff"], url=server.webhook(key), building=building, grid=grid, name="1座楼道群"
    )


def test_publishing_puts_the_notice_in_each_residents_inbox_at_once(notice_world) -> None:
    notice = notice_world.published()
    inbox = Message.objects.filter(event_key=f"notice:{notice.pk}:published", channel="inapp")
    assert set(inbox.values_list("recipient__username", flat=True)) == {
        "nt_party",
        "nt_wife",
        "nt_volunteer",
        "nt_unit2",
        "nt_leader",
    }
    assert set(inbox.values_list("status", flat=True)) == {Status.SENT}
    assert set(inbox.values_list("kind", flat=True)) == {"notices.published"}
    assert {m.link for m in inbox} == {f"/my/notices/{notice.pk}/"}
    assert notice.status == NoticeStatus.PUBLISHED and notice.published_at is not None


def test_an_urgent_notice_is_sent_as_urgent(notice_world) -> None:
    notice = notice_world.published(urgency=Urgency.URGENT)
    message = Message.objects.filter(event_key=f"notice:{notice.pk}:published")[0]
    assert message.kind == "notices.urgent" and message.urgent
    assert notice.title in message.subject


def test_the_buildings_group_gets_the_notice_without_anything_personal(notice_world, robot) -> None:
    building = notice_world.buildings[0]
    hook(notice_world, robot, building=building)
    notice = notice_world.published(
        title="停水通知：王秀英家漏水",
        body="王秀英（1座1单元101）家水管爆裂，维修师傅电话13912345678，身份证440605195001011234。周楼长联系。",
    )
    group = Message.objects.get(event_key=f"notice:{notice.pk}:published", channel="wecom")
    assert group.address == f"building:{building.pk}" and group.recipient_id is None
    assert "13912345678" not in group.text and "王秀英" not in group.text
    assert deliver_due()["sent"] == 1
    [content] = robot.delivered
    assert content.startswith("**停水通知")
    for personal in ("王秀英", "周楼长", "13912345678", "440605195001011234", "1单元101"):
        assert personal not in content
    assert f"(https://shuren.example.org/my/notices/{notice.pk}/)" in content
    # The webhook's key travels in the request only, never in the message or its error.
    group.refresh_from_db()
    assert group.status == Status.SENT and ROBOT_KEY not in group.address + group.text + group.last_error


def test_markup_in_a_title_arrives_as_text_in_the_group(notice_world, robot) -> None:
    hook(notice_world, robot, building=notice_world.buildings[0])
    notice_world.published(
        title='<font color="warning">停电</font> **全楼** [点我](http://evil.example) <@all>',
        body="# 通知\n> 引用 `code` https://evil.example/x",
    )
    deliver_due()
    [content] = robot.delivered
    assert "<font" not in content and "<@all>" not in content and "](http://evil.example)" not in content
    assert "https://evil.example" not in content and "\n# " not in content


def test_a_building_without_a_group_is_reached_through_its_grids_group(notice_world, robot) -> None:
    hook(notice_world, robot, building=notice_world.buildings[0])
    grid_hook = hook(notice_world, robot, grid=notice_world.tree["grid_a1"], key=OTHER_KEY)
    notice = notice_world.published(estate=notice_world.estate)
    groups = set(
        Message.objects.filter(event_key=f"notice:{notice.pk}:published", channel="wecom").values_list(
            "address", flat=True
        )
    )
    assert groups == {f"building:{notice_world.buildings[0].pk}", grid_hook.address}
    assert deliver_due()["sent"] >= 2
    assert len(robot.delivered) == 2


def test_no_group_message_without_a_group_robot(notice_world) -> None:
    notice = notice_world.published()
    assert not Message.objects.filter(event_key=f"notice:{notice.pk}:published", channel="wecom").exists()


def test_a_rolled_back_publication_sends_nothing(notice_world, monkeypatch) -> None:
    notice = notice_world.notice()

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("shuren.notices.services.publishing._send", broken)
    with pytest.raises(RuntimeError):
        services.publish_notice(actor=notice_world.users["staff"], notice=notice, version=notice.version)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert not notice.targets.exists()
    assert not Message.objects.filter(event_key=f"notice:{notice.pk}:published").exists()


def test_a_notice_is_published_once(notice_world) -> None:
    notice = notice_world.published()
    with pytest.raises(InvalidTransition):
        services.publish_notice(actor=notice_world.users["staff"], notice=notice, version=notice.version)


def test_a_published_notice_is_not_edited(notice_world) -> None:
    notice = notice_world.published()
    with pytest.raises(InvalidTransition):
        services.update_notice(
            actor=notice_world.users["staff"],
            notice=notice,
            version=notice.version,
            title="改过的标题",
            body="改过的内容",
            urgency=Urgency.NORMAL,
            publish_at=None,
            ends_at=None,
            is_public=False,
            area=None,
            estate=None,
            building=notice_world.buildings[0],
            unit=None,
            roles=[],
        )


def test_a_scheduled_notice_goes_out_at_its_time_and_not_before(notice_world) -> None:
    at = timezone.now() + dt.timedelta(hours=3)
    notice = notice_world.published(publish_at=at)
    assert notice.status == NoticeStatus.SCHEDULED
    assert not Message.objects.filter(event_key=f"notice:{notice.pk}:published").exists()
    assert services.release_due(at=at - dt.timedelta(minutes=1)) == 0
    assert services.release_due(at=at) == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.published_at == at
    assert Message.objects.filter(event_key=f"notice:{notice.pk}:published", channel="inapp").count() == 5
    assert services.release_due(at=at) == 0  # released once


def test_scheduling_queues_the_release_for_the_publish_time(notice_world, django_capture_on_commit_callbacks) -> None:
    from django_tasks_db.models import DBTaskResult

    at = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        notice_world.published(publish_at=at)
    task = DBTaskResult.objects.filter(task_path="shuren.notices.tasks.release_task").get()
    assert task.run_after == at


def test_the_sweep_command_publishes_a_due_notice_whose_queued_release_was_lost(notice_world) -> None:
    import io

    from django.core.management import call_command

    notice = notice_world.published(publish_at=timezone.now() + dt.timedelta(minutes=5))
    Notice.objects.filter(pk=notice.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    call_command("notices", "sweep", stdout=out)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and "published: 1" in out.getvalue()


def test_a_scheduled_notice_can_go_back_to_draft(notice_world) -> None:
    notice = notice_world.published(publish_at=timezone.now() + dt.timedelta(hours=1))
    notice = services.unschedule_notice(actor=notice_world.users["staff"], notice=notice, version=notice.version)
    assert notice.status == NoticeStatus.DRAFT
    assert services.release_due(at=timezone.now() + dt.timedelta(hours=2)) == 0


def test_withdrawing_cancels_what_is_not_delivered_yet(notice_world, robot) -> None:
    hook(notice_world, robot, building=notice_world.buildings[0])
    notice = notice_world.published()
    with pytest.raises(ValidationError):
        services.withdraw_notice(actor=notice_world.users["staff"], notice=notice, version=notice.version, reason=" ")
    notice = services.withdraw_notice(
        actor=notice_world.users["staff"], notice=notice, version=notice.version, reason="日期写错了"
    )
    assert notice.status == NoticeStatus.WITHDRAWN
    group = Message.objects.get(event_key=f"notice:{notice.pk}:published", channel="wecom")
    assert group.status == Status.CANCELLED
    deliver_due()
    assert robot.delivered == []


def test_notices_past_their_end_date_end(notice_world) -> None:
    ends = timezone.now() + dt.timedelta(days=2)
    notice = notice_world.published(ends_at=ends)
    assert services.end_due(at=ends - dt.timedelta(seconds=1)) == 0
    assert services.end_due(at=ends) == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ENDED


def test_the_end_must_come_after_the_publication(notice_world) -> None:
    with pytest.raises(ValidationError) as error:
        notice_world.notice(ends_at=timezone.now() - dt.timedelta(hours=1))
    assert "ends_at" in error.value.message_dict


def test_the_group_message_of_a_public_notice_links_to_the_public_page(notice_world, robot) -> None:
    hook(notice_world, robot, building=notice_world.buildings[0])
    notice = notice_world.published(title="消防演练", body="周六上午演练。", is_public=True)
    group = Message.objects.get(event_key=f"notice:{notice.pk}:published", channel="wecom")
    assert group.link == f"/public/notices/{notice_world.tree['com_a'].pk}/{notice.pk}/"
    deliver_due()
    [content] = robot.delivered
    assert f"(https://shuren.example.org/public/notices/{notice_world.tree['com_a'].pk}/{notice.pk}/)" in content
