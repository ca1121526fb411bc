"""The spreadsheets of volunteering: the register of volunteers with their hours (phones masked) and
the party members' progress toward the annual target (双50小时)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.core.exports import Column, Exporter
from shuren.core.masking import mask_phone

from . import selectors
from .models import VolunteerProfile, availability_labels
from .services.records import to_hours


class VolunteerExporter(Exporter):
    """The filtered register (profiles annotated by ``selectors.with_hours``)."""

    name = "volunteering.export_volunteers"
    filename = "volunteers"
    title = "志愿者 Volunteers"
    columns = (
        Column("姓名 Name", lambda p: p.person.name),
        Column("拼音 Pinyin", lambda p: p.person.name_pinyin),
        Column("手机 Mobile", lambda p: p.person.phone, mask=mask_phone),
        Column("社区 Community", lambda p: p.community.name),
        Column("状态 Status", lambda p: p.get_status_display()),
        Column("技能 Skills", lambda p: "、".join(s.name for s in p.skills.all())),
        Column("可服务时间 Availability", lambda p: "、".join(availability_labels(p.availability))),
        Column("服务队 Teams", lambda p: "、".join(p.team_names)),
        Column("本年时长(小时) Hours this year", lambda p: float(to_hours(p.minutes_year))),
        Column("累计时长(小时) Hours overall", lambda p: float(to_hours(p.minutes_total))),
        Column("登记时间 Registered", lambda p: timezone.localtime(p.applied_at).strftime("%Y-%m-%d")),
    )

    def prepare(self, objects: Iterable[Any]) -> list[VolunteerProfile]:
        profiles = list(objects)
        teams = selectors.teams_by_person([p.person_id for p in profiles])
        for profile in profiles:
            profile.team_names = teams.get(profile.person_id, [])
        return profiles


class ProgressExporter(Exporter):
    """Each party member's hours in a year against the target (rows of ``selectors.party_progress``)."""

    name = "volunteering.export_progress"
    columns = (
        Column("姓名 Name", lambda r: r.person.name),
        Column("党员身份 Membership", lambda r: r.party_status),
        Column("本年时长(小时) Hours", lambda r: float(r.hours)),
        Column("目标(小时) Target", lambda r: r.target),
        Column("完成率 Percent", lambda r: f"{r.percent}%"),
        Column("应完成(小时) Expected so far", lambda r: float(r.expected)),
        Column("落后 Behind", lambda r: _("Yes") if r.is_behind else ""),
    )

    def __init__(self, user: Any, *, year: int, full: bool = False) -> None:
        super().__init__(user, full=full)
        self.filename = f"party-service-{year}"
        self.title = f"党员服务时长 {year}"
