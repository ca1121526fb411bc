"""Demo data of the three lists in 大新社区 (富丰新城): what the member units and volunteer teams
offer (the property manager's repairs, the hospital's home health checks, a law firm's free advice,
the elders' haircut volunteers, the elders' canteen ...), the needs the grid worker and the staff
gathered, and their matches at every stage: a lunch for elders living alone in progress, the
stairwell lights from an appeal waiting for the property manager's answer (the demo ``handler``
account is its contact), legal advice done, haircuts open with suggestions, and 林小梅's request
from the serviceable list.

Everything goes through the services, so the timelines and the audit log read as in real use.
Re-running changes nothing once the community has resources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuren.core.clock import at
from shuren.orgs.models import Membership, MembershipRole, Organization, OrganizationKind
from shuren.people.models import Person

from . import services
from .models import ALL_WEEK, Category, Concerned, NeedSource, Resource, ResourceKind, Urgency

WEEKDAYS = 31  # Monday to Friday
# The contact accounts of the units that answer in the story besides the property manager (whose
# contact is the demo handler). They have no password: nobody signs in with them.
CONTACT_USERNAMES = {"大新长者饭堂": "canteen_contact", "广东南粤律师事务所": "lawfirm_contact"}
WEEKEND = 96

# organisation (kind, name, created if missing), title, kind, category, capacity, unit, days, hours, extra
RESOURCES: list[tuple[Any, ...]] = [
    (
        (OrganizationKind.PROPERTY_MANAGER, "富丰物业管理有限公司"),
        "楼道灯具及公共设施维修",
        ResourceKind.SERVICE,
        Category.REPAIR,
        20,
        "次",
        WEEKDAYS,
        ("09:00", "17:30"),
        {"description": "物业工程部上门更换楼道灯、维修门禁和公共水电，每月20次。"},
    ),
    (
        (OrganizationKind.MEMBER_UNIT, "南海区第二人民医院"),
        "长者上门健康检查",
        ResourceKind.SERVICE,
        Category.HEALTH,
        30,
        "人次",
        2 | 8,  # Tuesday and Thursday
        ("14:00", "17:00"),
        {"description": "社区卫生服务站医生上门量血压、测血糖，建立长者健康档案。"},
    ),
    (
        (OrganizationKind.MEMBER_UNIT, "广东南粤律师事务所"),
        "免费法律咨询",
        ResourceKind.SERVICE,
        Category.LEGAL,
        12,
        "次",
        32,  # Saturday
        ("09:00", "12:00"),
        {"description": "每周六上午在党群服务站坐诊，婚姻家事、劳动纠纷、物业纠纷均可咨询。"},
    ),
    (
        (OrganizationKind.VOLUNTEER_TEAM, "大新银丝理发志愿队"),
        "长者义剪",
        ResourceKind.VOLUNTEERS,
        Category.GROOMING,
        40,
        "人次",
        64,  # Sunday
        ("09:00", "11:30"),
        {"skills": "理发、修面", "description": "每月最后一个周日在小区广场为长者义剪，行动不便的可上门。"},
    ),
    (
        (OrganizationKind.MEMBER_UNIT, "大新长者饭堂"),
        "独居长者助餐（午餐）",
        ResourceKind.SERVICE,
        Category.MEALS,
        30,
        "份",
        ALL_WEEK,
        ("11:00", "12:30"),
        {"description": "60岁以上独居长者午餐每份补贴后8元，可送餐上门。"},
    ),
    (
        (OrganizationKind.RESIDENTS_COMMITTEE, "大新社区居民委员会"),
        "党群服务站多功能活动室",
        ResourceKind.VENUE,
        Category.VENUE,
        8,
        "场",
        ALL_WEEK,
        ("08:30", "21:00"),
        {"venue_seats": 40, "description": "可容纳40人，有投影和音响，社区活动、议事会可预约。"},
    ),
    (
        (OrganizationKind.MEMBER_UNIT, "桂城供电服务中心"),
        "楼道线路安全检查",
        ResourceKind.SERVICE,
        Category.REPAIR,
        10,
        "栋",
        WEEKDAYS,
        None,
        {"description": "每季度上门检修楼道线路，排查私拉乱接。"},
    ),
    (
        (OrganizationKind.MEMBER_UNIT, "桂城供电服务中心"),
        "微心愿帮扶资金",
        ResourceKind.MONEY,
        Category.FUNDS,
        500000,
        "分",
        ALL_WEEK,
        None,
        {"is_public": False, "description": "共建单位年度帮扶资金5000元，用于困难家庭的小额帮扶。"},
    ),
]


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    grid_worker = context.users.get("grid_worker") or staff
    if estate is None or staff is None:
        return
    community = estate.community
    if Resource.objects.filter(area__path__startswith=community.path).exists():
        return
    with transaction.atomic():
        _load(context, community, staff, grid_worker)


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _organization(community: Any, kind: str, name: str) -> Organization:
    found = Organization.objects.filter(name=name).first()
    if found is not None:
        return found
    return Organization.objects.create(kind=kind, name=name, area=community)


def _contact(user: Any, community: Any, organization: Organization) -> None:
    """The demo ``handler`` (何建华, the property manager's clerk) speaks for it on the lists."""
    if user is None:
        return
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person(community=community, name=user.full_name or user.username, user=user)
        person.save()
    Membership.objects.get_or_create(
        organization=organization, person=person, to_on=None, defaults={"role": MembershipRole.CONTACT}
    )


def _load(context: Any, community: Any, staff: Any, grid_worker: Any) -> None:
    today = timezone.localdate()
    now = timezone.now()
    grid = community.children.order_by("code").first() or community
    resources: dict[str, Resource] = {}
    for (kind, name), title, rkind, category, capacity, unit, days, hours, extra in RESOURCES:
        organization = _organization(community, kind, name)
        resources[title] = services.create_resource(
            actor=staff,
            title=title,
            kind=rkind,
            category=category,
            organization=organization,
            area=grid if category in (Category.REPAIR, Category.MEALS) else community,
            capacity=capacity,
            unit_label=unit,
            weekdays=days,
            opens_at=_time(hours[0]) if hours else None,
            closes_at=_time(hours[1]) if hours else None,
            valid_from=today - dt.timedelta(days=60),
            valid_until=today + dt.timedelta(days=300),
            **extra,
        )
    manager = Organization.objects.get(name="富丰物业管理有限公司")
    _contact(context.users.get("handler"), community, manager)
    canteen = Organization.objects.get(name="大新长者饭堂")
    lawyers = Organization.objects.get(name="广东南粤律师事务所")

    # 独居老人助餐: gathered on a home visit three weeks ago, the canteen accepted, lunches delivered.
    with at(now - dt.timedelta(days=21)):
        meals = services.create_need(
            actor=grid_worker,
            title="独居老人助餐：三位长者午餐送餐上门",
            category=Category.MEALS,
            area=grid,
            concerned=Concerned.ELDERLY_ALONE,
            concerned_text="1座、3座三位独居长者，行动不便",
            urgency=Urgency.HIGH,
            quantity=3,
            source=NeedSource.VISIT,
        )
        match = services.propose_match(actor=grid_worker, need=meals, resource=resources["独居长者助餐（午餐）"])
    with at(now - dt.timedelta(days=20)):
        services.accept_match(actor=_speaker(canteen, community, staff), match=match)

    # 法律咨询: a family dispute over a flat, advice given last Saturday.
    with at(now - dt.timedelta(days=12)):
        advice = services.create_need(
            actor=staff,
            title="法律咨询：老人房产赠与子女的纠纷",
            category=Category.LEGAL,
            area=community,
            concerned=Concerned.HOUSEHOLD,
            urgency=Urgency.NORMAL,
            source=NeedSource.STAFF,
        )
        legal = services.propose_match(actor=staff, need=advice, resource=resources["免费法律咨询"])
    lawyer = _speaker(lawyers, community, staff)
    with at(now - dt.timedelta(days=11)):
        services.accept_match(actor=lawyer, match=legal)
    with at(now - dt.timedelta(days=5)):
        services.complete_match(actor=staff, match=legal, outcome="律师当面解答并协助起草协议，家庭已达成一致。")

    # 楼道灯维修: from an appeal about the lights when there is one, waiting for the property manager.
    with at(now - dt.timedelta(days=2)):
        lights = _need_from_lights_appeal(staff, community) or services.create_need(
            actor=staff,
            title="楼道灯维修：3座2单元楼道灯不亮",
            category=Category.REPAIR,
            area=grid,
            concerned=Concerned.BUILDING,
            urgency=Urgency.HIGH,
            source=NeedSource.STAFF,
        )
        services.propose_match(actor=staff, need=lights, resource=resources["楼道灯具及公共设施维修"], quantity=1)

    # 长者理发: open, the haircut volunteers come first among the suggestions.
    with at(now - dt.timedelta(days=1)):
        services.create_need(
            actor=grid_worker,
            title="长者理发：行动不便长者希望上门理发",
            category=Category.GROOMING,
            area=grid,
            concerned=Concerned.ELDERLY_ALONE,
            concerned_text="约10位高龄长者",
            urgency=Urgency.NORMAL,
            quantity=10,
            wanted_on=today + dt.timedelta(days=10),
            source=NeedSource.MEETING,
        )
        services.create_need(
            actor=staff,
            title="儿童暑期托管和作业辅导",
            category=Category.TUTORING,
            area=community,
            concerned=Concerned.CHILDREN,
            concerned_text="双职工家庭小学生约15人",
            urgency=Urgency.LOW,
            quantity=15,
            source=NeedSource.SURVEY,
        )

    # 林小梅 asks for a health check for her mother from the serviceable list.
    resident = context.users.get("resident")
    if resident is not None and Person.objects.filter(user=resident).exists():
        services.request_resource(
            actor=resident, resource=resources["长者上门健康检查"], description="母亲78岁，高血压，想请医生上门量血压。"
        )


def _speaker(organization: Organization, community: Any, fallback: Any) -> Any:
    """The account that answers for ``organization``: its contact's when it has one, else staff's
    (the demo has one login per role; a contact account is made for the units that need one)."""
    from shuren.accounts.models import User

    username = CONTACT_USERNAMES.get(organization.name, f"contact{organization.pk}")
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=f"{organization.name}联络人", is_active=True)
        user.set_unusable_password()
        user.save()
    _contact(user, community, organization)
    for attribute in ("_shuren_provider_orgs", "_shuren_person"):
        if hasattr(user, attribute):
            delattr(user, attribute)
    return user


def _need_from_lights_appeal(staff: Any, community: Any) -> Any:
    from shuren.appeals.models import Appeal

    appeal = (
        Appeal.objects.filter(scope__startswith=community.path + ".", description__contains="灯")
        .select_related("category", "area", "estate", "building", "dwelling")
        .order_by("pk")
        .first()
    )
    if appeal is None:
        return None
    return services.need_from_appeal(actor=staff, appeal=appeal, category=Category.REPAIR)
