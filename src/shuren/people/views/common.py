"""Pieces the people pages share."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from shuren.core.scoping import require

from ..models import Person
from ..selectors import visible_records


def one_to_one(person: Person, name: str) -> object | None:
    """The person's one-to-one record ``name`` (party membership, league profile), if any."""
    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def person_to_change(request: HttpRequest, pk: int, *actions: str) -> Person:
    """The person ``pk`` among those the user may see, if the user may also do every one of ``actions``."""
    person = get_object_or_404(visible_records(request.user), pk=pk)
    for action in actions:
        require(request.user, action, person)
    return person
