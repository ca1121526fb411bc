from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shuren.core.scoping import can, has_action, scope_paths, scope_q, visible

from .models import (
    LEAGUE_BRANCH_KINDS,
    PARTY_BRANCH_KINDS,
    ImportJob,
    PartyMembership,
    Person,
    PersonTag,
    Residence,
    Visit,
)


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
        chosen = PersonTag.objects.filter(code=tag).first()
        if chosen is None:
            return Person.objects.none()
        if chosen.is_sensitive:  # who carries a sensitive tag is itself sensitive
            people = visible(people, user, "people.view_sensitive")
        people = people.filter(taggings__tag=chosen)
    return people.distinct().select_related("community")


# A row of the residents list, read as values: the name, gender, birth date, mobile (decrypted to be
# masked) and community; the ID number is neither read nor decrypted.
LIST_COLUMNS = ("id", "name", "gender", "birth_date", "phone", "community__name")


def person_rows_of(ids: list[int]) -> list[dict[str, Any]]:
    """The residents list's rows of the people ``ids``, in that order. The page is picked on the
    people table (``visible_people``); its rows are then read without model instances."""
    rows = {row["id"]: row for row in Person.objects.filter(pk__in=ids).values(*LIST_COLUMNS)}
    return [rows[pk] for pk in ids if pk in rows]


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


def tags_for(user: Any) -> QuerySet[PersonTag]:
    """The tags the user may see and filter by: sensitive ones only with ``people.view_sensitive``."""
    tags = PersonTag.objects.all()
    return tags if has_action(user, "people.view_sensitive") else tags.filter(is_sensitive=False)


def names_in_community(community: Any) -> list[str]:
    """The names of the people registered in ``community`` (an Area), for hiding them in text the
    public will read (core.redaction). Not scoped to a user: the names are never shown, only
    matched."""
    return list(Person.objects.filter(community=community).values_list("name", flat=True).distinct())


def visible_records(user: Any, action: str = "people.view_person") -> QuerySet[Person]:
    """People whose record the user may open (for ``action``), with their community."""
    return visible(Person.objects.select_related("community"), user, action)


def people_where(user: Any, action: str) -> QuerySet[Person]:
    """People in whose area the user may do ``action``, by pinyin (for choosing one in a form)."""
    return visible(Person.objects.order_by("name_pinyin"), user, action)


def people_of_community(user: Any, community: Any) -> QuerySet[Person]:
    """The registered people of ``community`` the user may see, by pinyin."""
    return visible(Person.objects.filter(community=community), user, "people.view_person").order_by("name_pinyin")


def residences_of(person: Person) -> QuerySet[Residence]:
    return person.residences.select_related("dwelling__unit__building__estate").order_by("-from_on")


def tags_shown(user: Any, person: Person) -> QuerySet[Any]:
    """The person's taggings the user may see (sensitive ones only with ``people.view_sensitive``)."""
    tags = person.taggings.select_related("tag")
    if not can(user, "people.view_sensitive", person):
        tags = tags.filter(tag__is_sensitive=False)
    return tags


def editable_tags(user: Any, person: Person) -> QuerySet[PersonTag]:
    """The tags the user may set or clear on ``person``."""
    tags = tags_for(user)
    if not can(user, "people.view_sensitive", person):
        tags = tags.filter(is_sensitive=False)
    return tags


def tag_ids_among(person: Person, tags: QuerySet[PersonTag]) -> list[int]:
    return list(person.taggings.filter(tag__in=tags).values_list("tag_id", flat=True))


def tags_besides(tags: QuerySet[PersonTag]) -> list[PersonTag]:
    """Every tag not among ``tags`` (those an editor cannot see keep their value)."""
    return list(PersonTag.objects.exclude(pk__in=tags.values("pk")))


def current_posts(person: Person) -> QuerySet[Any]:
    return person.post_assignments.current().select_related("kind").prefetch_related("buildings__estate")


def recent_visits(person: Person, limit: int = 10) -> QuerySet[Visit]:
    return person.visits.select_related("visitor")[:limit]


def current_memberships(person: Person, *, with_affiliation: bool) -> QuerySet[Any]:
    """The organisations the person belongs to today; without ``with_affiliation``, party and league
    branches are left out (which branch someone belongs to is itself an affiliation)."""
    memberships = person.memberships.filter(to_on__isnull=True).select_related("organization")
    if not with_affiliation:
        memberships = memberships.exclude(organization__kind__in=[*PARTY_BRANCH_KINDS, *LEAGUE_BRANCH_KINDS])
    return memberships


def branch_scope(person: Person) -> str:
    """Where a resident's party or league branch may sit: their community or the subdistrict above
    it (in-service members report to the community where they live, their branch may sit nearby)."""
    return person.community.path.rsplit(".", 1)[0]


def branch_choices(person: Person, kinds: frozenset[str]) -> QuerySet[Any]:
    """The branches (organisations of ``kinds``) a resident's party or league record may name."""
    # The branch is an orgs.Organization; people sits below orgs and reaches it through the relation.
    organizations = PartyMembership._meta.get_field("branch").related_model._default_manager
    return organizations.filter(kind__in=kinds).filter(scope_q([branch_scope(person)], "scope"))


def visible_visits(user: Any, limit: int = 50) -> QuerySet[Visit]:
    return visible(
        Visit.objects.select_related("person", "visitor", "dwelling__unit__building__estate"),
        user,
        "people.view_person",
    )[:limit]


def visible_import_jobs(user: Any) -> QuerySet[ImportJob]:
    return visible(ImportJob.objects.select_related("community"), user, "people.change_person")


# --- the residents export -----------------------------------------------------------------------------

REVEAL = "people.reveal_pii"


def people_to_export(user: Any, filters: dict[str, str]) -> QuerySet[Person]:
    """The residents list as filtered on the page, with their homes, for the export."""
    return visible_people(user, query=filters.get("q", ""), tag=filters.get("tag", "")).prefetch_related(
        "residences__dwelling__unit__building__estate"
    )


def all_revealable(user: Any, people: QuerySet[Person]) -> bool:
    """The user may see the full numbers of every one of ``people``."""
    return bool(scope_paths(user, REVEAL)) and visible(people, user, REVEAL).count() == people.count()


def within(people: QuerySet[Person], scope: str) -> QuerySet[Person]:
    """Those of ``people`` within the area at ``scope`` (an approved export's area)."""
    return people.filter(scope_q([scope], "scope"))
