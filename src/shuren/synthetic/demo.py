"""The demo district (make demo): places and one login per role, modelled on the seed reports.

Each app may add its own demo data with a module ``<app>/demo.py`` defining ``load(context)``; the
loader calls them in INSTALLED_APPS order (the dependency order) after the places and accounts here.
Re-running is safe: every row is found by its natural key and updated.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

from shuren.accounts.demo import DEMO_PASSWORD  # noqa: F401 (re-exported)
from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.places.models import Area, AreaKind

# (code, name, population, households, [(community code, name, population, households)])
DISTRICT = ("440605", "南海区")
SUBDISTRICTS = [
    (
        "01",
        "桂城街道",
        480000,
        160000,
        [
            ("017", "大新社区", 8600, 2800),
            ("021", "灯湖社区", 12000, 4100),
        ],
    ),
    (
        "12",
        "里水镇",
        380000,
        120000,
        [
            ("003", "金旗峰社区", 30000, 9800),
            ("005", "金峰洲社区", 12000, 3900),
            ("008", "同声社区", 70000, 21000),
            ("011", "海南洲社区", 6000, 1800),
        ],
    ),
]
GRIDS_PER_COMMUNITY = 3

# username, role, where (path relative to the district), full name, phone
DEMO_USERS = [
    ("resident", Role.RESIDENT, "01.017.01", "林小梅", "13800138001"),
    ("volunteer", Role.VOLUNTEER, "01.017.01", "陈志强", "13800138002"),
    ("building_leader", Role.BUILDING_LEADER, "01.017.01", "黄伯荣", "13800138003"),
    ("grid_worker", Role.GRID_WORKER, "01.017.01", "梁晓婷", "13800138004"),
    ("handler", Role.HANDLER, "01.017", "何建华", "13800138005"),
    ("community_staff", Role.COMMUNITY_STAFF, "01.017", "李敏仪", "13800138006"),
    ("secretary", Role.COMMUNITY_SECRETARY, "01.017", "欧阳丽珍", "13800138007"),
    ("subdistrict", Role.SUBDISTRICT_STAFF, "01", "邓国栋", "13800138008"),
    ("district", Role.DISTRICT_STAFF, "", "冯嘉慧", "13800138009"),
    ("sysadmin", Role.SYSTEM_ADMIN, None, "系统管理员", "13800138010"),
    ("secadmin", Role.SECURITY_ADMIN, None, "安全管理员", "13800138011"),
    ("auditor", Role.AUDITOR, None, "审计员", "13800138012"),
]


@dataclass
class DemoContext:
    district: Area
    areas: dict[str, Area] = field(default_factory=dict)  # by path
    users: dict[str, User] = field(default_factory=dict)  # by username
    extra: dict[str, Any] = field(default_factory=dict)


def _area(kind: str, code: str, name: str, parent: Area | None, **figures: Any) -> Area:
    area = Area.objects.filter(parent=parent, code=code).first()
    if area is None:
        area = Area(kind=kind, code=code, parent=parent)
    area.name = name
    for key, value in figures.items():
        setattr(area, key, value)
    area.save()
    return area


def load_places() -> DemoContext:
    district = _area(AreaKind.DISTRICT, DISTRICT[0], DISTRICT[1], None)
    context = DemoContext(district=district, areas={district.path: district})
    for code, name, population, households, communities in SUBDISTRICTS:
        sub = _area(AreaKind.SUBDISTRICT, code, name, district, population=population, households=households)
        context.areas[sub.path] = sub
        for c_code, c_name, c_pop, c_households in communities:
            community = _area(AreaKind.COMMUNITY, c_code, c_name, sub, population=c_pop, households=c_households)
            context.areas[community.path] = community
            for n in range(1, GRIDS_PER_COMMUNITY + 1):
                grid = _area(AreaKind.GRID, f"{n:02d}", f"{c_name.removesuffix('社区')}第{n}网格", community)
                context.areas[grid.path] = grid
    return context


def load_users(context: DemoContext) -> None:
    for username, role, where, full_name, phone in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name = full_name
        user.phone = "+86" + phone
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        area = None
        if where is not None:
            area = context.areas[context.district.path + ("." + where if where else "")]
        if not RoleGrant.objects.active().filter(user=user, role=role, area=area).exists():
            RoleGrant.objects.create(user=user, role=role, area=area)
        context.users[username] = user


@transaction.atomic
def load_demo() -> DemoContext:
    context = load_places()
    load_users(context)
    for config in apps.get_app_configs():
        if config.name.startswith("shuren.") and config.name != "shuren.synthetic":
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            if hasattr(module, "load"):  # accounts.demo only holds the password
                module.load(context)
    return context
