"""The organisations registry's spreadsheet exports: organisations (no personal data) and the
posts held today (names masked unless the viewer may see them in full)."""

from __future__ import annotations

from shuren.core.exports import Column, Exporter
from shuren.core.masking import display_name


def _masked_name(name: str) -> str:
    return display_name(name, full=False)


class OrganizationExporter(Exporter):
    name = "orgs.organization_export"
    filename = "organisations"
    title = "组织 Organisations"
    columns = (
        Column("名称 Name", lambda org: org.name),
        Column("类型 Kind", lambda org: org.get_kind_display()),
        Column("社区 Community", lambda org: org.area.name),
        Column("小区 Estate", lambda org: org.estate.name if org.estate_id else ""),
        Column("成员 Members", lambda org: org.member_count),
        Column("承诺资源 Pledged", lambda org: org.pledged_resources),
    )


class PostExporter(Exporter):
    name = "orgs.post_export"
    filename = "posts"
    title = "岗位 Posts"
    columns = (
        Column("岗位 Post", lambda a: a.kind.name),
        Column("姓名 Name", lambda a: a.person.name, mask=_masked_name, unmasked_by="people.change_person"),
        Column("区域 Area", lambda a: a.area.name),
        Column(
            "负责楼栋或街巷 Covers",
            lambda a: "、".join(f"{b.estate.name} {b.number}" for b in a.buildings.all()) or a.place_name,
        ),
        Column("任期起 From", lambda a: a.from_on.isoformat()),
        Column("任期止 Ends", lambda a: a.to_on.isoformat() if a.to_on else ""),
    )
