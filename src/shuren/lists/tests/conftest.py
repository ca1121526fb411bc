from typing import Any

import pytest

from shuren.lists.testing import lists_world  # noqa: F401  (fixture)


@pytest.fixture
def make_appeal(lists_world: Any) -> Any:  # noqa: F811  (the fixture above)
    """An appeal 林小梅 reports about building 1 of 富丰新城 (grid 1 of community A)."""
    from shuren.appeals.models import Category
    from shuren.appeals.services import AppealLocation, submit_appeal

    def make(**kwargs: Any) -> Any:
        kwargs.pop("area", None)
        return submit_appeal(
            actor=lists_world.users["resident"],
            category=Category.objects.filter(children__isnull=True, is_active=True).order_by("pk")[0],
            description="1座2楼楼道灯坏了一个星期，晚上老人上下楼看不见",
            location=AppealLocation(building=lists_world.building),
        )

    return make
