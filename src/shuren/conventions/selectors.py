"""Reads of conventions: staff see those of their areas; residents the published ones of the places
they live in (and the versions in discussion there); the diff between two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

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
