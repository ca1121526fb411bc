"""The demo district (make demo): places and one login per role, modelled on the seed reports.

Each app may add its own demo data with a module ``<app>/demo.py`` defining ``load(context)``; the
loader calls them in INSTALLED_APPS order (the dependency order) after the places and accounts here.
Re-running is safe: every row is found by its natural key and updated.

The apps' demos tell the story of 大新社区 (富丰新城). ``shuren demo`` also fills in the district
around it (``load_district``): every community gets an estate of its own with residents, the last
months' appeals and two years of volunteering, governance lists, meetings, ballots and points from
the synthetic generators, in proportion to its population (one resident for ``RESIDENTS_SCALE``
real ones), so that no town or community of the dashboards is empty. It comes before the apps that
compute figures from everything else (``FIGURES_APPS``). Dates are relative to the day the demo
runs, times in the site's time zone (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from shuren.accounts.demo import DEMO_PASSWORD  # noqa: F401 (re-exported)
from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.core.bulk import analyze, bulk_load
from shuren.people.models import Person, PersonTag, PersonTagging, Residence
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate, Unit
from shuren.places.services import lay_out_dwellings
from shuren.synthetic.bulk_rows import BulkWriter
from shuren.synthetic.district import RESIDENTS_PER_DWELLING, _add_residents, _pinyin_of_characters

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
# The district around the story: one synthetic resident for this many real ones, the estate each
# community gets for them (name, floors, dwellings per floor and unit), and the appeals of the last
# ``APPEAL_DAYS`` days at the rate of a real community (2.5 a resident a year).
RESIDENTS_SCALE = 100
DISTRICT_ESTATES = {
    "01.017": "大新花园",
    "01.021": "灯湖雅苑",
    "12.003": "金旗峰新村",
    "12.005": "金峰洲豪庭",
    "12.008": "同声花园",
    "12.011": "海南洲家园",
}
ESTATE_FLOORS, ESTATE_PER_FLOOR, ESTATE_UNITS = 11, 4, 2
APPEALS_PER_RESIDENT_YEAR = 2.5
APPEAL_DAYS = 120
APPEAL_OPEN_SHARE = 0.03  # what the last days leave open: hardly any backlog of overdue appeals
SEED = 2026
# Apps whose demo computes figures from what the others loaded: the district comes before them.
FIGURES_APPS = ("shuren.insights",)

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


def _demo_modules() -> list[tuple[str, Any]]:
    """The apps' demo modules with a ``load``, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("shuren.") and config.name != "shuren.synthetic":
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            if hasattr(module, "load"):  # accounts.demo only holds the password
                modules.append((config.name, module))
    return modules


@transaction.atomic
def load_demo(*, district: bool = False) -> DemoContext:
    """The demo: places, accounts and each app's story; with ``district``, the district around the
    story too (``load_district``, before the apps of ``FIGURES_APPS``)."""
    context = load_places()
    load_users(context)
    pending = district
    for name, module in _demo_modules():
        if pending and name in FIGURES_APPS:
            load_district(context)
            analyze(*REGISTRY_MODELS)
            pending = False
        module.load(context)
        if name in ("shuren.places", "shuren.people"):
            analyze(*REGISTRY_MODELS)  # the ballots' electorates and the dashboards read them next
    if pending:
        load_district(context)
        analyze(*REGISTRY_MODELS)
    return context


# The tables the demo fills by the thousand rows, read by the apps' demos that come after.
REGISTRY_MODELS = (Estate, Building, Unit, Dwelling, Person, Residence, PersonTagging)


def load_district(context: DemoContext, *, now: dt.datetime | None = None) -> None:
    """Every community of the demo district gets the estate of ``DISTRICT_ESTATES`` with residents
    (its population over ``RESIDENTS_SCALE``), the appeals of its last ``APPEAL_DAYS`` days and,
    where the story has not given it any, two years of activity. Communities that have their estate
    already are left alone."""
    from shuren.synthetic.activity import seed_activity
    from shuren.synthetic.appeals import seed_appeals

    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, reproducible on purpose
    writer, pinyin = BulkWriter(), _pinyin_of_characters()
    tags = list(PersonTag.objects.order_by("code"))
    serial = DISTRICT_SERIALS + Person.objects.filter(scope__startswith=context.district.path + ".").count()
    new_estates: dict[int, int] = {}  # estate id -> appeals it gets
    for where, name in DISTRICT_ESTATES.items():
        community = context.areas.get(f"{context.district.path}.{where}")
        if community is None or Estate.objects.filter(community=community, name=name).exists():
            continue
        residents = max(20, round((community.population or 0) / RESIDENTS_SCALE))
        estate, dwellings = _estate(community, name, residents)
        _add_residents(community, dwellings, residents, serial, rng, tags, writer, pinyin)
        serial += residents
        new_estates[estate.pk] = max(1, round(residents * APPEALS_PER_RESIDENT_YEAR * APPEAL_DAYS / 365))
    if not new_estates:
        return
    for estate_id, count in new_estates.items():
        seed_appeals(
            count,
            area=context.district,
            seed=SEED + estate_id,
            now=now,
            history_days=APPEAL_DAYS,
            open_share=APPEAL_OPEN_SHARE,
            estates=[estate_id],
            progress=_quiet,
        )
    seed_activity(seed=SEED, now=now, district=context.district, workers=0, progress=_quiet)


DISTRICT_SERIALS = 90_000_000  # the synthetic residents' ID numbers and mobiles: apart from the benchmark's


def _quiet(_line: str) -> None:
    pass


def _estate(community: Area, name: str, residents: int) -> tuple[Estate, list[Dwelling]]:
    """The community's estate for ``residents`` residents: buildings of two stairwells over its
    grids, dwellings with their floor areas."""
    grids = list(community.children.order_by("code"))
    per_building = ESTATE_UNITS * ESTATE_FLOORS * ESTATE_PER_FLOOR
    buildings = max(2, math.ceil(residents / RESIDENTS_PER_DWELLING / per_building))
    estate = Estate.objects.create(community=community, name=name, address=f"{community.name}{name}")
    dwellings: list[Dwelling] = []
    for b in range(1, buildings + 1):
        building = Building.objects.create(
            estate=estate, grid=grids[(b - 1) % len(grids)], number=f"{b}座", floors=ESTATE_FLOORS, has_lift=True
        )
        for u in range(1, ESTATE_UNITS + 1):
            unit = Unit.objects.create(building=building, number=f"{u}单元")
            dwellings += lay_out_dwellings(
                unit,
                floors=ESTATE_FLOORS,
                per_floor=ESTATE_PER_FLOOR,
                area=lambda f, r: Decimal(60 + (f * 7 + r * 13) % 70),
            )
    bulk_load(Dwelling, dwellings)
    return estate, dwellings
