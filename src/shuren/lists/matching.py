"""Which resources suit a need, best first, and why.

A resource scores by four things, weighed in this order:

- its category: the same as the need's (8, so that it comes first);
- its place: the need's own grid (4) > the need's community (3) > its subdistrict (2) > elsewhere
  in the district (0); resources outside the need's district are not suggested;
- its time: available on a day of the window the need looks at (2): the wanted date when it is
  still ahead, otherwise the coming seven days;
- its capacity: enough left for the whole need (1).

The candidates are chosen by one SQL query with LIMIT (``suggestions``): the scores are computed by
the database, so the query stays one whatever the number of resources (bench/ measures it at
50,000). Each suggestion carries its reasons in words ("同一网格 · 类别相符 · 本周可用 · 剩余 3").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LIVE_MATCH_STATUSES, Match, Need, Resource, weekday_bit
from .selectors import community_path_of

SUGGESTIONS = 8
WINDOW_DAYS = 7

PLACE_GRID, PLACE_COMMUNITY, PLACE_SUBDISTRICT, PLACE_FURTHER = 4, 3, 2, 0
CATEGORY_POINTS, TIME_POINTS, CAPACITY_POINTS = 8, 2, 1


@dataclass(frozen=True)
class Window:
    """The days a need looks at: ``first`` to ``last`` inclusive, and their weekdays as bits."""

    first: dt.date
    last: dt.date

    @property
    def weekday_mask(self) -> int:
        mask, day = 0, self.first
        while day <= self.last and mask != 127:
            mask |= weekday_bit(day)
            day += dt.timedelta(days=1)
        return mask

    @property
    def is_wanted_date(self) -> bool:
        return self.first == self.last


def window_for(need: Need, today: dt.date | None = None) -> Window:
    today = today or timezone.localdate()
    if need.wanted_on is not None and need.wanted_on >= today:
        return Window(need.wanted_on, need.wanted_on)
    return Window(today, today + dt.timedelta(days=WINDOW_DAYS - 1))


@dataclass(frozen=True)
class Places:
    grid: str | None
    community: str
    subdistrict: str
    district: str


def places_of(need: Need) -> Places:
    community = community_path_of(need)
    grid = None
    if need.scope != community and need.scope.startswith(community + "."):
        grid = ".".join(need.scope.split(".")[: community.count(".") + 2])
    subdistrict = community.rsplit(".", 1)[0] if "." in community else community
    district = subdistrict.rsplit(".", 1)[0] if "." in subdistrict else subdistrict
    return Places(grid=grid, community=community, subdistrict=subdistrict, district=district)


def _under(path: str) -> Q:
    return Q(scope=path) | Q(scope__startswith=path + ".")


@dataclass
class Suggestion:
    resource: Resource
    score: int
    place: int
    same_category: bool
    available: bool
    enough: bool
    on_wanted_date: bool = False

    @property
    def reasons(self) -> list[str]:
        words = []
        words.append(
            {
                PLACE_GRID: _("Same grid"),
                PLACE_COMMUNITY: _("Same community"),
                PLACE_SUBDISTRICT: _("Same subdistrict"),
            }.get(self.place, _("Further away"))
        )
        if self.same_category:
            words.append(_("Category matches"))
        if self.on_wanted_date:
            words.append(_("Available on the wanted date") if self.available else _("Not available on the wanted date"))
        else:
            words.append(_("Available this week") if self.available else _("Not available this week"))
        words.append(_("%(count)d left") % {"count": self.resource.remaining})
        return words

    @property
    def reason(self) -> str:
        return " · ".join(self.reasons)


def candidates(need: Need, *, today: dt.date | None = None, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The best ``limit`` resources for ``need``, in one query: active, with something left, inside
    the need's district, not already matched to it; scored in the database (see the module)."""
    places = places_of(need)
    window = window_for(need, today)
    place_score = [When(_under(places.community), then=Value(PLACE_COMMUNITY))]
    if places.grid is not None:
        place_score.insert(0, When(_under(places.grid), then=Value(PLACE_GRID)))
    place_score.append(When(_under(places.subdistrict), then=Value(PLACE_SUBDISTRICT)))
    already = Match.objects.filter(need=need, resource=OuterRef("pk"), status__in=LIVE_MATCH_STATUSES)
    available = (
        (Q(valid_from__isnull=True) | Q(valid_from__lte=window.last))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=window.first))
        & Q(days__gt=0)
    )
    rows = (
        Resource.objects.filter(_under(places.district), is_active=True, remaining__gt=0)
        .exclude(Exists(already))
        .annotate(
            days=F("weekdays").bitand(window.weekday_mask),
            place=Case(*place_score, default=Value(PLACE_FURTHER), output_field=IntegerField()),
            same_category=Case(
                When(category=need.category, then=Value(CATEGORY_POINTS)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            available=Case(When(available, then=Value(TIME_POINTS)), default=Value(0), output_field=IntegerField()),
            enough=Case(
                When(remaining__gte=need.quantity, then=Value(CAPACITY_POINTS)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(score=Coalesce(F("place") + F("same_category") + F("available") + F("enough"), Value(0)))
        .select_related("organization", "person", "area")
        .order_by("-score", "-remaining", "pk")[:limit]
    )
    return [
        Suggestion(
            resource=row,
            score=row.score,
            place=row.place,
            same_category=bool(row.same_category),
            available=bool(row.available),
            enough=bool(row.enough),
            on_wanted_date=window.is_wanted_date,
        )
        for row in rows
    ]


def reason_for(need: Need, resource: Resource, *, today: dt.date | None = None) -> str:
    """The words of a suggestion for one resource (kept on the match when staff confirm it)."""
    places = places_of(need)
    window = window_for(need, today)
    scope = resource.scope
    if places.grid is not None and (scope == places.grid or scope.startswith(places.grid + ".")):
        place = PLACE_GRID
    elif scope == places.community or scope.startswith(places.community + "."):
        place = PLACE_COMMUNITY
    elif scope == places.subdistrict or scope.startswith(places.subdistrict + "."):
        place = PLACE_SUBDISTRICT
    else:
        place = PLACE_FURTHER
    day, available = window.first, False
    while day <= window.last and not available:
        available = resource.is_available_on(day)
        day += dt.timedelta(days=1)
    return Suggestion(
        resource=resource,
        score=0,
        place=place,
        same_category=resource.category == need.category,
        available=available,
        enough=resource.remaining >= need.quantity,
        on_wanted_date=window.is_wanted_date,
    ).reason


def in_district(need: Need, resource: Resource) -> bool:
    district = places_of(need).district
    return resource.scope == district or resource.scope.startswith(district + ".")
