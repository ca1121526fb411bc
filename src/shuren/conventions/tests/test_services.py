"""Conventions through their services: versions from the text in force, discussion by residents of
the place, adoption by a meeting or a ballot (the contract), refusals, repeal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shuren.audit.models import AuditEvent
from shuren.conventions import services
from shuren.conventions.models import ConventionStatus, ConventionVersion, VersionStatus
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope

pytestmark = pytest.mark.django_db

TEXT_V1 = "一、电瓶车一律停放在指定车棚。\n二、严禁将电瓶车推入电梯、楼道。\n三、严禁飞线充电。"
TODAY = dt.date(2024, 5, 20)


def draft(co_world, **kwargs):
    kwargs.setdefault("area", co_world.tree["com_a"])
    kwargs.setdefault("estate", co_world.estate)
    return services.create_convention(
        actor=co_world.users["staff"], title="富丰新城电瓶车管理公约", text=TEXT_V1, **kwargs
    )


def adopt(co_world, version, **kwargs):
    kwargs.setdefault("via", "meeting")
    kwargs.setdefault("reference", "2024年第2次联席会议决议")
    kwargs.setdefault("adopted_on", TODAY)
    return services.adopt_version(actor=co_world.users["staff"], version=version, **kwargs)


def test_staff_draft_a_convention_with_version_one(co_world):
    convention = draft(co_world)
    assert convention.status == ConventionStatus.DRAFT and convention.scope == co_world.tree["com_a"].path
    version = convention.versions.get()
    assert (version.number, version.status, version.text) == (1, VersionStatus.DRAFT, TEXT_V1)
    assert AuditEvent.objects.filter(action="conventions.create", object_id=str(convention.pk)).exists()


def test_only_staff_of_the_place_draft(co_world):
    with pytest.raises(OutOfScope):
        services.create_convention(actor=co_world.users["staff_b"], title="x", text="y", area=co_world.tree["com_a"])
    with pytest.raises(NotPermitted):
        services.create_convention(
            actor=co_world.users["subdistrict"], title="x", text="y", area=co_world.tree["com_a"]
        )
    resident = co_world.resident()
    with pytest.raises(OutOfScope):
        services.create_convention(actor=resident, title="x", text="y", area=co_world.tree["com_a"])


def test_adoption_puts_the_version_in_force_and_supersedes_the_previous(co_world):
    convention = draft(co_world)
    v1 = adopt(co_world, convention.versions.get())
    convention.refresh_from_db()
    assert v1.status == VersionStatus.ADOPTED and v1.published_at and v1.adopted_on == TODAY
    assert convention.status == ConventionStatus.IN_FORCE and convention.current_version == v1
    v2 = services.start_version(actor=co_world.users["staff"], convention=convention, change_summary="增加充电时段规定")
    assert v2.number == 2 and v2.text == TEXT_V1 and v2.status == VersionStatus.DRAFT
    v2 = services.edit_draft(
        actor=co_world.users["staff"],
        version=v2,
        text=TEXT_V1 + "\n四、充电时间为6:00-23:00。",
        change_summary="增加第四条",
    )
    v2 = services.open_discussion(actor=co_world.users["staff"], version=v2)
    with pytest.raises(InvalidTransition):
        services.edit_draft(actor=co_world.users["staff"], version=v2, text="改", change_summary="")
    v2 = adopt(co_world, v2, via="ballot", reference="业主表决 BL-2024-3")
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED and v2.status == VersionStatus.ADOPTED
    assert convention.current_version == v2
    assert AuditEvent.objects.filter(action="conventions.adopt").count() == 2


def test_the_database_holds_one_version_in_force(co_world):
    convention = draft(co_world)
    adopt(co_world, convention.versions.get())
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionVersion.objects.create(
            convention=convention, number=2, text="x", status=VersionStatus.ADOPTED, drafted_by=co_world.users["staff"]
        )


def test_adoption_refuses_a_decided_version_and_another_place(co_world):
    from shuren.meetings.models import Meeting

    convention = draft(co_world, building=co_world.b3, area=co_world.tree["grid_a1"], estate=None)
    version = convention.versions.get()
    other_building = Meeting(title="5座楼道会议", area=co_world.tree["grid_a2"], building=co_world.b5)
    other_building.fill_place()
    other_building.scope = other_building.placed_scope()
    with pytest.raises(ValidationError, match="所属的地点不同"):
        adopt(co_world, version, source=other_building)
    community_b = Meeting(title="金旗峰议事会", area=co_world.tree["com_b"])
    community_b.scope = community_b.area.path
    with pytest.raises(ValidationError, match="所属的地点不同"):
        adopt(co_world, version, source=community_b)
    with pytest.raises(ValidationError, match="所属的地点不同"):  # no source: the actor's meetings scope decides
        services.adopt_version(
            actor=co_world.users["staff_b"], version=version, via="meeting", reference="x", adopted_on=TODAY
        )
    estate_meeting = Meeting(title="富丰新城联席会议", area=co_world.tree["com_a"], estate=co_world.estate)
    estate_meeting.scope = estate_meeting.area.path
    version = adopt(co_world, version, source=estate_meeting)
    with pytest.raises(InvalidTransition, match="已作出决定|已经决定|已决定"):
        adopt(co_world, version)
    v2 = services.start_version(actor=co_world.users["staff"], convention=convention, change_summary="修改")
    services.reject_version(actor=co_world.users["staff"], version=v2, reason="联席会议未通过")
    v2.refresh_from_db()
    with pytest.raises(InvalidTransition):
        adopt(co_world, v2)
    with pytest.raises(ValidationError):
        adopt(co_world, v2, via="decree")


def test_one_open_version_at_a_time(co_world):
    convention = draft(co_world)
    with pytest.raises(InvalidTransition):
        services.start_version(actor=co_world.users["staff"], convention=convention, change_summary="另一稿")


def test_residents_of_the_place_comment_on_a_version_in_discussion(co_world):
    convention = draft(co_world, building=co_world.b3, area=co_world.tree["grid_a1"], estate=None)
    version = convention.versions.get()
    inside = co_world.resident(room="101")
    with pytest.raises(InvalidTransition):
        services.add_comment(actor=inside, version=version, text="赞成")
    version = services.open_discussion(actor=co_world.users["staff"], version=version)
    comment = services.add_comment(actor=inside, version=version, text="建议充电桩旁配灭火器")
    other_building = co_world.resident(co_world.b5, room="101")
    with pytest.raises(OutOfScope):
        services.add_comment(actor=other_building, version=version, text="我也说两句")
    with pytest.raises(OutOfScope):
        services.add_comment(actor=co_world.resident(co_world.building_b), version=version, text="x")
    with pytest.raises(NotPermitted):
        services.add_comment(actor=co_world.users["subdistrict"], version=version, text="x")
    services.add_comment(actor=co_world.users["staff"], version=version, text="收到，会后统一答复")
    with pytest.raises(OutOfScope):
        services.hide_comment(actor=co_world.users["staff_b"], comment=comment, reason="x")
    with pytest.raises(ValidationError):
        services.hide_comment(actor=co_world.users["staff"], comment=comment, reason=" ")
    comment = services.hide_comment(actor=co_world.users["staff"], comment=comment, reason="含他人电话号码")
    assert comment.hidden_reason and comment.hidden_by == co_world.users["staff"]


def test_repeal_ends_the_convention_but_keeps_its_history(co_world):
    convention = draft(co_world)
    with pytest.raises(InvalidTransition):
        services.repeal_convention(actor=co_world.users["staff"], convention=convention, reason="x")
    adopt(co_world, convention.versions.get())
    convention.refresh_from_db()
    convention = services.repeal_convention(
        actor=co_world.users["staff"], convention=convention, reason="并入新版小区管理规约"
    )
    assert convention.status == ConventionStatus.REPEALED and convention.repeal_reason
    assert convention.current_version is None
    assert convention.versions.get().adopted_on == TODAY
    with pytest.raises(InvalidTransition):
        services.start_version(actor=co_world.users["staff"], convention=convention, change_summary="x")
