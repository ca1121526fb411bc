"""The residents export: masked numbers at once; full ID and mobile numbers only through an
approved export request (core.exports), built when its requester downloads it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from shuren.core.exports import register_kind, xlsx_response
from shuren.core.masking import display_name, mask_id_number, mask_phone
from shuren.core.models import ExportRequest
from shuren.core.scoping import has_action, scope_paths, scope_q, visible

from .models import Person
from .selectors import visible_people

FULL_EXPORT = "people.full"
REVEAL = "people.reveal_pii"
APPROVE = "people.approve_export"

HEADINGS = [
    "姓名 Name",
    "性别 Gender",
    "出生日期 Birth date",
    "身份证号 ID number",
    "手机号 Mobile",
    "社区 Community",
    "住址 Address",
]


def filtered(user: Any, filters: dict[str, str]) -> QuerySet[Person]:
    return visible_people(user, query=filters.get("q", ""), tag=filters.get("tag", "")).prefetch_related(
        "residences__dwelling__unit__building__estate"
    )


def all_revealable(user: Any, people: QuerySet[Person]) -> bool:
    """The user may see the full numbers of every one of ``people``."""
    return bool(scope_paths(user, REVEAL)) and visible(people, user, REVEAL).count() == people.count()


def rows(user: Any, people: QuerySet[Person], *, full: bool) -> list[tuple[Any, ...]]:
    full_names = has_action(user, "people.change_person")
    out = []
    for person in people:
        home = next((r.dwelling.address for r in person.residences.all() if r.is_current), "")
        out.append(
            (
                display_name(person.name, full=full_names),
                person.get_gender_display(),
                person.birth_date.isoformat() if person.birth_date and full else "",
                person.id_number if full else mask_id_number(person.id_number),
                person.phone if full else mask_phone(person.phone),
                person.community.name,
                home,
            )
        )
    return out


def build_full(export: ExportRequest, request: HttpRequest) -> HttpResponse:
    """The approved full export, as of now: the request's filters, within its area, and only if the
    requester still may see every number in it."""
    user = request.user
    people = filtered(user, export.filters).filter(scope_q([export.scope], "scope"))
    if not all_revealable(user, people):
        raise PermissionDenied
    note = f"申请 Request #{export.pk} · 批准人 Approved by: {export.decided_by.username if export.decided_by else ''}"
    return xlsx_response(
        f"residents-full-{export.pk}.xlsx",
        "居民 Residents",
        HEADINGS,
        rows(user, people, full=True),
        user=user,
        note=note,
    )


register_kind(
    FULL_EXPORT,
    label=_("Residents with full ID and mobile numbers"),
    request_action=REVEAL,
    approve_action=APPROVE,
    build=build_full,
)
