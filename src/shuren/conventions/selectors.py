"""Reads of conventions: staff see those of their areas; residents the published ones of the places
they live in (and the versions in discussion there); the diff between two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shuren.accounts.models import User
from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, has_action, visible
from shuren.people.residency import lives_in, person_of, placed_in_my_places_q

from .models import Convention, ConventionComment, ConventionStatus, ConventionVersion, VersionStatus

RELATED = ("area", "estate", "building__estate", "unit__building__estate")


def visible_conventions(user: Any) -> QuerySet[Convention]:
    return visible(Convention.objects.select_related(*RELATED), user, "conventions.view")


def resident_conventions(user: Any) -> QuerySet[Convention]:
    """Conventions of my places that are (or were) in force, or have a version in discussion."""
    if not has_action(user, "conventions.comment"):
        return Convention.objects.none()
    public = Q(status__in=[ConventionStatus.IN_FORCE, ConventionStatus.REPEALED]) | Q(
        versions__status=VersionStatus.IN_DISCUSSION
    )
    return Convention.objects.filter(placed_in_my_places_q(user) & public).select_related(*RELATED).distinct()


def openable_convention(user: Any, pk: int) -> tuple[Convention, bool]:
    """The convention and whether the caller sees it as staff."""
    convention = Convention.objects.select_related(*RELATED).filter(pk=pk).first()
    if convention is None:
        raise OutOfScope()
    if can(user, "conventions.view", convention):
        return convention, True
    if has_action(user, "conventions.comment") and lives_in(person_of(user), convention):
        if resident_conventions(user).filter(pk=pk).exists():
            return convention, False
    raise OutOfScope()


def public_versions(convention: Convention, *, staff: bool) -> QuerySet[ConventionVersion]:
    """Staff see every version; residents the adopted/superseded ones and the one in discussion."""
    versions = convention.versions.select_related("drafted_by").order_by("-number")
    if staff:
        return versions
    return versions.filter(status__in=[VersionStatus.ADOPTED, VersionStatus.SUPERSEDED, VersionStatus.IN_DISCUSSION])


def may_comment(user: User, version: ConventionVersion) -> bool:
    """Residents of the convention's place (conventions.comment), and staff managing it, while the
    version is in discussion."""
    if version.status != VersionStatus.IN_DISCUSSION:
        return False
    convention = version.convention
    if can(user, "conventions.manage", convention):
        return True
    return has_action(user, "conventions.comment") and lives_in(person_of(user), convention)


def staff_convention(user: User, pk: int) -> Convention:
    """The convention ``pk`` as staff see it; OutOfScope (404) for anyone else."""
    convention, staff = openable_convention(user, pk)
    if not staff:
        raise OutOfScope()
    return convention


def openable_version(user: User, pk: int, *, staff: bool = False) -> ConventionVersion:
    """The version ``pk`` if its convention is open to the user (as staff with ``staff``)."""
    version = ConventionVersion.objects.select_related("convention").filter(pk=pk).first()
    if version is None:
        raise Http404
    if staff:
        staff_convention(user, version.convention_id)
    else:
        openable_convention(user, version.convention_id)
    return version


def staff_comment(user: User, pk: int) -> ConventionComment:
    """The comment ``pk`` if staff of its convention's place open it."""
    comment = ConventionComment.objects.select_related("version__convention").filter(pk=pk).first()
    if comment is None:
        raise Http404
    staff_convention(user, comment.version.convention_id)
    return comment


def filter_conventions(queryset: QuerySet[Convention], *, status: str = "") -> QuerySet[Convention]:
    """The console's filter: a known status."""
    if status in ConventionStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def listed_conventions(user: User) -> QuerySet[Convention]:
    """What the API lists: staff (conventions.view) those of their areas, residents those of their
    places."""
    return visible_conventions(user) if has_action(user, "conventions.view") else resident_conventions(user)


def comments_of(version: ConventionVersion) -> QuerySet[ConventionComment]:
    return version.comments.select_related("author", "hidden_by")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """A line diff readable on a phone: unchanged lines, removed lines, added lines."""
    lines: list[DiffLine] = []
    for line in difflib.ndiff((old or "").splitlines(), (new or "").splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            lines.append(DiffLine("same", text))
        elif tag == "- ":
            lines.append(DiffLine("removed", text))
        elif tag == "+ ":
            lines.append(DiffLine("added", text))
    return lines


def diff_for(versions: list[ConventionVersion], number: int | None) -> tuple[Any, Any, list[DiffLine]]:
    """The diff of version ``number`` (default: the newest) against the version before it."""
    ordered = sorted(versions, key=lambda v: v.number)
    if len(ordered) < 2:
        return None, None, []
    target = next((v for v in ordered if v.number == number), ordered[-1])
    index = ordered.index(target)
    if index == 0:
        target, index = ordered[1], 1
    before = ordered[index - 1]
    return before, target, diff_lines(before.text, target.text)


def resident_convention_counts(user: Any) -> dict[str, int]:
    """Of the conventions of the resident's places: how many are in force, and how many have a
    version open for comments (one query)."""
    counts = Convention.objects.filter(pk__in=resident_conventions(user).values("pk")).aggregate(
        in_force=Count("pk", filter=Q(status=ConventionStatus.IN_FORCE), distinct=True),
        in_discussion=Count("pk", filter=Q(versions__status=VersionStatus.IN_DISCUSSION), distinct=True),
    )
    return {key: int(value or 0) for key, value in counts.items()}
