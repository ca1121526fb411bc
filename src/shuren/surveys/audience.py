"""Who a survey asks: the current residents of its place (its community or grid, estate, building
or stairwell unit), narrowed to owners or to the residents with one tag. Pure reads.

A household is asked when one of its current residents is; a resident answers for a household
only where they live (as an owner, for a survey of owners)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from shuren.core.scoping import covering_paths, scope_q
from shuren.people.models import Person, Residence, ResidenceRelation

from .models import Audience, Survey


def place_q(survey: Survey, prefix: str = "dwelling__") -> Q:
    """The dwellings of the survey's place, as a filter on a row reaching them through ``prefix``."""
    if survey.unit_id:
        return Q(**{f"{prefix}unit_id": survey.unit_id})
    if survey.building_id:
        return Q(**{f"{prefix}unit__building_id": survey.building_id})
    where = scope_q([survey.area.path], f"{prefix}scope")
    if survey.estate_id:
        return where & Q(**{f"{prefix}unit__building__estate_id": survey.estate_id})
    return where


def current(rows: QuerySet[Residence]) -> QuerySet[Residence]:
    today = timezone.localdate()
    return rows.filter(Q(to_on__isnull=True) | Q(to_on__gte=today), Q(from_on__isnull=True) | Q(from_on__lte=today))


def residences(survey: Survey) -> QuerySet[Residence]:
    """The current residences of the people the survey asks."""
    rows = current(Residence.objects.filter(place_q(survey)))
    if survey.audience == Audience.OWNERS:
        rows = rows.filter(relation=ResidenceRelation.OWNER)
    elif survey.audience == Audience.GROUP:
        rows = rows.filter(person__taggings__tag_id=survey.tag_id)
    return rows


def audience_size(survey: Survey) -> int:
    """How many residents, or households, the survey asks (the base of its response rate)."""
    rows = residences(survey)
    if survey.per_household:
        return rows.values("dwelling").distinct().count()
    return rows.values("person").distinct().count()


def residences_of(survey: Survey, person: Person) -> QuerySet[Residence]:
    """The person's current residences through which the survey asks them (none: not asked)."""
    return residences(survey).filter(person=person).select_related("dwelling__unit__building").order_by("dwelling_id")


def open_to_q(person: Person) -> Q:
    """A filter on surveys: those whose place and audience include one of ``person``'s current
    residences (the portal's list; one query for the residences, none per survey)."""
    rows = current(Residence.objects.filter(person=person)).values_list(
        "dwelling_id",
        "dwelling__unit_id",
        "dwelling__unit__building_id",
        "dwelling__unit__building__estate_id",
        "dwelling__scope",
        "relation",
    )
    tags = list(person.taggings.values_list("tag_id", flat=True))
    audience = Q(audience=Audience.RESIDENTS) | Q(audience=Audience.GROUP, tag_id__in=tags)
    query = Q(pk__in=[])
    for _dwelling, unit, building, estate, scope, relation in rows:
        place = Q(scope__in=covering_paths(scope)) & (
            Q(estate__isnull=True)
            | Q(estate_id=estate, building__isnull=True)
            | Q(building_id=building, unit__isnull=True)
            | Q(unit_id=unit)
        )
        allowed = audience | Q(audience=Audience.OWNERS) if relation == ResidenceRelation.OWNER else audience
        query |= place & allowed
    return query
