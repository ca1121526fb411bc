"""Demo estates from the seed reports: 富丰新城 in 大新 (20 buildings, about 2,800 households) and
中海万锦豪园 in 灯湖. Buildings are spread over the community's grids; dwellings get areas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import Building, Dwelling, Estate, Unit
from .services import lay_out_dwellings

# community path (below the district), estate, buildings, units, floors, dwellings per floor and unit
DEMO_ESTATES = [
    ("01.017", "富丰新城", "桂城街道富丰路", 2003, 20, 2, 14, 5),
    ("01.021", "中海万锦豪园", "桂城灯湖东路", 2009, 6, 2, 18, 4),
    ("12.003", "金旗峰花园", "里水镇金旗峰路", 2012, 4, 2, 11, 4),
]
AREAS = [Decimal("68.40"), Decimal("89.50"), Decimal("102.30"), Decimal("121.75"), Decimal("76.20")]


def load(context: Any) -> None:
    for where, name, address, year, buildings, units, floors, per_floor in DEMO_ESTATES:
        community = context.areas[f"{context.district.path}.{where}"]
        grids = list(community.children.order_by("code"))
        estate, _created = Estate.objects.update_or_create(
            community=community, name=name, defaults={"address": address, "built_year": year}
        )
        for b in range(1, buildings + 1):
            building, created = Building.objects.get_or_create(
                estate=estate,
                number=f"{b}座",
                defaults={"grid": grids[(b - 1) % len(grids)], "floors": floors, "has_lift": b % 3 != 0},
            )
            if not created:
                continue
            dwellings = []
            for u in range(1, units + 1):
                unit = Unit.objects.create(building=building, number=f"{u}单元")
                dwellings += lay_out_dwellings(
                    unit, floors=floors, per_floor=per_floor, area=lambda f, r: AREAS[(f + r) % len(AREAS)]
                )
            Dwelling.objects.bulk_create(dwellings)
        context.extra.setdefault("estates", {})[name] = estate
