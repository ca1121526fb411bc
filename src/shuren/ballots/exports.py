"""The spreadsheet exports of ballots: a ballot's tally sheet — the voter roll (owners as the model
masks them, ``Voter.label``), each owner's vote and how it was cast, then each matter's arithmetic."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.exports import Column, Exporter

from .models import Ballot, BallotVote, Matter
from .selectors import tally_sheet


def _how(vote: BallotVote) -> str:
    return vote.get_channel_display() + (f" {vote.paper_number}" if vote.paper_number else "")


def _vote_columns(position: int, matter: Matter) -> list[Column]:
    def choice(row: dict[str, Any]) -> str:
        vote = row["votes"][position]
        return vote.get_choice_display() if vote is not None else ""

    def how(row: dict[str, Any]) -> str:
        vote = row["votes"][position]
        return _how(vote) if vote is not None else ""

    return [Column(f"{matter.position}. {matter.title}", choice), Column(_("How"), how)]


class TallySheetExporter(Exporter):
    """计票表: one row per voter and, per matter, the vote and how it was cast; below the roll, each
    matter's rule, the lines of its arithmetic and whether it passed. Audited on the ballot."""

    name = "ballots.export"

    def __init__(self, user: Any, ballot: Ballot, *, full: bool = False) -> None:
        super().__init__(user, full=full)
        self.ballot = ballot
        self.sheet = tally_sheet(ballot)
        self.filename = f"ballot-{ballot.reference}"
        self.title = _("Tally sheet")
        columns = [
            Column(_("Owner"), lambda row: row["voter"].label),
            Column(_("Dwellings"), lambda row: row["rooms"]),
            Column(_("Exclusive area (m²)"), lambda row: float(row["voter"].area)),
        ]
        for position, matter in enumerate(self.sheet["matters"]):
            columns += _vote_columns(position, matter)
        self.columns = columns

    def rows(self, objects: Iterable[Any]) -> list[list[Any]]:
        """The roll's rows, a blank row, then each matter's arithmetic (rows of their own length)."""
        rows = super().rows(objects)
        rows.append([])
        for item in self.sheet["results"]:
            rows.append([f"{item['matter'].position}. {item['matter'].title}", item["result"]["rule"]["name"]])
            rows.extend([[check["line"]] for check in item["lines"]])
            rows.append([_("Passed") if item["result"]["passed"] else _("Not passed")])
        return rows

    def roll_response(self, request: HttpRequest) -> HttpResponse:
        """The sheet as xlsx; the download is audited on the ballot with the number of voters."""
        record_event(
            self.name,
            request=request,
            obj=self.ballot,
            scope=self.ballot.scope,
            detail={"rows": len(self.sheet["rows"])},
        )
        return self.response(request, self.sheet["rows"], audit=False)
