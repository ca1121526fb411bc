from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shuren.core.scoping import can, visible

from .models import Person


def visible_people(user: Any, *, query: str = "", tag: str = "") -> QuerySet[Person]:
    """People the user may see, optionally matching a name (characters, pinyin or initials), the last
    four digits of a mobile, or an address fragment (estate, building, room), and carrying a tag
    (a sensitive tag only among people the user may see sensitive categories of)."""
    people = visible(Person.objects.all(), user, "people.view_person")
    query = query.strip()
    if query:
        lowered = query.lower().replace(" ", "")
        match = Q(name__contains=query) | Q(name_pinyin__startswith=lowered) | Q(name_initials__startswith=lowered)
        if query.isdigit() and len(query) == 4:
            match |= Q(phone_tail=query)
        match |= Q(residences__dwelling__unit__building__estate__name__contains=query) | Q(
            residences__dwelling__room=query
        )
        people = people.filter(match)
    if tag:
        from .models import PersonTag

        chosen = PersonTag.objects.filter(code=tag).first()
        if chosen is None:
            return Person.objects.none()
        if chosen.is_sensitive:  # who carries a sensitive tag is itself sensitive
            people = visible(people, user, "people.view_sensitive")
        people = people.filter(taggings__tag=chosen)
    return people.distinct().select_related("community")


@dataclass(frozen=True)
class DueVisit:
    person: Person
    tag: str
    interval_days: int
    last_visit: dt.date | None
    days_overdue: int


def overdue_visits(user: Any, *, today: dt.date | None = None, among: Any = None) -> list[DueVisit]:
    """People in the user's scope (and in ``among``, a queryset or ids, when given) whose tag calls
    for regular visits and whose last visit is older than the rule allows (or who were never
    visited), most overdue first."""
    from django.db.models import Max
    from django.utils import timezone

    from .models import VisitRule

    today = today or timezone.localdate()
    rules = {rule.tag_id: rule for rule in VisitRule.objects.select_related("tag")}
    if not rules:
        return []
    people = (
        visible(
            Person.objects.all() if among is None else Person.objects.filter(pk__in=among), user, "people.view_person"
        )
        .filter(taggings__tag_id__in=list(rules))
        .annotate(last_visit=Max("visits__visited_on"))
        .prefetch_related("taggings")
        .distinct()
    )
    due = []
    for person in people:
        rule = min((rules[t.tag_id] for t in person.taggings.all() if t.tag_id in rules), key=lambda r: r.interval_days)
        since = (today - person.last_visit).days if person.last_visit else None
        if since is None or since > rule.interval_days:
            overdue = (since - rule.interval_days) if since is not None else rule.interval_days
            # Who is tagged "elderly living alone" is a sensitive category: without the permission the
            # list says only how often the person is to be visited.
            label = rule.tag.name
            if rule.tag.is_sensitive and not can(user, "people.view_sensitive", person):
                label = _("every %(n)d days") % {"n": rule.interval_days}
            due.append(DueVisit(person, label, rule.interval_days, person.last_visit, overdue))
    return sorted(due, key=lambda d: (d.last_visit is not None, -d.days_overdue))


def tags_for(user: Any) -> QuerySet[Any]:
    """The tags the user may see and filter by: sensitive ones only with ``people.view_sensitive``."""
    from shuren.core.scoping import has_action

    from .models import PersonTag

    tags = PersonTag.objects.all()
    return tags if has_action(user, "people.view_sensitive") else tags.filter(is_sensitive=False)


def names_in_community(community: Any) -> list[str]:
    """The names of the people registered in ``community`` (an Area), for hiding them in text the
    public will read (core.redaction). Not scoped to a user: the names are never shown, only
    matched."""
    return list(Person.objects.filter(community=community).values_list("name", flat=True).distinct())
