"""Finding appeals that repeat one another: same category, same building or estate (or a point
within a short walk), and similar words. Chinese text is cut into words with jieba."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Q

if TYPE_CHECKING:
    from .models import Appeal

NEARBY_METRES = 150
LOOKBACK_DAYS = 60
MIN_SIMILARITY = 0.2

_STOPWORDS = frozenset(
    "的 了 在 是 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那 里 们 他 她 它 "
    "吗 吧 呢 啊 请 把 被 让 给 从 对 还 又 与 及 等 已经 现在 一直 每天 多次 非常 希望 反映 问题 情况 处理 "
    "能否 能 可以 尽快 帮忙 麻烦 谢谢 我们 小区 这里 那里 经常 总是".split()
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def terms_of(text: str) -> list[str]:
    """The distinct meaningful words of ``text`` in order of appearance (search-mode cut, so that
    电动车 also yields 电动)."""
    seen: dict[str, None] = {}
    for word in _jieba().lcut_for_search(text or ""):
        word = word.strip().lower()
        if not word or word in _STOPWORDS or not _WORD.search(word):
            continue
        if len(word) == 1 and not word.isascii():
            continue
        seen.setdefault(word, None)
    return list(seen)


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two sets of words."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    radius = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(h))


def similar_open_appeals(appeal: Appeal, *, limit: int = 5) -> list[tuple[Appeal, float]]:
    """Open appeals that may report the same problem as ``appeal``, most similar first, with their
    similarity (0-1). Same category and place are required; words decide the order and cut off the
    unlikely ones (an appeal in the same building is always shown)."""
    from .models import OPEN_STATUSES, Appeal

    place = Q()
    if appeal.building_id:
        place |= Q(building_id=appeal.building_id)
    elif appeal.estate_id:
        place |= Q(estate_id=appeal.estate_id)
    else:
        place |= Q(area_id=appeal.area_id)
    if appeal.latitude is not None and appeal.longitude is not None:
        # About 150 m of latitude; the exact distance is checked below.
        d = 0.0015
        place |= Q(
            latitude__range=(appeal.latitude - type(appeal.latitude)(d), appeal.latitude + type(appeal.latitude)(d)),
            longitude__range=(
                appeal.longitude - type(appeal.longitude)(d * 1.3),
                appeal.longitude + type(appeal.longitude)(d * 1.3),
            ),
        )
    since = appeal.submitted_at - dt.timedelta(days=LOOKBACK_DAYS)
    candidates = (
        Appeal.objects.filter(place, category_id=appeal.category_id, status__in=OPEN_STATUSES, submitted_at__gte=since)
        .exclude(pk=appeal.pk)
        .only(
            "pk",
            "reference",
            "description",
            "terms",
            "status",
            "building_id",
            "estate_id",
            "latitude",
            "longitude",
            "submitted_at",
            "scope",
        )
        .order_by("-submitted_at")[:200]
    )
    mine = set(appeal.terms.split()) if appeal.terms else set(terms_of(appeal.description))
    found: list[tuple[Appeal, float]] = []
    for other in candidates:
        score = similarity(mine, set(other.terms.split()))
        same_building = bool(appeal.building_id and other.building_id == appeal.building_id)
        if (
            not same_building
            and appeal.latitude is not None
            and appeal.longitude is not None
            and other.latitude is not None
            and other.longitude is not None
        ):
            metres = _metres_between(
                float(appeal.latitude), float(appeal.longitude), float(other.latitude), float(other.longitude)
            )
            if (
                metres > NEARBY_METRES
                and other.building_id != appeal.building_id
                and other.estate_id != appeal.estate_id
            ):
                continue
        if same_building or score >= MIN_SIMILARITY:
            found.append((other, round(score, 2)))
    found.sort(key=lambda pair: (-pair[1], -pair[0].submitted_at.timestamp()))
    return found[:limit]
