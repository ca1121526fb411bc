"""Demo residents of 富丰新城 (大新社区): owners and tenants with tags, so every role has people to see."""

from __future__ import annotations

from typing import Any

from shuren.places.models import Dwelling

from .models import Person, PersonTag, PersonTagging, Residence, ResidenceRelation, ResidenceStatus, VisitRule

TAGS = [
    ("veteran", "退役军人", False),
    ("elderly-alone", "独居老人", True),
    ("low-income", "低收入", True),
    ("disability", "残疾人", True),
    ("full-time-mother", "全职妈妈", False),
    ("child", "儿童", False),
    ("newcomer", "新市民", False),
    ("cross-city-commuter", "广佛候鸟", False),
]

# name, ID number (valid test numbers), mobile, room in 富丰新城 1座1单元, relation, status, tags
RESIDENTS = [
    ("林小梅", "440602199001011245", "+8613800138001", "101", "owner", "permanent", ["full-time-mother"]),
    ("黄伯荣", "440106195503152611", "+8613900139001", "102", "owner", "registered", ["elderly-alone", "veteran"]),
    ("陈志强", "", "+8613900139002", "201", "tenant", "floating", ["newcomer", "cross-city-commuter"]),
    ("梁婉仪", "", "+8613900139003", "202", "family", "permanent", ["low-income"]),
    ("何嘉豪", "", "", "301", "family", "permanent", ["child"]),
]


def load(context: Any) -> None:
    tags = {}
    for code, name, sensitive in TAGS:
        tags[code], _created = PersonTag.objects.update_or_create(
            code=code, defaults={"name": name, "is_sensitive": sensitive}
        )
    VisitRule.objects.update_or_create(tag=tags["elderly-alone"], defaults={"interval_days": 7})
    estate = context.extra.get("estates", {}).get("富丰新城")
    if estate is None:
        return
    for name, id_number, phone, room, relation, status, tag_codes in RESIDENTS:
        dwelling = Dwelling.objects.get(
            unit__building__estate=estate, unit__building__number="1座", unit__number="1单元", room=room
        )
        person = Person.objects.filter(community=estate.community, name=name).first()
        if person is None:
            person = Person(community=estate.community, name=name)
        if id_number:
            from shuren.core.validators import parse_id_number

            parsed = parse_id_number(id_number)
            person.id_number, person.birth_date, person.gender = parsed.number, parsed.birth_date, parsed.sex
        person.phone = phone
        person.scope = dwelling.scope
        person.save()
        Residence.objects.get_or_create(
            person=person,
            dwelling=dwelling,
            defaults={"relation": ResidenceRelation(relation), "status": ResidenceStatus(status)},
        )
        for code in tag_codes:
            PersonTagging.objects.get_or_create(person=person, tag=tags[code])
