from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shuren.core.scoping import visible

from .models import Person


def visible_people(user: Any, *, query: str = "", tag: str = "") -> QuerySet[Person]:
    """People the user may see, optionally matching a name (characters, pinyin or initials), the last
    four digits of a mobile, or an address fragment (estate, building, room)."""
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
        people = people.filter(taggings__tag__code=tag)
    return people.distinct().select_related("community")
