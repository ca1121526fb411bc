"""The spreadsheet export of a survey's responses: one row per response with its answers in words.

A named survey's rows say who answered (the name masked unless the viewer may see names), which
dwelling and building, how and when. An anonymous survey's rows say none of it — no name, dwelling,
building, recorder, day or time: only how (online or paper) and the answers — and come in the order
of the responses' random keys. Every
cell is neutralised against formulas by ``core.exports``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.exports import Column, Exporter
from shuren.core.masking import mask_name

from .answering import describe
from .models import Question, Response, Survey
from .selectors import export_rows


def _answer_column(question: Question) -> Column:
    def cell(row: dict[str, Any]) -> str:
        given = row["answers"].get(question.pk)
        return describe(question, *given) if given is not None else ""

    return Column(f"{question.position}. {question.text}", cell)


def _building(row: dict[str, Any]) -> str:
    building = row["response"].building
    return f"{building.estate.name}{building.number}" if building is not None else ""


def _person(row: dict[str, Any]) -> str:
    person = row["response"].person
    return person.name if person is not None else ""


def _dwelling(row: dict[str, Any]) -> str:
    dwelling = row["response"].dwelling
    return dwelling.address if dwelling is not None else ""


def _when(row: dict[str, Any]) -> str:
    at = row["response"].submitted_at
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at is not None else ""


class ResponseExporter(Exporter):
    """问卷答卷: the responses of one survey (narrowed like its results), audited on the survey."""

    name = "surveys.export"

    def __init__(self, user: Any, survey: Survey, responses: QuerySet[Response]) -> None:
        super().__init__(user)
        self.survey = survey
        self.questions, self.data = export_rows(survey, responses)
        self.filename = f"survey-{survey.reference}"
        self.title = _("Responses")
        columns = [Column(_("No."), lambda row: row["number"])]
        if not survey.is_anonymous:
            columns += [
                Column(_("Resident"), _person, mask=mask_name, unmasked_by="people.view_person"),
                Column(_("Dwelling"), _dwelling),
                Column(_("Answered at"), _when),
            ]
            columns.append(Column(_("Building"), _building))
        columns.append(Column(_("How"), lambda row: row["response"].get_channel_display()))
        columns += [_answer_column(q) for q in self.questions]
        self.columns = columns

    def prepare(self, objects: Iterable[Any]) -> Iterable[Any]:
        for number, row in enumerate(objects, start=1):
            row["number"] = number
            yield row

    def survey_response(self, request: HttpRequest, filters: dict[str, str]) -> HttpResponse:
        """The file; the download is audited on the survey with the number of rows and the filters."""
        record_event(
            self.name,
            request=request,
            obj=self.survey,
            scope=self.survey.scope,
            detail={"rows": len(self.data), "filters": filters, "anonymous": self.survey.is_anonymous},
        )
        return self.response(request, self.data, audit=False)
