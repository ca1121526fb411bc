"""The residents export: masked numbers at once; full ID and mobile numbers only through an
approved export request (core.exports), built when its requester downloads it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from shuren.core.exports import Column, Exporter, register_kind
from shuren.core.masking import display_name, mask_id_number, mask_phone
from shuren.core.models import ExportRequest
from shuren.core.scoping import has_action

from .models import Person
from .selectors import REVEAL, all_revealable, people_to_export, within

FULL_EXPORT = "people.full"
APPROVE = "people.approve_export"


def _hidden(_value: str) -> str:
    return ""


class ResidentsExporter(Exporter):
    """Residents with their home. Masked (the immediate export) unless ``full`` (an approved
    request): ID and mobile numbers masked, no birth date. Names are shown in full only to users who
    may change people's records, in either export."""

    name = "people.export"
    filename = "residents"
    title = "居民 Residents"
    columns = (
        Column("姓名 Name", lambda p: p.export_name),
        Column("性别 Gender", lambda p: p.get_gender_display()),
        Column("出生日期 Birth date", lambda p: p.birth_date.isoformat() if p.birth_date else "", mask=_hidden),
        Column("身份证号 ID number", lambda p: p.id_number, mask=mask_id_number),
        Column("手机号 Mobile", lambda p: p.phone, mask=mask_phone),
        Column("社区 Community", lambda p: p.community.name),
        Column("住址 Address", lambda p: p.export_home),
    )

    def prepare(self, objects: Iterable[Person]) -> Iterable[Any]:
        full_names = has_action(self.user, "people.change_person")
        for person in objects:
            person.export_name = display_name(person.name, full=full_names)  # type: ignore[attr-defined]  # row value
            person.export_home = next(  # type: ignore[attr-defined]  # row value
                (r.dwelling.address for r in person.residences.all() if r.is_current), ""
            )
            yield person

    def audited(self, request: HttpRequest, people: Iterable[Person], *, filters: dict[str, str]) -> HttpResponse:
        """The masked export, audited as it always was (rows, full, query and tag)."""
        from shuren.audit.services import record_event

        response = self.response(request, people, audit=False)
        record_event(
            self.name,
            request=request,
            detail={"rows": self.count, "full": False, "query": filters["q"], "tag": filters["tag"]},
        )
        return response

    def rows(self, objects: Iterable[Any]) -> list[list[Any]]:
        rows = super().rows(objects)
        self.count = len(rows)
        return rows


def build_full(export: ExportRequest, request: HttpRequest) -> HttpResponse:
    """The approved full export, as of now: the request's filters, within its area, and only if the
    requester still may see every number in it."""
    user = request.user
    people = within(people_to_export(user, export.filters), export.scope)
    if not all_revealable(user, people):
        raise PermissionDenied
    note = f"申请 Request #{export.pk} · 批准人 Approved by: {export.decided_by.username if export.decided_by else ''}"
    return ResidentsExporter(user, full=True).response(
        request, people, note=note, audit=False, filename=f"residents-full-{export.pk}"
    )


register_kind(
    FULL_EXPORT,
    label=cast(str, _("Residents with full ID and mobile numbers")),  # lazy: shown in the reader's language
    request_action=REVEAL,
    approve_action=APPROVE,
    build=build_full,
)
